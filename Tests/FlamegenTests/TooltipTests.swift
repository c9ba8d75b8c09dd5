import FlameLayout
import FlameModel
import XCTest

/// Frame tooltips: the fast formatter for plain counts says what the general one says.
final class TooltipTests: XCTestCase {
    func testCountDetailsMatchTheGeneralFormatter() {
        let labeler = ValueLabeler(sampleType: SampleType(type: "samples", unit: "count"))
        var rng = SystemRandomNumberGenerator()
        var cases: [(Int64, Int64)] = [(0, 1), (1, 3), (2, 3), (5, 200_000), (1, 20_000), (1, 20_001), (49_995, 100_000),
                                       (-7, 100), (Int64.max / 3, Int64.max), (123, 0), (10, 10), (-5, -10)]
        for _ in 0..<5_000 {
            let total = Int64.random(in: 1...1_000_000_000, using: &rng)
            cases.append((Int64.random(in: -total...total, using: &rng), total))
        }
        for (value, total) in cases {
            XCTAssertEqual(labeler.detail(value, of: total), labeler.label(value) + ", " + ValueLabeler.percent(value, of: total),
                           "\(value) of \(total)")
        }
    }
}
