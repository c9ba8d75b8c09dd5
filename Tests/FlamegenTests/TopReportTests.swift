import FlameApp
import FlameModel
import FlameReport
import XCTest

/// `flamegen top` against the real outputs of `go tool pprof -top` (Go 1.19), line for line
/// except the `Time:` header (its format differs between pprof versions).
final class TopReportTests: XCTestCase {
    static func withoutTime(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.hasPrefix("Time:") }
    }

    func top(_ inputs: [String], base: [String] = [], diffBase: [String] = [], cum: Bool = false,
             configure: (inout ReportOptions) -> Void = { _ in }) throws -> String {
        var o = ReportOptions()
        o.cumulative = cum
        configure(&o)
        var r = ReportInputs(inputs: inputs)
        r.base = base
        r.diffBase = diffBase
        return TopReport(context: try r.context(options: o)).text()
    }

    func assertSame(_ ours: String, _ expectedPath: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try Corpus.text(expectedPath)
        let a = Self.withoutTime(ours), b = Self.withoutTime(expected)
        if a != b {
            let firstDiff = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            XCTFail("\(expectedPath) differs at line \(firstDiff + 1):\n ours: \(firstDiff < a.count ? a[firstDiff] : "<end>")\npprof: \(firstDiff < b.count ? b[firstDiff] : "<end>")", file: file, line: line)
        }
    }

    func testEveryProfileAllNodesAndEverySampleIndex() throws {
        var compared = 0
        for (name, path) in try Corpus.pprofProfiles() {
            let dir = try Corpus.require().appendingPathComponent("expected")
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            where file == "\(name).top.txt" || (file.hasPrefix("\(name)@") && file.hasSuffix(".top.txt") && !file.contains("@base-")) {
                let index = file == "\(name).top.txt" ? nil : String(file.dropFirst(name.count + 1).dropLast(8))
                let ours = try top([path]) { o in
                    o.sampleIndex = index
                    o.nodeCount = 1_000_000
                    o.nodeFraction = 0
                    o.edgeFraction = 0
                }
                try assertSame(ours, "expected/\(file)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 35)
    }

    func testEveryProfileWithDefaultTrimming() throws {
        var compared = 0
        for (name, path) in try Corpus.pprofProfiles() where FileManager.default.fileExists(atPath: try Corpus.path("expected/\(name).default.top.txt")) {
            try assertSame(try top([path]), "expected/\(name).default.top.txt")
            compared += 1
        }
        XCTAssertGreaterThan(compared, 20)
    }

    func testSampleCPUVariants() throws {
        let sample = try Corpus.path("pprof-outputs/sample.cpu.pb.gz")
        try assertSame(try top([sample]), "pprof-outputs/sample.top.txt")
        try assertSame(try top([sample], cum: true), "pprof-outputs/sample.top_cum.txt")
        try assertSame(try top([sample]) { $0.nodeCount = 5 }, "pprof-outputs/sample.top_nodecount5.txt")
        try assertSame(try top([sample]) { $0.unit = "ms" }, "pprof-outputs/sample.top_unit_ms.txt")
        try assertSame(try top([sample]) { $0.filter.focus = "mapassign" }, "pprof-outputs/sample.top_focus.txt")
        try assertSame(try top([sample]) { $0.noInlines = true }, "pprof-outputs/sample.top_noinlines.txt")
        try assertSame(try top([sample]) { $0.granularity = .lines }, "pprof-outputs/sample.top_lines.txt")
    }

    func testLargeProfile() throws {
        let large = try Corpus.path("pprof-outputs/large.cpu.pb.gz")
        try assertSame(try top([large]), "pprof-outputs/large.top.txt")
        try assertSame(try top([large]) { $0.nodeFraction = 0; $0.nodeCount = 15 }, "pprof-outputs/large.top_nf0_nc15.txt")
    }

    func testDiffs() throws {
        let sample = try Corpus.path("pprof-outputs/sample.cpu.pb.gz")
        let base = try Corpus.path("pprof-outputs/base_synthetic.pb.gz")
        try assertSame(try top([sample], diffBase: [base]), "pprof-outputs/diff_new_vs_base.top.txt")
        try assertSame(try top([base], diffBase: [sample]), "pprof-outputs/diff_base_vs_new.top.txt")
        let late = try Corpus.path("go/heap_late.pb.gz"), early = try Corpus.path("go/heap_early.pb.gz")
        try assertSame(try top([late], base: [early]) { o in o.nodeCount = 1_000_000; o.nodeFraction = 0; o.edgeFraction = 0 },
                       "expected/heap_late@base-heap_early.top.txt")
    }
}
