import Foundation
import XCTest

/// The hostile battery: every subcommand on every input of `testdata/hostile/make_hostile.py`
/// (bombs, inline expansion, 64-bit extremes, backtracking regexes, huge names, dense graphs,
/// markup and control characters in names). Each run must end with a result (exit 0) or a
/// one-line error (exit 2) within 10 s and 1 GB of memory, and leave an existing output file
/// untouched when it fails.
final class HostileBatteryTests: XCTestCase {
    static let inputs: URL? = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegen-hostile-\(getpid())")
        let script = Corpus.repoRoot.appendingPathComponent("testdata/hostile/make_hostile.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, dir.path]
        process.standardOutput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        // Other suites use them too (ViewerTests): removed when the test process ends.
        atexit { if let made = HostileBatteryTests.inputs { try? FileManager.default.removeItem(at: made) } }
        return process.terminationStatus == 0 ? dir : nil
    }()

    struct Outcome { let status: Int32; let seconds: Double; let maxRSSKB: Int; let stderr: String }

    /// Runs flamegen under `/usr/bin/time -v` with a wall-clock limit.
    func measure(_ args: [String], in dir: URL) throws -> Outcome {
        let timeLog = dir.appendingPathComponent("time-\(UUID().uuidString).txt")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["30", "/usr/bin/time", "-v", "-o", timeLog.path, CLITests.binary.path] + args
        process.currentDirectoryURL = dir
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        let start = Date()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        let log = (try? String(contentsOf: timeLog, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: timeLog)
        var rss = 0, status = process.terminationStatus
        for line in log.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("Maximum resident set size (kbytes): ") { rss = Int(text.split(separator: " ").last!) ?? 0 }
            if text.hasPrefix("Exit status: ") { status = Int32(text.split(separator: " ").last!) ?? status }
            if text.hasPrefix("Command terminated by signal") { status = 128 + (Int32(text.split(separator: " ").last!) ?? 0) }
        }
        return Outcome(status: status, seconds: seconds, maxRSSKB: rss, stderr: stderr)
    }

    func testEverySubcommandOnEveryHostileInput() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            throw XCTSkip("/usr/bin/time is not installed (apt-get install time)")
        }
        guard FileManager.default.isExecutableFile(atPath: CLITests.binary.path) else { throw XCTSkip("flamegen is not built") }
        let dir = try XCTUnwrap(Self.inputs, "testdata/hostile/make_hostile.py failed")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasPrefix("out") && !$0.hasPrefix("time-") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 20)
        let commands: [(String, (String) -> [String], String?)] = [
            ("flame", { [$0, "-o", "out.svg"] }, "out.svg"),
            ("icicle png", { ["icicle", $0, "-o", "out.png"] }, "out.png"),
            ("graph", { ["graph", $0, "-o", "out-graph.svg"] }, "out-graph.svg"),
            ("top", { ["top", $0] }, nil),
            ("traces", { ["traces", $0] }, nil),
            ("tags", { ["tags", $0] }, nil),
            ("peek", { ["peek", $0, "."] }, nil),
            ("focus", { ["top", $0, "--focus", "(a+)+b", "--tagfocus", "k=(x+)+y"] }, nil),
            ("report", { ["report", $0, "-o", "out-report"] }, "out-report/index.html"),
            ("convert", { ["convert", $0, "--to", "folded", "-o", "out.folded"] }, "out.folded"),
            ("view", { ["view", $0, "-o", "out.html"] }, "out.html"),
        ]
        // Execution traces also go through every trace command.
        let traceCommands: [(String, (String) -> [String], String?)] = [
            ("timeline svg", { [$0, "-o", "out-timeline.svg"] }, "out-timeline.svg"),
            ("timeline png", { [$0, "-o", "out-timeline.png"] }, "out-timeline.png"),
            ("goroutines", { ["goroutines", $0] }, nil),
            ("tasks", { ["tasks", $0] }, nil),
            ("mmu", { ["mmu", $0] }, nil),
            ("mmu svg", { ["mmu", $0, "-o", "out-mmu.svg"] }, "out-mmu.svg"),
            ("sync profile", { ["top", $0, "--trace-profile", "sync"] }, nil),
            ("sched profile", { ["top", $0, "--trace-profile", "sched"] }, nil),
        ]
        var failures: [String] = []
        var slowest = (0.0, ""), biggest = (0, "")
        for file in files {
            for (name, args, output) in commands + (file.hasPrefix("trace-") ? traceCommands : []) {
                // A previous output must survive a failed run.
                if let output {
                    let url = dir.appendingPathComponent(output)
                    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data("previous".utf8).write(to: url)
                }
                let outcome = try measure(args(file), in: dir)
                let what = "\(name) \(file)"
                if outcome.seconds > slowest.0 { slowest = (outcome.seconds, what) }
                if outcome.maxRSSKB > biggest.0 { biggest = (outcome.maxRSSKB, what) }
                if outcome.status != 0 && outcome.status != 2 { failures.append("\(what): exit \(outcome.status): \(outcome.stderr.prefix(200))") }
                if outcome.seconds > 10 { failures.append("\(what): took \(Int(outcome.seconds)) s") }
                if outcome.maxRSSKB > 1 << 20 { failures.append("\(what): \(outcome.maxRSSKB / 1024) MB of memory") }
                if outcome.status == 2 {
                    let lines = outcome.stderr.split(separator: "\n").filter { !$0.contains(": warning: ") }
                    if lines.count != 1 || !lines[0].hasPrefix("flamegen: ") { failures.append("\(what): error is not one line: \(outcome.stderr.prefix(300))") }
                    if let output, let kept = try? String(contentsOf: dir.appendingPathComponent(output), encoding: .utf8), kept != "previous" {
                        failures.append("\(what): failed but replaced \(output)")
                    }
                }
            }
            try? FileManager.default.removeItem(at: dir.appendingPathComponent("out-report"))
        }
        print("hostile battery: \(files.count) inputs × \(commands.count) commands (traces: \(traceCommands.count) more); slowest \(String(format: "%.2f", slowest.0)) s (\(slowest.1)), most memory \(biggest.0 / 1024) MB (\(biggest.1))")
        XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
    }

    /// Specific outcomes: the error names what is wrong, or the numbers are right.
    func testHostileInputsGiveTheRightAnswerOrTheRightError() throws {
        let dir = try XCTUnwrap(Self.inputs, "testdata/hostile/make_hostile.py failed")
        func run(_ args: [String]) throws -> CLITests.Run {
            let process = Process()
            process.executableURL = CLITests.binary
            process.arguments = args
            process.currentDirectoryURL = dir
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return CLITests.Run(status: process.terminationStatus, stdout: stdout, stderr: stderr)
        }
        let expectations: [([String], String)] = [
            (["top", "inline-bomb.pb.gz"], "expands to more than 1000000 frames"),
            (["top", "max-values.pb.gz"], "add up to more than 2^63-1"),
            (["top", "min-values.pb.gz"], "add up to more than 2^63-1"),
            (["top", "sum-overflow.folded"], "add up to more than 2^63-1"),
            (["top", "fixed-point.folded"], "line 2"),
            (["top", "bad-counts.folded"], "line 2 is not `frames count`"),
            (["top", "proc-status.txt"], "not a profile"),
            (["top", "readme.md"], "not a profile"),
            (["top", "zero-bomb.gz"], "unrecognized format"),
            (["top", "no-sample-types.pb.gz"], "no sample types"),
            (["top", "goroutine-deep.txt.gz"], "exceeds the limit"),
            (["traces", "amplify.pb.gz"], "would exceed 256 MiB"),
            (["convert", "separators.pb.gz", "--to", "folded", "-o", "-"], "contains ';'"),
            // Sums of trace durations past 2^63 ns, and traces that cannot be put in order.
            (["goroutines", "trace-blocked-sum.trace"], "spent more than 2^63-1 ns in all"),
            (["top", "trace-blocked-sum.trace", "--trace-profile", "sync"], "add up to more than 2^63-1 ns"),
            (["goroutines", "trace-generation-max.trace"], "generation 1 after 18446744073709551615"),
            (["goroutines", "trace-ms-take-turns.trace"], "cannot be put in order in bounded time"),
            (["goroutines", "trace-zeros.trace.gz"], "expected a batch"),
            (["trace-stw-pairs.trace", "--start", "30000h", "-o", "out-late.svg"], "is past the end of the trace"),
            (["trace-stw-pairs.trace", "--width", "100000", "-o", "out-wide.svg"], "a timeline is at most 16384 pixels wide"),
        ]
        for (args, message) in expectations {
            let result = try run(args)
            XCTAssertEqual(result.status, 2, args.joined(separator: " "))
            XCTAssertTrue(result.stderr.contains(message), "\(args.joined(separator: " ")): \(result.stderr)")
        }
        // /dev/zero is refused from its first bytes, not read to the limit.
        let zero = try measure(["top", "/dev/zero"], in: dir)
        XCTAssertEqual(zero.status, 2)
        XCTAssertLessThan(zero.seconds, 5)
        XCTAssertLessThan(zero.maxRSSKB, 200 << 10)
        // Trimming everything is an empty report, not a crash.
        XCTAssertEqual(try run(["top", Fixture.path("cpu.pb.gz"), "--nodefraction", "1", "--edgefraction", "1"]).status, 0)
        XCTAssertEqual(try run(["graph", Fixture.path("cpu.pb.gz"), "--nodefraction", "1", "-o", "-"]).status, 0)
        // A file that is not a font, and a closed or full standard output: one-line errors.
        let font = try run([Fixture.path("cpu.pb.gz"), "-o", dir.appendingPathComponent("out-font.png").path, "--font", "readme.md"])
        XCTAssertEqual(font.status, 2)
        XCTAssertEqual(font.stderr, "flamegen: readme.md: FreeType cannot read this font\n")
        let full = Process()
        full.executableURL = CLITests.binary
        full.arguments = ["top", Fixture.path("cpu.pb.gz")]
        full.standardOutput = FileHandle(forWritingAtPath: "/dev/full")
        let fullErr = Pipe()
        full.standardError = fullErr
        try full.run()
        let fullMessage = String(decoding: fullErr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        full.waitUntilExit()
        XCTAssertEqual(full.terminationStatus, 1)
        XCTAssertEqual(fullMessage, "flamegen: standard output: cannot write: No space left on device\n")
        // 64 MB of one repeated line: one distinct stack, the whole count.
        let bomb = try run(["top", "folded-bomb.txt.gz"])
        XCTAssertEqual(bomb.status, 0)
        XCTAssertTrue(String(decoding: bomb.stdout, as: UTF8.self).contains("of 8388608 total"), String(decoding: bomb.stdout, as: UTF8.self))
        // Control characters reach the terminal escaped.
        let top = String(decoding: try run(["top", "markup-names.pb.gz"]).stdout, as: UTF8.self)
        XCTAssertFalse(top.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 || $0.value == 0 })
        XCTAssertTrue(top.contains("\\x1b[31mred"))
        // Bidirectional controls are escaped like control characters, in profiles and traces.
        for args in [["top", "markup-names.pb.gz"], ["tasks", "trace-bidi-names.trace"]] {
            let text = String(decoding: try run(args).stdout, as: UTF8.self)
            XCTAssertTrue(text.contains("\\u202e"), "\(args): \(text)")
            XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x202E }, "\(args)")
        }
        // Huge totals in seconds or hours: the Duration line converts as Go does, no trap.
        for unit in ["seconds", "hours"] {
            let huge = try run(["top", "huge-\(unit).pb.gz"])
            XCTAssertEqual(huge.status, 0, huge.stderr)
            XCTAssertTrue(String(decoding: huge.stdout, as: UTF8.self).contains("Duration: 5s, Total samples = "), unit)
            // The same bytes as go tool pprof (make test puts Go 1.27.3 on PATH).
            let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/go" }
            if let go = path.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: go)
                process.arguments = ["tool", "pprof", "-top", "huge-\(unit).pb.gz"]
                process.currentDirectoryURL = dir
                process.environment = ProcessInfo.processInfo.environment.merging(["GOTOOLCHAIN": "local", "GOPROXY": "off"]) { $1 }
                let out = Pipe()
                process.standardOutput = out
                process.standardError = FileHandle.nullDevice
                try process.run()
                let reference = out.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                XCTAssertEqual(String(decoding: huge.stdout, as: UTF8.self), String(decoding: reference, as: UTF8.self), "\(unit): go tool pprof -top")
            }
        }
        // A picture holds at most 500,000 frames, and says what it left out; a page's static
        // flame graph far fewer.
        let wide = try run(["inline-roots.pb.gz", "-o", "out-roots.svg"])
        XCTAssertEqual(wide.status, 0, wide.stderr)
        XCTAssertTrue(wide.stderr.contains("of the narrowest frames were left out: a picture holds at most 500000 frames"), wide.stderr)
        let roots = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("out-roots.svg").path)[.size] as? Int ?? 0
        XCTAssertLessThan(roots, 150 << 20)
        XCTAssertEqual(try run(["view", "inline-roots.pb.gz", "-o", "out-roots.html"]).status, 0)
        let page = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("out-roots.html").path)[.size] as? Int ?? 0
        XCTAssertLessThan(page, 64 << 20)
        // One DTrace stack of 200,000 frames (deeper than the head the format is told from), in
        // linear time (frames were inserted at the front: ~6 s for this one, quadratic).
        let deep = try run(["convert", "dtrace-deep.txt.gz", "--to", "folded", "-o", "-"])
        XCTAssertEqual(deep.status, 0, deep.stderr)
        let line = String(decoding: deep.stdout, as: UTF8.self)
        XCTAssertTrue(line.hasPrefix("libc.so.1`f199999;libc.so.1`f199998;") && line.hasSuffix(";libc.so.1`f0 1\n"), String(line.prefix(200)))
        XCTAssertLessThan(try measure(["convert", "dtrace-deep.txt.gz", "--to", "folded", "-o", "out-deep.folded"], in: dir).seconds, 3)
        // A million event names: the warning stays one short line.
        let events = try run(["top", "perf-events.txt.gz"])
        XCTAssertEqual(events.status, 0, events.stderr)
        XCTAssertTrue(events.stderr.contains(" and 999994 more"), events.stderr)
        XCTAssertLessThan(events.stderr.utf8.count, 1000)
        // Every string written into DOT is under Graphviz's limit: `dot` reads the file.
        for input in ["long-tag.pb.gz", "dot-breakers.pb.gz"] {
            XCTAssertEqual(try run(["graph", input, "-o", "out.dot"]).status, 0, input)
            if let dotProgram = ["/usr/bin/dot", "/usr/local/bin/dot"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: dotProgram)
                process.arguments = ["-Tsvg", "-o", "/dev/null", dir.appendingPathComponent("out.dot").path]
                let err = Pipe()
                process.standardError = err
                try process.run()
                let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                XCTAssertEqual(process.terminationStatus, 0, "\(input): dot refused the file: \(message)")
            }
        }
        // Dense graphs are drawn with a bounded number of edges, and say so.
        let dot = String(decoding: try run(["graph", "dense-graph.pb.gz", "-o", "-"]).stdout, as: UTF8.self)
        XCTAssertTrue(dot.contains("edges to keep the graph drawable"))
    }

    /// Reports: names are text in every file, the folder is replaced whole or not at all, and a
    /// picture that cannot be made is left out with a note.
    func testReportsResistInjectionAndFailAtomically() throws {
        let dir = try XCTUnwrap(Self.inputs, "testdata/hostile/make_hostile.py failed")
        let report = dir.appendingPathComponent("out-injection")
        defer { try? FileManager.default.removeItem(at: report) }
        XCTAssertEqual(try measure(["report", "markup-names.pb.gz", "-o", report.path], in: dir).status, 0)
        let html = try String(contentsOf: report.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "data:image/svg+xml").count - 1, 1, "the static flame graph for readers without scripts")
        XCTAssertEqual(html.components(separatedBy: "<script").count - 1, 2, "the viewer's data and script only")
        XCTAssertTrue(html.contains("{{flame}}{{flame}}"), "placeholders in names stay text")
        XCTAssertLessThan(html.utf8.count, 400_000)
        let md = try String(contentsOf: report.appendingPathComponent("summary.md"), encoding: .utf8)
        for line in md.split(separator: "\n") where line.hasPrefix("|") { XCTAssertTrue(line.hasSuffix("|"), "a row was broken: \(line)") }
        // Names are code spans, where markup is literal text; outside them, none may remain.
        let outsideCode = md.replacingOccurrences(of: "`[^`\\n]*`", with: "", options: .regularExpression)
        XCTAssertFalse(outsideCode.contains("<img"), outsideCode)
        XCTAssertFalse(md.unicodeScalars.contains { $0.value == 0 || $0.value == 0x1b })

        // A failing run leaves the earlier report as it was.
        let before = try Data(contentsOf: report.appendingPathComponent("index.html"))
        XCTAssertEqual(try measure(["report", "inline-bomb.pb.gz", "-o", report.path], in: dir).status, 2)
        XCTAssertEqual(try Data(contentsOf: report.appendingPathComponent("index.html")), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".fg-") }, [])

        // A flame graph too tall for a PNG: the report is made without it, and says why.
        let tall = try measure(["report", "amplify.pb.gz", "-o", report.path], in: dir)
        XCTAssertEqual(tall.status, 0, tall.stderr)
        XCTAssertTrue(tall.stderr.contains("flame.png was left out"), tall.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: report.appendingPathComponent("flame.png").path))
        XCTAssertTrue(try String(contentsOf: report.appendingPathComponent("summary.md"), encoding: .utf8).contains("flame.png was left out"))
    }

    /// Output files: an existing file keeps its permissions, a long valid name works, and an
    /// unwritable place is named with the system's reason.
    func testOutputFilesKeepModesAndExplainFailures() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegen-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cpu = Fixture.path("cpu.pb.gz")
        let kept = dir.appendingPathComponent("private.svg")
        FileManager.default.createFile(atPath: kept.path, contents: Data("x".utf8), attributes: [.posixPermissions: 0o600])
        XCTAssertEqual(try measure([cpu, "-o", kept.path], in: dir).status, 0)
        let mode = try FileManager.default.attributesOfItem(atPath: kept.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        let long = dir.appendingPathComponent(String(repeating: "n", count: 246) + ".svg")
        XCTAssertEqual(try measure([cpu, "-o", long.path], in: dir).status, 0, "a 250-byte file name")
        let proc = try measure([cpu, "-o", "/proc/flamegen.svg"], in: dir)
        XCTAssertNotEqual(proc.status, 0)
        XCTAssertTrue(proc.stderr.hasPrefix("flamegen: /proc/flamegen.svg: cannot write: "), proc.stderr)
        XCTAssertFalse(proc.stderr.contains("doesn’t exist"))
    }

    /// `-o` on a special file: a FIFO and a character device are written in place, never
    /// replaced by a regular file; a report folder is refused when one of its names is taken by
    /// something other than a regular file (a folder named index.html and what it holds stay).
    func testSpecialFilesAreWrittenInPlaceNeverReplaced() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegen-special-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cpu = Fixture.path("cpu.pb.gz")
        func kind(_ path: String) -> mode_t {
            var info = stat()
            return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
        }
        let fifo = dir.appendingPathComponent("out.svg").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "cat \"$0\" > \"$1\"", fifo, dir.appendingPathComponent("read.svg").path]
        try reader.run()
        XCTAssertEqual(try measure([cpu, "-o", fifo], in: dir).status, 0)
        reader.waitUntilExit()
        XCTAssertEqual(kind(fifo), S_IFIFO, "the FIFO is still a FIFO")
        XCTAssertTrue(try String(contentsOf: dir.appendingPathComponent("read.svg"), encoding: .utf8).contains("</svg>"), "the reader got the picture")
        // A character device of our own (the same device as /dev/null), where we may make one.
        let device = dir.appendingPathComponent("null.svg").path
        if mknod(device, S_IFCHR | 0o666, dev_t(1 << 8 | 3)) == 0 { // major 1, minor 3 (glibc encoding)
            XCTAssertEqual(try measure([cpu, "-o", device], in: dir).status, 0)
            XCTAssertEqual(kind(device), S_IFCHR, "the device node is still a device node")
        }
        let socketPath = dir.appendingPathComponent("sock.svg").path
        let sock = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in socketPath.utf8.prefix(raw.count - 1).enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        defer { close(sock) }
        if bound == 0 {
            let refused = try measure([cpu, "-o", socketPath], in: dir)
            XCTAssertEqual(refused.status, 1, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("is a special file"), refused.stderr)
            XCTAssertEqual(kind(socketPath), S_IFSOCK)
        }
        // A folder named index.html inside the report folder is not a report's file.
        let report = dir.appendingPathComponent("report")
        try FileManager.default.createDirectory(at: report.appendingPathComponent("index.html"), withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: report.appendingPathComponent("index.html/keep.txt"))
        let refused = try measure(["report", cpu, "-o", report.path], in: dir)
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("holds files that are not part of a report (index.html)"), refused.stderr)
        XCTAssertEqual(try String(contentsOf: report.appendingPathComponent("index.html/keep.txt"), encoding: .utf8), "keep")
    }
}
