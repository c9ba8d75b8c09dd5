import FlameApp
import FlameReport
import Foundation
import XCTest

/// `top --format json` (peek is compared with pprof in PprofGoldenTests).
final class PeekReportTests: XCTestCase {
    func context(_ path: String) throws -> ReportContext {
        var o = ReportOptions()
        o.nodeFraction = 0
        o.edgeFraction = 0
        return try ReportInputs(inputs: [path]).context(options: o)
    }

    func testTopJSONCarriesEveryRowWithNumbers() throws {
        let report = TopReport(context: try context(try Corpus.path("pprof-outputs/sample.cpu.pb.gz")))
        let json = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as! [String: Any]
        let rows = json["rows"] as! [[String: Any]]
        XCTAssertEqual(rows.count, report.rows.count)
        XCTAssertEqual(rows.count, 14)
        XCTAssertEqual(rows[0]["name"] as? String, "runtime.mapiternext")
        XCTAssertEqual(rows[0]["flat"] as? Int, 1_280_000_000)
        XCTAssertEqual(rows[0]["cum"] as? Int, 1_370_000_000)
        XCTAssertEqual(json["total"] as? Int, 1_760_000_000)
        XCTAssertEqual((rows[0]["flatPercent"] as? Double) ?? 0, 72.727, accuracy: 0.001)
    }
}
