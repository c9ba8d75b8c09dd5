import CPNG
@testable import FlameRender
import FlameLayout
import XCTest

/// The PNG rasterizer's primitives, checked pixel by pixel.
final class RasterizerTests: XCTestCase {
    func pixel(_ c: Canvas, _ x: Int, _ y: Int) -> [UInt8] {
        let i = (y * c.width + x) * 3
        return Array(c.pixels[i..<i + 3])
    }

    func testIntegerRectanglesArePixelExact() {
        var c = Canvas(width: 10, height: 10)
        c.fillRect(x: 2, y: 3, width: 4, height: 2, color: Color(255, 0, 0))
        for y in 0..<10 {
            for x in 0..<10 {
                let inside = (2..<6).contains(x) && (3..<5).contains(y)
                XCTAssertEqual(pixel(c, x, y), inside ? [255, 0, 0] : [255, 255, 255], "(\(x),\(y))")
            }
        }
    }

    func testFractionalRectangleEdgesGetTheirCoverage() {
        var c = Canvas(width: 4, height: 1)
        c.fillRect(x: 0.5, y: 0, width: 2, height: 1, color: .black)
        XCTAssertEqual(pixel(c, 0, 0), [128, 128, 128], "half covered")
        XCTAssertEqual(pixel(c, 1, 0), [0, 0, 0])
        XCTAssertEqual(pixel(c, 2, 0), [128, 128, 128])
        XCTAssertEqual(pixel(c, 3, 0), [255, 255, 255])
    }

    func testPolygonCoverageSumsToItsArea() {
        let shapes: [[Point]] = [
            [Point(1.3, 1.1), Point(17.7, 2.9), Point(6.2, 14.6)],                   // triangle
            Stroker.disc(Point(10.4, 9.8), radius: 6.3),                            // disc
            [Point(2, 2), Point(12.5, 2), Point(12.5, 7.25), Point(2, 7.25)],       // rectangle
        ]
        for polygon in shapes {
            var area = 0.0
            for (a, b) in zip(polygon, polygon.dropFirst() + [polygon[0]]) { area += a.x * b.y - b.x * a.y }
            area = abs(area) / 2
            var mask = CoverageMask(bounds: (0, 0, 20, 20), canvasWidth: 20, canvasHeight: 20)!
            mask.add(polygon: polygon)
            let sum = mask.coverage().reduce(0, +)
            XCTAssertEqual(Double(sum), area, accuracy: area * 0.002 + 0.01)
        }
    }

    func testAntiAliasedEdgePixelsArePartial() {
        var mask = CoverageMask(bounds: (0, 0, 10, 10), canvasWidth: 10, canvasHeight: 10)!
        mask.add(polygon: [Point(0, 0), Point(10, 0), Point(0, 10)]) // diagonal edge
        let cov = mask.coverage()
        XCTAssertEqual(Double(cov[0 * 10 + 0 + 1]), 1, accuracy: 1e-5 + 0.0)  // well inside
        XCTAssertEqual(Double(cov[4 * 10 + 5]), 0.5, accuracy: 1e-5, "a pixel cut by the diagonal is half covered")
        XCTAssertEqual(Double(cov[9 * 10 + 9]), 0, accuracy: 1e-5)
    }

    func testTextWidthIsTheSumOfFreeTypeAdvances() throws {
        let fonts = try Fonts()
        let text = "runtime.mapassign_fast64"
        var sum = 0.0
        for ch in text { sum += fonts.mono.width(of: String(ch), fontSize: 12) }
        XCTAssertEqual(fonts.monoMeasurer.width(of: text, fontSize: 12), sum)
        XCTAssertGreaterThan(sum, 100)
        // Truncation with these metrics fits the box.
        let fitted = fonts.monoMeasurer.fit(text, width: 80, fontSize: 12)
        XCTAssertTrue(fitted.hasSuffix(".."))
        XCTAssertLessThanOrEqual(fonts.monoMeasurer.width(of: fitted, fontSize: 12), 80)
    }

    func testDashedStrokeLeavesGaps() {
        let pieces = Stroker.dash([Point(0, 0), Point(30, 0)], on: 1, off: 5)
        XCTAssertEqual(pieces.count, 5)
        XCTAssertEqual(pieces[1].first!.x, 6, accuracy: 1e-9)
    }
}
