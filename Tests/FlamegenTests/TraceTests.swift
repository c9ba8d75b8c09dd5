import FlameApp
import FlameImport
import FlameModel
import FlameReport
import FlameTrace
import Foundation
import XCTest

/// Go execution traces recorded with Go 1.27, and a FlightRecorder snapshot
/// (testdata/make-trace-fixtures.sh): blocking
/// profiles equal `go tool pprof -top` of `go tool trace -pprof=TYPE`, GC cycles and
/// stop-the-world pauses equal the parsed dump, and damaged traces fail cleanly or keep what
/// is complete.
final class TraceTests: XCTestCase {
    static let dir = Corpus.repoRoot.appendingPathComponent("Tests/FlamegenTests/Fixtures/trace")
    static let names = ["http", "gc", "pipeline", "flight"]

    func path(_ name: String) -> String { Self.dir.appendingPathComponent(name).path }

    func testBlockingProfilesEqualGoToolTrace() throws {
        for name in Self.names {
            for kind in [TraceProfileKind.net, .sync, .syscall, .sched] {
                var inputs = ReportInputs(inputs: [path("\(name).trace")])
                inputs.traceProfile = kind
                let got = TopReport(context: try inputs.context(options: ReportOptions())).text()
                let want = try String(contentsOfFile: path("\(name).\(kind.rawValue).top.txt"), encoding: .utf8)
                XCTAssertEqual(got, want, "\(name) -pprof=\(kind.rawValue)")
            }
        }
    }

    /// Traces built event by event (testdata/edge_traces.py) against go tool trace -pprof: a
    /// syscall that ends before its goroutine first runs counts nothing (the whole syscall when
    /// it never runs), and a one-frame stack at PC 0 is the empty stack.
    func testEdgeTracesEqualGoToolTrace() throws {
        let edge = Self.dir.appendingPathComponent("edge")
        let names = try FileManager.default.contentsOfDirectory(atPath: edge.path).filter { $0.hasSuffix(".trace") }.sorted()
        XCTAssertEqual(names, ["sched-pc0.trace", "syscall-before-run.trace", "syscall-never-runs.trace"])
        for name in names {
            for kind in [TraceProfileKind.net, .sync, .syscall, .sched] {
                var inputs = ReportInputs(inputs: [edge.appendingPathComponent(name).path])
                inputs.traceProfile = kind
                let got = TopReport(context: try inputs.context(options: ReportOptions())).text()
                let want = try String(contentsOf: edge.appendingPathComponent(name.replacingOccurrences(of: ".trace", with: ".\(kind.rawValue).top.txt")), encoding: .utf8)
                XCTAssertEqual(got, want, "\(name) -pprof=\(kind.rawValue)")
            }
        }
    }

    func testGCCyclesAndStopTheWorldPausesEqualTheParsedDump() throws {
        for name in Self.names {
            let trace = try Trace.parse(Array(try Data(contentsOf: Self.dir.appendingPathComponent("\(name).trace"))))
            XCTAssertNil(trace.truncation)
            var expected: [String: Int] = [:]
            for line in try String(contentsOfFile: path("\(name).parsed.txt"), encoding: .utf8).split(separator: "\n") {
                let parts = line.split(separator: " ")
                expected[String(parts[0])] = Int(parts[1])
            }
            XCTAssertEqual(trace.gcCyclesBegun, expected["gc_cycles"], "\(name): GC cycles")
            XCTAssertEqual(trace.stopTheWorld.count, expected["stw_pauses"], "\(name): stop-the-world pauses")
            XCTAssertTrue(trace.stopTheWorld.allSatisfy { $0.end >= $0.begin }, "\(name): every pause ends")
        }
    }

    /// Every number of `go tool trace`'s goroutine pages (groups, and each goroutine's times).
    func testGoroutineAnalysisEqualsGoToolTracePages() throws {
        for name in Self.names {
            try Self.checkGoroutinePages(trace: Self.dir.appendingPathComponent("\(name).trace"), pages: Self.dir.appendingPathComponent("\(name).goroutines.txt"), name: name)
        }
    }

    /// Checks a trace's goroutine analysis and task/region tables against the pages of
    /// `go tool trace` recorded by testdata/record_trace_goroutines.py.
    static func checkGoroutinePages(trace file: URL, pages: URL, name: String) throws {
        do {
            let trace = try Trace.parse(Array(try Data(contentsOf: file)))
            let analysis = GoroutineAnalysis(trace)
            let groups = Dictionary(uniqueKeysWithValues: analysis.groups.map { ($0.name, $0) })
            var checked = 0
            for line in try String(contentsOfFile: pages.path, encoding: .utf8).split(separator: "\n") {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                if ["task", "region", "bucket", "mmu", "mmu-stw"].contains(f[0]) { continue }
                if f[0] == "group" {
                    let group = groups[f[1]]
                    XCTAssertEqual(group?.count, Int(f[2]), "\(name): goroutines of \(f[1])")
                    XCTAssertEqual(group.map { GoDuration.string($0.sum(\.execution)) }, f[3], "\(name): execution of \(f[1])")
                } else {
                    guard let id = UInt64(f[1]), let g = analysis.goroutines[id] else { XCTFail("\(name): goroutine \(f[1]) missing"); continue }
                    XCTAssertEqual(GoDuration.string(Self.stat(f[2], of: g)), f[3], "\(name): goroutine \(id) \(f[2])")
                }
                checked += 1
            }
            // The /usertasks and /userregions tables.
            let tables = AnnotationTables(trace: trace, analysis: analysis)
            for line in try String(contentsOfFile: pages.path, encoding: .utf8).split(separator: "\n") {
                let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                switch f[0] {
                case "task":
                    XCTAssertEqual(tables.tasks.first { $0.type == f[1] }?.count, Int(f[2]), "\(name): tasks \(f[1])")
                case "region":
                    let row = tables.regions.first { $0.type == f[1] && "0x" + String($0.pc, radix: 16) == f[3] }
                    XCTAssertEqual(row?.function, f[2], "\(name): region \(f[1]) at \(f[3])")
                    XCTAssertEqual(row?.histogram.count, Int(f[4]), "\(name): regions \(f[1]) at \(f[3])")
                case "bucket":
                    let histogram = f[1] == "task" ? tables.tasks.first { $0.type == f[2] }?.histogram
                        : tables.regions.first { "\($0.type)@0x\(String($0.pc, radix: 16))" == f[2] }?.histogram
                    let count = histogram?.rows.first { GoDuration.string($0.minimum) == f[3] }?.count
                    XCTAssertEqual(count, Int(f[4]), "\(name): \(f[1]) \(f[2]) bucket \(f[3])")
                    checked += 1
                default: continue
                }
            }
            XCTAssertEqual(tables.tasks.count, Set(try String(contentsOfFile: pages.path, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("task\t") }).count, "\(name): task types")
            XCTAssertGreaterThan(checked, 20, name)
            XCTAssertEqual(analysis.groups.count, groups.count)
        }
    }

    /// A value of go tool trace's goroutine page, by its column name.
    static func stat(_ column: String, of g: GoroutineAnalysis.Goroutine) -> Int64 {
        let known: Int64 = g.execution &+ g.schedulerWait &+ g.syscall &+ g.syscallBlocked &+ g.blockedByReason.values.reduce(0, &+)
        switch column {
        case "Total": return g.total
        case "Execution time": return g.execution
        case "Sched wait time": return g.schedulerWait
        case "Syscall execution time": return g.syscall
        case "Unknown time": return known < g.total ? g.total &- known : 0
        case "Block time (syscall)": return g.syscallBlocked &+ (g.blockedByReason["syscall"] ?? 0)
        default:
            if column.hasPrefix("Block time ("), column.hasSuffix(")") {
                return g.blockedByReason[String(column.dropFirst("Block time (".count).dropLast())] ?? 0
            }
            return g.ranges[column] ?? 0
        }
    }

    /// The timeline: the longest stop-the-world pause is drawn and labelled, every P has a row,
    /// the same trace gives the same bytes, and the PNG is drawn from the same scene.
    func testTimelineMarksTheLongestPauseAndIsDeterministic() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("timeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: out) }
        for name in Self.names {
            let trace = try Trace.parse(Array(try Data(contentsOf: Self.dir.appendingPathComponent("\(name).trace"))))
            let svg = out.appendingPathComponent("\(name).svg").path, again = out.appendingPathComponent("\(name)-again.svg").path
            try TimelineJob(input: path("\(name).trace"), output: svg).run()
            try TimelineJob(input: path("\(name).trace"), output: again).run()
            let text = try String(contentsOfFile: svg, encoding: .utf8)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: svg)), try Data(contentsOf: URL(fileURLWithPath: again)), "\(name): deterministic")
            let longest = trace.stopTheWorld.map { $0.end - $0.begin }.max() ?? 0
            XCTAssertTrue(text.contains(">STW \(GoDuration.string(longest))</text>"), "\(name): the longest pause (\(GoDuration.string(longest))) is labelled")
            XCTAssertTrue(text.contains(">P0</text>"), "\(name): a row per P")
            XCTAssertTrue(text.contains("\(trace.gcCyclesBegun) GC cycles · \(trace.stopTheWorld.count) stop-the-world pauses"))
            let png = out.appendingPathComponent("\(name).png").path
            try TimelineJob(input: path("\(name).trace"), output: png).run()
            XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: png)).prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        }
    }

    /// The minimum mutator utilization against go tool trace's /mmu curves: counting
    /// stop-the-world pauses only, the same values; counting workers and assists too, the same
    /// values under `go tool trace`'s rules (which count a mark worker once more at each start),
    /// and under the corrected rules a curve between zero and the STW-only one.
    func testMutatorUtilizationFollowsGoToolTrace() throws {
        for name in Self.names {
            let trace = try Trace.parse(Array(try Data(contentsOf: Self.dir.appendingPathComponent("\(name).trace"))))
            let stwOnly = MutatorUtilization(trace, counting: .stopTheWorld)
            let asGo = MutatorUtilization(trace, rules: .goToolTrace)
            let corrected = MutatorUtilization(trace)
            var compared = (stw: 0, all: 0)
            for line in try String(contentsOfFile: path("\(name).goroutines.txt"), encoding: .utf8).split(separator: "\n") {
                let f = line.split(separator: "\t")
                guard f.count == 3, let window = Int64(f[1]), let want = Double(f[2]) else { continue }
                // Below a microsecond go tool trace's curve shows its end-of-trace zero point.
                guard window >= 1000 else { continue }
                if f[0] == "mmu-stw" {
                    XCTAssertEqual(stwOnly.minimum(window: window).utilization, want, accuracy: 0.005, "\(name): STW MMU at \(GoDuration.string(window))")
                    let fixed = corrected.minimum(window: window).utilization
                    XCTAssertLessThanOrEqual(fixed, stwOnly.minimum(window: window).utilization + 1e-9, "\(name): workers and assists leave less to the program")
                    XCTAssertGreaterThanOrEqual(fixed, 0)
                    compared.stw += 1
                } else if f[0] == "mmu" {
                    XCTAssertEqual(asGo.minimum(window: window).utilization, want, accuracy: 0.0001, "\(name): MMU at \(GoDuration.string(window)) as go tool trace counts it")
                    compared.all += 1
                }
            }
            XCTAssertGreaterThan(compared.stw, 0, name)
            XCTAssertGreaterThan(compared.all, 0, name)
        }
    }

    /// `goroutines` and `tasks` JSON follow docs/flamegen.schema.json, with the numbers of the text.
    func testGoroutineAndTaskJSONFollowTheSchema() throws {
        let validator = try JSONSchemaValidator(schemaFile: Corpus.repoRoot.appendingPathComponent("docs/flamegen.schema.json"))
        for name in Self.names {
            let trace = try Trace.parse(Array(try Data(contentsOf: Self.dir.appendingPathComponent("\(name).trace"))))
            let goroutines = GoroutineReport(trace: trace)
            let document = try JSONSerialization.jsonObject(with: Data(goroutines.json().utf8))
            XCTAssertEqual(validator.violations(of: document), [], "\(name): goroutines")
            let groups = (document as? [String: Any])?["groups"] as? [[String: Any]] ?? []
            XCTAssertEqual(groups.count, goroutines.groups.count)
            XCTAssertEqual((groups.first?["totals"] as? [String: Any])?["execution"] as? Int64, goroutines.groups.first.map { $0.sums[0] })
            let tasks = try JSONSerialization.jsonObject(with: Data(AnnotationReport(trace: trace).json().utf8))
            XCTAssertEqual(validator.violations(of: tasks), [], "\(name): tasks")
        }
    }

    /// Go's own test traces, one per format version and ordering corner case (go 1.22, 1.23,
    /// 1.25; testdata/trace_text_to_binary.py made them binary): the same goroutine state
    /// changes, GC cycles and pauses as go tool trace, and an error where it has one.
    func testGoTestTracesOfEveryVersion() throws {
        let dir = Self.dir.appendingPathComponent("go-tests")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".trace") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 20)
        var versions = Set<Int>()
        for file in names {
            let name = String(file.dropLast(".trace".count))
            let expected = try String(contentsOf: dir.appendingPathComponent(name + ".expected.txt"), encoding: .utf8)
            let bytes = Array(try Data(contentsOf: dir.appendingPathComponent(file)))
            guard expected.hasPrefix("parsed ok") else {
                XCTAssertThrowsError(try Trace.parse(bytes), "\(name): go tool trace refuses it")
                continue
            }
            let trace: Trace
            do { trace = try Trace.parse(bytes) } catch { XCTFail("\(name): \(error)"); continue }
            versions.insert(trace.version)
            var counts: [String: Int] = [:]
            for line in expected.split(separator: "\n").dropFirst() {
                let f = line.split(separator: " ")
                counts[String(f[0])] = Int(f[1])
            }
            XCTAssertEqual(trace.transitions.count, counts["goroutine_transitions"], "\(name): goroutine state changes")
            XCTAssertEqual(trace.gcCyclesBegun, counts["gc_cycles"], "\(name): GC cycles")
            XCTAssertEqual(trace.stopTheWorld.count, counts["stw_pauses"], "\(name): STW pauses")
        }
        XCTAssertEqual(versions, [22, 23, 25], "every older format version is read")
    }

    /// `--start/--end`: the timeline shows the window and says so.
    func testTimelineWindow() throws {
        XCTAssertEqual(GoDuration.parse("1.5s"), 1_500_000_000)
        XCTAssertEqual(GoDuration.parse("1m30s"), 90_000_000_000)
        XCTAssertEqual(GoDuration.parse("750us"), 750_000)
        XCTAssertNil(GoDuration.parse("fast"))
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("window-\(UUID().uuidString).svg")
        defer { try? FileManager.default.removeItem(at: out) }
        var job = TimelineJob(input: path("gc.trace"), output: out.path)
        job.start = 10_000_000
        job.end = 20_000_000
        try job.run()
        let text = try String(contentsOf: out, encoding: .utf8)
        XCTAssertTrue(text.contains("window 10ms–20ms"))
        XCTAssertTrue(text.contains(">10ms</text>") && text.contains(">20ms</text>"), "the axis runs over the window")
    }

    /// The CPU samples of a trace (recorded while a CPU profile ran): as a flame graph, the
    /// picture of go tool trace's own StackSample events folded; as a flame chart, the same
    /// samples in time order (the reference reversed, as the chart reads lines last to first).
    func testCPUSamplesAsFlameGraphAndTimeOrderedChart() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("cpu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: out) }
        let folded = try String(contentsOfFile: path("cpu.samples.folded"), encoding: .utf8)
        let lines = folded.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 50, "the fixture holds CPU samples")
        let reversed = out.appendingPathComponent("reversed.folded")
        try (lines.reversed().joined(separator: "\n") + "\n").write(to: reversed, atomically: true, encoding: .utf8)
        func draw(_ input: String, chart: Bool, fromTrace: Bool) throws -> Data {
            let file = out.appendingPathComponent(UUID().uuidString + ".svg").path
            var job = FlameJob(inputs: [input], output: file)
            job.title = "CPU"
            job.colorByPackage = false
            job.tree.flameChart = chart
            if fromTrace { job.traceProfile = .cpu }
            try job.run()
            return try Data(contentsOf: URL(fileURLWithPath: file))
        }
        XCTAssertEqual(try draw(path("cpu.trace"), chart: false, fromTrace: true), try draw(path("cpu.samples.folded"), chart: false, fromTrace: false), "flame graph")
        let chart = try draw(path("cpu.trace"), chart: true, fromTrace: true)
        XCTAssertEqual(chart, try draw(reversed.path, chart: true, fromTrace: false), "flame chart in time order")
        XCTAssertNotEqual(chart, try draw(path("cpu.samples.folded"), chart: true, fromTrace: false), "the order matters")
        let profile = try ProfileLoader().load(path: path("cpu.trace"))
        XCTAssertEqual(profile.total(0), Int64(lines.count), "every sample")
    }

    /// Streaming the events (nothing kept) gives what the stored trace gives.
    func testStreamingEqualsStored() throws {
        for name in Self.names {
            let bytes = Array(try Data(contentsOf: Self.dir.appendingPathComponent("\(name).trace")))
            let stored = try Trace.parse(bytes)
            XCTAssertEqual(try GoroutineReport(events: Trace.streaming(bytes)).text(), GoroutineReport(trace: stored).text(), name)
            XCTAssertEqual(try AnnotationReport(events: Trace.streaming(bytes)).text(), AnnotationReport(trace: stored).text(), name)
            XCTAssertEqual(try MMUReport(events: Trace.streaming(bytes)).text(), MMUReport(trace: stored).text(), name)
            for kind in [TraceProfileKind.net, .sync, .syscall, .sched] {
                let streamed = try Trace.profile(kind, events: Trace.streaming(bytes))
                XCTAssertEqual(streamed.total(1), stored.profile(kind).total(1), "\(name) \(kind)")
            }
            // Read a few bytes at a time (batches and headers cut anywhere): the same again.
            for chunk in [1, 13, 4093] {
                let chunked = Trace.streaming(size: bytes.count) { () throws(TraceError) -> Trace.Chunks in
                    var offset = 0
                    return { () throws(TraceError) -> [UInt8] in
                        defer { offset = min(bytes.count, offset + chunk) }
                        return Array(bytes[offset..<min(bytes.count, offset + chunk)])
                    }
                }
                XCTAssertEqual(try GoroutineReport(events: chunked).text(), GoroutineReport(trace: stored).text(), "\(name) in \(chunk)-byte chunks")
            }
        }
    }

    func testCutAndDamagedTracesFailCleanlyOrKeepCompleteGenerations() throws {
        let whole = Array(try Data(contentsOf: Self.dir.appendingPathComponent("http.trace")))
        let full = try Trace.parse(whole)
        var kept = 0, refused = 0
        for cut in stride(from: 0, to: whole.count, by: max(1, whole.count / 97)) {
            do {
                let partial = try Trace.parse(Array(whole.prefix(cut)))
                XCTAssertNotNil(partial.truncation, "a cut trace says so (cut at \(cut))")
                XCTAssertLessThan(partial.generations, full.generations)
                kept += 1
            } catch {
                refused += 1
                XCTAssertFalse(String(describing: error).isEmpty)
            }
        }
        XCTAssertGreaterThan(refused, 0)
        // Random bytes after a valid header, and flipped bytes inside batches.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var damaged = whole
            for _ in 0..<8 { damaged[Int.random(in: 16..<damaged.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            _ = try? Trace.parse(damaged)
            let noise = Array(whole.prefix(16)) + (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? Trace.parse(noise)
        }
        XCTAssertThrowsError(try Trace.parse(Array("go 1.21 trace\0\0\0".utf8) + [1, 2, 3])) { error in
            XCTAssertEqual((error as? TraceError)?.description, "Go 1.21 trace format (Go 1.21 or older); re-record with Go ≥ 1.22")
        }
        _ = kept
    }
}
