import FlameApp
import FlameReport
import Foundation
import XCTest

/// `flamegen list` when the source is missing (listings are compared with pprof in PprofGoldenTests).
final class ListReportTests: XCTestCase {
    func list(_ profile: String, _ regex: String, sampleIndex: String? = nil, sourcePath: [String]? = nil) throws -> String {
        var o = ReportOptions()
        o.sampleIndex = sampleIndex
        var report = ListReport(context: try ReportInputs(inputs: [Fixture.path(profile)]).context(options: o), pattern: regex)
        report.sourcePath = sourcePath ?? [Corpus.repoRoot.appendingPathComponent("testdata/gen").path]
        report.trimPath = "flamegen.test/gen"
        return try report.text()
    }

    func testMissingSourceSaysSo() throws {
        let text = try list("cpu.pb.gz", "^main\\.fib$", sourcePath: ["/nonexistent-dir"])
        XCTAssertTrue(text.contains("ROUTINE ======================== main.fib in main.go"))
        XCTAssertTrue(text.contains("Error: could not find file main.go"), text)
    }
}
