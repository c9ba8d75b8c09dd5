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
        let report = TopReport(context: try context(Fixture.path("cpu.pb.gz")))
        let json = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as! [String: Any]
        let rows = json["rows"] as! [[String: Any]]
        XCTAssertEqual(rows.count, report.rows.count)
        // pprof -top of this profile (Fixtures/go/expected/cpu@cpu.top.txt): 56 functions,
        // main.计算 first with 0.92s flat and 0.93s cum of 1.76s.
        XCTAssertEqual(rows.count, 56)
        XCTAssertEqual(rows[0]["name"] as? String, "main.计算")
        XCTAssertEqual(rows[0]["flat"] as? Int, 920_000_000)
        XCTAssertEqual(rows[0]["cum"] as? Int, 930_000_000)
        XCTAssertEqual(json["total"] as? Int, 1_760_000_000)
        XCTAssertEqual((rows[0]["flatPercent"] as? Double) ?? 0, 52.273, accuracy: 0.001)
    }
}
