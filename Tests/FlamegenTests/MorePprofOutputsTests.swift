import FlameApp
import FlameModel
import FlameReport
import Foundation
import XCTest

/// Reports against more real `go tool pprof` outputs (Fixtures/pprof/, made with Go 1.19.8's
/// pprof from the shared corpus; see the README there): normalize, peek, granularities, filters.
final class MorePprofOutputsTests: XCTestCase {
    func fixture(_ name: String) throws -> String {
        try String(contentsOf: Corpus.repoRoot.appendingPathComponent("Tests/FlamegenTests/Fixtures/pprof/\(name)"), encoding: .utf8)
    }

    func context(_ profile: String, base: String? = nil, normalize: Bool = false,
                 configure: (inout ReportOptions) -> Void = { _ in }) throws -> ReportContext {
        var o = ReportOptions()
        configure(&o)
        var inputs = ReportInputs(inputs: [try Corpus.path(profile)])
        if let base { inputs.base = [try Corpus.path(base)] }
        inputs.normalize = normalize
        return try inputs.context(options: o)
    }

    func testNormalizedBase() throws {
        let ours = TopReport(context: try context("go/heap_late.pb.gz", base: "go/heap_early.pb.gz", normalize: true)).text()
        XCTAssertEqual(ours, try fixture("heap_late@normalize-base-heap_early.top.txt"))
    }

    func testPeek() throws {
        func peek(_ profile: String, _ regex: String) throws -> String {
            try PeekReport(context: try context(profile) { $0.nodeFraction = 0; $0.edgeFraction = 0 }, pattern: regex).text()
        }
        XCTAssertEqual(try peek("go/cpu.pb.gz", "main\\."), try fixture("cpu@peek-main.txt"))
        XCTAssertEqual(try peek("go/goroutine.pb.gz", "sync\\."), try fixture("goroutine@peek-sync.txt"))
    }

    func testGranularitiesFiltersAndCumulativeOrder() throws {
        XCTAssertEqual(TopReport(context: try context("go/allocs.pb.gz") { o in
            o.cumulative = true
            o.nodeCount = 15
            o.sampleIndex = "alloc_objects"
        }).text(), try fixture("allocs@alloc_objects-cum-nc15.top.txt"))
        XCTAssertEqual(TopReport(context: try context("go/cpu.pb.gz") { $0.granularity = .filefunctions }).text(),
                       try fixture("cpu@filefunctions.top.txt"))
        XCTAssertEqual(TopReport(context: try context("go/cpu.pb.gz") { $0.granularity = .files }).text(),
                       try fixture("cpu@files.top.txt"))
        XCTAssertEqual(TopReport(context: try context("go/cpu.pb.gz") { $0.filter = StackFilter(ignore: "sha256", hide: "runtime\\.") }).text(),
                       try fixture("cpu@hide-ignore.top.txt"))
    }
}
