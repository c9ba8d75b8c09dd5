import FlameImport
import FlameModel
import FlameReport
import Foundation
import XCTest

/// folded ⇄ pprof conversion: round trips and acceptance by `go tool pprof` when installed.
final class ConvertTests: XCTestCase {
    func folded(_ path: String) throws -> String {
        let p = try ProfileLoader().load(path: path)
        return try FoldedExport.text(p, index: p.defaultSampleIndex)
    }

    /// Exact for every input whose frames all have names (an empty frame name comes back as
    /// `<unknown>`, pprof's name for a frame without one).
    func testFoldedToPprofToFoldedRoundTripsExactly() throws {
        for input in ["folded/flamegraph/austin/flames.txt", "folded/flamegraph-test-results/perf-java-stacks-01-collapsed-all.txt",
                      "folded/collapse-perf/results/go-stacks-collapsed.txt", "folded/flamegraph/fractional-samples/no-fractionals.txt"] {
            let source = try Corpus.path(input)
            let once = try folded(source)
            let pprof = PprofEncoder.encode(try ProfileLoader().load(path: source))
            let decoded = try PprofDecoder.decode(try Gzip.decompress(pprof, limit: 1 << 30))
            XCTAssertEqual(try FoldedExport.text(decoded, index: decoded.defaultSampleIndex), once, input)
        }
    }

    func testPprofRoundTripKeepsTotalsInlinesAndTypes() throws {
        let original = try ProfileLoader().load(path: Fixture.path("cpu.pb.gz"))
        let decoded = try PprofDecoder.decode(try Gzip.decompress(PprofEncoder.encode(original), limit: 1 << 30))
        XCTAssertEqual(decoded.sampleTypes, original.sampleTypes)
        for i in original.sampleTypes.indices { XCTAssertEqual(decoded.total(i), original.total(i)) }
        XCTAssertEqual(Set(decoded.frames.frames.filter(\.isInlined).map(\.name)),
                       Set(original.frames.frames.filter(\.isInlined).map(\.name)))
        XCTAssertEqual(CallTree.build_cum(decoded), CallTree.build_cum(original))
    }

    /// `convert --to pprof` keeps string and numeric labels with their units: `tags` of the
    /// converted profile prints what go tool pprof -tags printed for the original.
    func testConvertedProfilesKeepTheirLabels() throws {
        for (name, index) in [("cpu", "cpu"), ("heap_late", "inuse_space"), ("heap_late", "alloc_objects"), ("goroutine", "goroutine")] {
            let original = try ProfileLoader().load(path: Fixture.path("\(name).pb.gz"))
            let decoded = try PprofDecoder.decode(try Gzip.decompress(PprofEncoder.encode(original), limit: 1 << 30))
            var o = ReportOptions()
            o.sampleIndex = index
            let tags = TagsReport(context: try ReportContext(profile: decoded, options: o)).text()
            let golden = try String(contentsOf: Fixture.dir.appendingPathComponent("expected/\(name)@\(index).tags.txt"), encoding: .utf8)
            XCTAssertEqual(tags, golden, "\(name) \(index)")
            XCTAssertFalse(golden.isEmpty)
        }
    }

    func testGoToolPprofReadsOurProfile() throws {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/go" }
        guard let go = (path + ["/usr/local/go/bin/go"]).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("go is not installed; go tool pprof acceptance not checked")
        }
        // The repository's own folded example (perf-vertx-stacks-01 collapsed): its total is the sum of its counts.
        let source = Corpus.repoRoot.appendingPathComponent("examples/perf-vertx.folded").path
        let total = try String(contentsOfFile: source, encoding: .utf8).split(separator: "\n").reduce(0) { $0 + Int($1.split(separator: " ").last!)! }
        XCTAssertGreaterThan(total, 0)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("flamegen-\(UUID().uuidString).pb.gz")
        defer { try? FileManager.default.removeItem(at: out) }
        try Data(PprofEncoder.encode(try ProfileLoader().load(path: source))).write(to: out)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: go)
        process.arguments = ["tool", "pprof", "-top", out.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["GOTOOLCHAIN": "local", "GOPROXY": "off"]) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(text.contains("Showing nodes accounting for \(total), 100% of \(total) total"), text)
    }
}

extension CallTree {
    /// Cumulative value by function of a profile's default sample type (test helper).
    static func build_cum(_ p: Profile) -> [String: Int64] {
        (try? CallTree.build(from: p).cumulativeByName()) ?? [:]
    }
}
