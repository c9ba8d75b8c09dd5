import FlameLayout
import FlameModel
import XCTest

/// Frame tooltips: the one-buffer formatter says what the general formatters say.
final class TooltipTests: XCTestCase {
    private func cases() -> [(Int64, Int64)] {
        var rng = SystemRandomNumberGenerator()
        var cases: [(Int64, Int64)] = [(0, 1), (1, 3), (2, 3), (5, 200_000), (1, 20_000), (1, 20_001), (49_995, 100_000),
                                       (-7, 100), (Int64.max / 3, Int64.max), (123, 0), (10, 10), (-5, -10), (Int64.min + 1, 7)]
        for _ in 0..<3_000 {
            let total = Int64.random(in: 1...1_000_000_000, using: &rng)
            cases.append((Int64.random(in: -total...total, using: &rng), total))
        }
        return cases
    }

    func testDetailsMatchTheGeneralFormatters() {
        let types = [SampleType(type: "samples", unit: "count"), SampleType(type: "alloc_space", unit: "bytes"),
                     SampleType(type: "cpu", unit: "nanoseconds")]
        for type in types {
            for labeler in [ValueLabeler(sampleType: type), ValueLabeler(sampleType: type, divisor: 100)] {
                for (value, total) in cases() {
                    XCTAssertEqual(labeler.detail(value, of: total), labeler.label(value) + ", " + ValueLabeler.percent(value, of: total),
                                   "\(type.type): \(value) of \(total)")
                }
            }
        }
    }

    func testDifferentialDetailsSayTheSelfChangeAndBothTotals() {
        let labeler = ValueLabeler(sampleType: SampleType(type: "samples", unit: "count"))
        XCTAssertEqual(labeler.detail(80, of: 400, change: (10, 70, 80)), "80 samples, 20.00%; +2.50%; before 70 samples, after 80 samples")
        XCTAssertEqual(labeler.detail(3, of: 3, change: (-1, 4, 3)), "3 samples, 100%; -33.33%; before 4 samples, after 3 samples")
        XCTAssertEqual(labeler.detail(0, of: 0, change: (0, 5, 0)), "0 samples, 0%; 0.00%; before 5 samples, after 0 samples")
    }
}
