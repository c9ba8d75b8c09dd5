import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// End-to-end tests of the `flamegen` binary: outputs, exit codes, errors, atomic writes.
final class CLITests: XCTestCase {
    /// The binary under test: `FLAMEGEN_BIN` (make test sets the release build), else the debug build.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["FLAMEGEN_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path, relativeTo: Corpus.repoRoot).standardizedFileURL
        }
        return Corpus.repoRoot.appendingPathComponent(".build/debug/flamegen")
    }()

    struct Run { let status: Int32; let stdout: Data; let stderr: String }

    @discardableResult
    func run(_ args: [String], stdin: Data? = nil) throws -> Run { try Self.run(args, stdin: stdin) }

    /// Runs the binary with `args` (in UTC), feeding `stdin`.
    @discardableResult
    static func run(_ args: [String], stdin: Data? = nil) throws -> Run {
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("flamegen binary not built at \(binary.path) (run swift build first)")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = args
        // Report headers print times in the local zone, as pprof does; tests compare in UTC.
        process.environment = ProcessInfo.processInfo.environment.merging(["TZ": "UTC"]) { $1 }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: stdout, stderr: String(decoding: stderr, as: UTF8.self))
    }

    var tempDir: URL!

    override func setUpWithError() throws {
        tempDir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegen-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tempDir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: tempDir)
    }

    func temp(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = tempDir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func assertWellFormed(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let parser = XMLParser(data: data)
        XCTAssertTrue(parser.parse(), "\(path) is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")", file: file, line: line)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("viewBox=\"0 0 "), "\(path) has no viewBox", file: file, line: line)
    }

    func testBadInputsGiveOneLineErrorsExitTwoAndLeaveOutputUntouched() throws {
        let corpusGzip = try? Data(contentsOf: URL(fileURLWithPath: Fixture.path("cpu.pb.gz")))
        var inputs: [(String, [UInt8], String)] = [
            ("empty", [], "input is empty"),
            ("random", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) }, "unrecognized format"),
            ("prose.txt", Array("Dear team,\nthe service is slow today.\nRegards\n".utf8), "not a profile: line 1 is not `frames count`"),
        ]
        if let gz = corpusGzip { inputs.append(("truncated.pb.gz", Array(gz.prefix(gz.count / 2)), "truncated")) }
        let output = tempDir.appendingPathComponent("existing.svg").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: output))
        for (name, bytes, reason) in inputs {
            let path = try temp(name, bytes)
            let result = try run([path, "-o", output])
            XCTAssertEqual(result.status, 2, name)
            let lines = result.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "one line for \(name): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("flamegen: \(path): "), result.stderr)
            XCTAssertTrue(result.stderr.contains(reason), "\(name): \(result.stderr)")
            XCTAssertEqual(try String(contentsOfFile: output, encoding: .utf8), "keep me", "output clobbered by \(name)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: tempDir.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "temporary files left behind")
    }

    func testMissingFileAndBadFlagsAreUsageErrors() throws {
        XCTAssertEqual(try run([tempDir.appendingPathComponent("nope.pb.gz").path, "-o", "x.svg"]).status, 2)
        let flags = try run([Fixture.path("cpu.pb.gz"), "-o", tempDir.appendingPathComponent("x.svg").path, "--colors", "plaid"])
        XCTAssertEqual(flags.status, 2)
        XCTAssertTrue(flags.stderr.contains("plaid"))
        let index = try run([Fixture.path("cpu.pb.gz"), "-o", tempDir.appendingPathComponent("x.svg").path, "--sample-index", "alloc_space"])
        XCTAssertEqual(index.status, 2)
        XCTAssertTrue(index.stderr.contains("samples, cpu"), index.stderr)
    }

    func testEveryCorpusProfileAndFoldedInputRendersWellFormedSVG() throws {
        let root = try Corpus.require()
        var inputs = try Corpus.pprofProfiles().map(\.path)
        // Go's text profiles: goroutine dumps (debug=1, debug=2) and the heap debug=1 profile.
        for text in ["go/goroutine_debug1.txt", "go/goroutine_debug2.txt", "go/heap_debug1.txt"] {
            inputs.append(try Corpus.path(text))
        }
        let folded = root.appendingPathComponent("folded")
        let walker = FileManager.default.enumerator(atPath: folded.path)!
        for case let relative as String in walker where relative.hasSuffix(".txt") {
            let name = (relative as NSString).lastPathComponent
            if ["README.md", "REFERENCES.md"].contains(name) || relative.hasPrefix("flamegraph/nameattr") { continue }
            inputs.append(folded.appendingPathComponent(relative).path)
        }
        var rendered = 0
        for (i, input) in inputs.enumerated() {
            let out = tempDir.appendingPathComponent("\(i).svg").path
            let result = try run([input, "-o", out])
            if result.status == 0 {
                try assertWellFormed(out)
                rendered += 1
            } else {
                // Only inputs without any stack may fail, and they must say so in one line.
                XCTAssertEqual(result.status, 2, "\(input): \(result.stderr)")
                XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
                let text = (try? String(contentsOfFile: input, encoding: .utf8)) ?? ""
                let hasStack = text.split(separator: "\n").contains { $0.range(of: #"\S\s+\d+(\.\d*)?\s*$"#, options: .regularExpression) != nil && !$0.hasPrefix("#") }
                XCTAssertFalse(hasStack, "\(input) has stacks but failed: \(result.stderr)")
            }
        }
        XCTAssertGreaterThan(rendered, 100)
    }

    func testEveryFixtureRendersWellFormedSVGAndPNG() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixture.dir.path)
            .filter { $0.hasSuffix(".pb.gz") || ($0.hasSuffix(".txt") && $0 != "pairs.txt") }.sorted()
        XCTAssertGreaterThan(names.count, 15)
        for name in names {
            let svg = tempDir.appendingPathComponent(name + ".svg").path, png = tempDir.appendingPathComponent(name + ".png").path
            let result = try run([Fixture.path(name), "-o", svg])
            XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
            try assertWellFormed(svg)
            XCTAssertEqual(try run(["icicle", Fixture.path(name), "-o", png]).status, 0, name)
            XCTAssertEqual(try run(["graph", Fixture.path(name), "-o", svg]).status, 0, name)
            try assertWellFormed(svg)
        }
    }

    func testMistypedCommandsVersionAndHelpPointers() throws {
        let typo = try run(["topp", "x"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertEqual(typo.stderr, "flamegen: unknown command 'topp'; did you mean 'top'? (see flamegen help)\n")
        XCTAssertTrue(try run(["version"]).stderr.contains("flamegen --version"))
        let version = try run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(String(decoding: version.stdout, as: UTF8.self).hasPrefix("flamegen "))
        let bad = try run(["top", Fixture.path("cpu.pb.gz"), "--nodecount", "x"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.hasSuffix("(see flamegen help top)\n"), bad.stderr)
    }

    /// A differential picture says before → after and carries a colour key; every input names
    /// its root `root`, and a goroutine dump is titled like the goroutine profile.
    func testDifferentialLegendAndOneRootName() throws {
        let early = Fixture.path("heap_early.pb.gz"), late = Fixture.path("heap_late.pb.gz")
        let diff = String(decoding: try run([late, "--base", early, "-o", "-"]).stdout, as: UTF8.self)
        XCTAssertTrue(diff.contains(">before → after: 1.31MB → 8.68MB (+7.37MB, +562.8%)</text>"), diff)
        XCTAssertTrue(diff.contains(" grew "), "legend")
        XCTAssertTrue(diff.contains("width: after</text>"))
        let negated = String(decoding: try run([late, "--base", early, "--negate", "-o", "-"]).stdout, as: UTF8.self)
        XCTAssertTrue(negated.contains("width: before</text>"))
        let single = String(decoding: try run([late, "-o", "-"]).stdout, as: UTF8.self)
        XCTAssertFalse(single.contains(" grew "), "no legend without a base")
        var titles: [String] = []
        for input in ["goroutine.pb.gz", "goroutine_debug1.txt", "goroutine_debug2.txt"] {
            let svg = String(decoding: try run([Fixture.path(input), "-o", "-"]).stdout, as: UTF8.self)
            XCTAssertTrue(svg.contains("<title>root ("), input)
            titles.append(svg.components(separatedBy: "<text id=\"title\"").dropFirst().first?.components(separatedBy: "</text>").first ?? "")
        }
        XCTAssertEqual(Set(titles).count, 1, "\(titles)")
        let folded = try temp("a.folded", Array("a;b 1\n".utf8))
        XCTAssertTrue(String(decoding: try run([folded, "-o", "-"]).stdout, as: UTF8.self).contains("<title>root ("))
        XCTAssertTrue(String(decoding: try run([folded, "--root-name", "all", "-o", "-"]).stdout, as: UTF8.self).contains("<title>all ("))
    }

    /// `check` refuses comparisons that mean nothing and rules that match nothing.
    func testCheckIsSafeByDefault() throws {
        let cpu = Fixture.path("cpu.pb.gz"), early = Fixture.path("heap_early.pb.gz"), late = Fixture.path("heap_late.pb.gz")
        let kinds = try run(["check", "--base", cpu, late, "--max-increase", "10%"])
        XCTAssertEqual(kinds.status, 2)
        XCTAssertTrue(kinds.stderr.contains("the base measures cpu in nanoseconds but"), kinds.stderr)
        let typo = try run(["check", "--base", early, late, "--max-function-increase", "nosuchfn=5%"])
        XCTAssertEqual(typo.status, 2)
        XCTAssertTrue(typo.stderr.contains("no function of either profile matches"), typo.stderr)
        XCTAssertEqual(try run(["check", "--base", early, late, "--max-function-increase", "nosuchfn=5%", "--allow-missing"]).status, 0)
        let json = try run(["check", "--base", early, late, "--max-function-increase", "main\\.heapLate=5%", "--format", "json"])
        XCTAssertEqual(json.status, 1)
        let document = try JSONSerialization.jsonObject(with: json.stdout) as! [String: Any]
        let checks = document["checks"] as! [[String: Any]]
        XCTAssertEqual(checks.count, 1)
        XCTAssertEqual(checks[0]["new"] as? Bool, true)
        XCTAssertNotNil(checks[0]["change"] as? Double, "a new function has a numeric change")
    }

    func testOutputIsDeterministicAndStdoutWorks() throws {
        let input = Fixture.path("cpu.pb.gz")
        let a = tempDir.appendingPathComponent("a.svg").path, b = tempDir.appendingPathComponent("b.svg").path
        XCTAssertEqual(try run([input, "-o", a]).status, 0)
        XCTAssertEqual(try run([input, "-o", b]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)))
        let piped = try run(["-", "-o", "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: input)))
        XCTAssertEqual(piped.status, 0)
        XCTAssertEqual(piped.stdout, try Data(contentsOf: URL(fileURLWithPath: a)))
    }

    /// Standard input can be a file already read part way (`{ head -c N; flamegen -; } < file`):
    /// its later pieces are read at their offsets, from where the input started.
    func testStandardInputOpenedPartWayThroughAFile() throws {
        var text = ""
        for i in 0..<400_000 { text += "main;serve_\(i % 300);handler_\(i % 7000);leaf_\(i % 13) \(i % 5 + 1)\n" }
        let bytes = Array(text.utf8)
        let skip = bytes.firstIndex(of: 0x0A)! + 1 + 1_000_000
        let lineStart = bytes[skip...].firstIndex(of: 0x0A)! + 1
        let whole = try temp("whole.folded", bytes), rest = try temp("rest.folded", Array(bytes[lineStart...]))
        XCTAssertGreaterThan(bytes.count - lineStart, 8 << 20, "past the first piece read")
        let expected = try run([rest, "-o", "-"])
        XCTAssertEqual(expected.status, 0)
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["-", "-o", "-"]
        let input = try XCTUnwrap(FileHandle(forReadingAtPath: whole))
        try input.seek(toOffset: UInt64(lineStart))
        let out = Pipe()
        process.standardInput = input
        process.standardOutput = out
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(stdout, expected.stdout)
    }

    func testIcicleAndSampleIndexAndFilters() throws {
        let heap = Fixture.path("heap_late.pb.gz")
        let out = tempDir.appendingPathComponent("h.svg").path
        XCTAssertEqual(try run(["icicle", heap, "-o", out, "--sample-index", "alloc_space", "--focus", "main\\.", "--hide", "runtime"]).status, 0)
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(svg.contains("data-inverted=\"1\""))
        XCTAssertTrue(svg.contains("Allocated bytes"))
        XCTAssertFalse(svg.contains("<title>runtime."), "--hide removes runtime frames")
        try assertWellFormed(out)
    }

    func testHostileNamesAreEscaped() throws {
        let names = ["<script>alert(1)</script>", "\"]]><script>x()</script>", "</text><script>evil()</script>",
                     "javascript:alert(1)", "ctl\u{01}\u{1b}[31m", "rtl\u{202E}gnp.exe", "a&b<c>d'e\"f"]
        var text = ""
        for (i, n) in names.enumerated() { text += "root;\(n) \(i + 1)\n" }
        var bytes = Array(text.utf8)
        bytes += [0x62, 0x61, 0x64, 0xff, 0xfe, 0x20, 0x35, 0x0a] // invalid UTF-8 name
        let input = try temp("hostile.folded", bytes)
        let out = tempDir.appendingPathComponent("hostile.svg").path
        XCTAssertEqual(try run([input, "-o", out, "--title", "<b>t</b>"]).status, 0)
        try assertWellFormed(out)
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertEqual(svg.components(separatedBy: "<script").count - 1, 1, "only flamegen's own script element")
        XCTAssertFalse(svg.contains("<b>"))
        XCTAssertTrue(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    func testDifferentialFlameGraphWithBase() throws {
        let late = Fixture.path("heap_late.pb.gz"), early = Fixture.path("heap_early.pb.gz")
        let out = tempDir.appendingPathComponent("diff.svg").path
        XCTAssertEqual(try run([late, "--base", early, "-o", out]).status, 0)
        try assertWellFormed(out)
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        // main.retain holds 1.31MB early and 8.66MB late (pprof -top of the two fixtures); the
        // new allocation site appears from nothing.
        XCTAssertTrue(svg.contains("<title>main.retain (7.52MB, 86.61%; +86.61%; before 0B, after 7.52MB)</title>"), svg)
        XCTAssertTrue(svg.contains("<title>main.retain (1.15MB, 13.24%; -1.80%; before 1.31MB, after 1.15MB)</title>"))
        XCTAssertTrue(svg.contains("fill=\"rgb(255,0,0)\""), "the biggest growth is pure red")
    }

    func testTopReportsAndConvertFromTheCommandLine() throws {
        let cpu = Fixture.path("cpu.pb.gz")
        let top = try run(["top", cpu])
        XCTAssertEqual(top.status, 0)
        XCTAssertEqual(top.stdout, try Data(contentsOf: Fixture.dir.appendingPathComponent("expected/cpu@cpu.default.top.txt")))
        let folded = tempDir.appendingPathComponent("s.folded").path
        XCTAssertEqual(try run(["convert", cpu, "--to", "folded", "-o", folded]).status, 0)
        // 計算 is 0.92s flat in pprof -top of this profile, all of it under größeBerechnen.
        XCTAssertTrue(try String(contentsOfFile: folded, encoding: .utf8).contains("main.cpuWorkload.func3;main.größeBerechnen;main.计算 920000000\n"))
    }

    func testConcurrentRunsDoNotInterfere() throws {
        let cpu = Fixture.path("cpu.pb.gz"), heap = Fixture.path("heap_late.pb.gz")
        let a = tempDir.appendingPathComponent("a.svg").path, shared = tempDir.appendingPathComponent("shared.svg").path
        // Four processes at once, three of them writing the same file.
        var processes: [Process] = []
        for args in [[cpu, "-o", a], [heap, "-o", shared], [cpu, "-o", shared], [heap, "-o", shared]] {
            let p = Process()
            p.executableURL = Self.binary
            p.arguments = args
            p.standardError = FileHandle.nullDevice
            try p.run()
            processes.append(p)
        }
        for p in processes { p.waitUntilExit() }
        let statuses = processes.map(\.terminationStatus)
        XCTAssertEqual(statuses, [0, 0, 0, 0])
        try assertWellFormed(a)
        try assertWellFormed(shared)
        XCTAssertTrue(try String(contentsOfFile: a, encoding: .utf8).contains("CPU"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tempDir.path).filter { $0.hasSuffix(".tmp") }, [])
    }
}
