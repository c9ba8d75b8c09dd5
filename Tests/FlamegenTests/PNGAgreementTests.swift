import CPNG
import FlameApp
import FlameReport
import Foundation
import XCTest

/// flamegen's PNGs against `rsvg-convert` of flamegen's own SVG of the same picture: mean
/// absolute per-channel difference under 6/255, and in every 32×32 tile about as much ink
/// (pixels off the tile's corner colour) as rsvg draws, so no box or label is missing.
final class PNGAgreementTests: XCTestCase {
    struct Image { let width: Int; let height: Int; let rgb: [UInt8] }

    static func decode(_ data: Data) -> Image? {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        let ok = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, data.count) }
        guard ok != 0 else { return nil }
        image.format = png_uint_32(PNG_FORMAT_RGB)
        var rgb = [UInt8](repeating: 0, count: Int(image.width) * Int(image.height) * 3)
        let done = rgb.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard done != 0 else { return nil }
        return Image(width: Int(image.width), height: Int(image.height), rgb: rgb)
    }

    static func rsvg() -> String? {
        ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// (mean difference, worst ink ratio) between flamegen's PNG and rsvg-convert's.
    static func compare(svg: String, png: String) throws -> (Double, Double) {
        let converted = svg + ".rsvg.png"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: rsvg()!)
        process.arguments = [svg, "-o", converted]
        try process.run()
        process.waitUntilExit()
        let a = try XCTUnwrap(decode(try Data(contentsOf: URL(fileURLWithPath: png))))
        let b = try XCTUnwrap(decode(try Data(contentsOf: URL(fileURLWithPath: converted))))
        XCTAssertEqual(a.width, b.width)
        XCTAssertEqual(a.height, b.height)
        guard a.width == b.width, a.height == b.height else { return (255, 255) }
        var total = 0
        for i in a.rgb.indices { total += abs(Int(a.rgb[i]) - Int(b.rgb[i])) }
        // The worst 32-px tile, compared as 8-px block averages: glyph anti-aliasing (which
        // differs between rasterizers) averages out, a missing box or label does not.
        func blocks(_ image: Image) -> [Double] {
            let bw = (image.width + 7) / 8, bh = (image.height + 7) / 8
            var out = [Double](repeating: 0, count: bw * bh * 3)
            var counts = [Double](repeating: 0, count: bw * bh)
            for y in 0..<image.height {
                for x in 0..<image.width {
                    let b = (y / 8) * bw + x / 8, i = (y * image.width + x) * 3
                    for c in 0..<3 { out[b * 3 + c] += Double(image.rgb[i + c]) }
                    counts[b] += 1
                }
            }
            for b in counts.indices { for c in 0..<3 { out[b * 3 + c] /= counts[b] } }
            return out
        }
        let ba = blocks(a), bb = blocks(b)
        let bw = (a.width + 7) / 8, bh = (a.height + 7) / 8
        var worst = 0.0
        for ty in stride(from: 0, to: bh, by: 4) {
            for tx in stride(from: 0, to: bw, by: 4) {
                var sum = 0.0, count = 0.0
                for y in ty..<min(ty + 4, bh) {
                    for x in tx..<min(tx + 4, bw) {
                        let base = (y * bw + x) * 3
                        for c in 0..<3 {
                            let d: Double = ba[base + c] - bb[base + c]
                            sum += abs(d)
                        }
                        count += 3
                    }
                }
                worst = max(worst, sum / count / 255)
            }
        }
        return (Double(total) / Double(a.width * a.height * 3), worst)
    }

    func testFlameIcicleDiffAndGraphPNGsAgreeWithRsvg() throws {
        guard Self.rsvg() != nil else { throw XCTSkip("rsvg-convert is not installed (apt-get install librsvg2-bin)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegen-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cpu = Fixture.path("cpu.pb.gz")
        let late = Fixture.path("heap_late.pb.gz"), early = Fixture.path("heap_early.pb.gz")
        let pictures: [(String, (String) throws -> Void)] = [
            ("flame", { out in try FlameJob(inputs: [cpu], output: out).run() }),
            ("icicle", { out in var j = FlameJob(inputs: [cpu], output: out); j.flame.inverted = true; try j.run() }),
            ("diff", { out in var j = FlameJob(inputs: [late], output: out); j.base = [early]; try j.run() }),
            ("graph", { out in
                var o = ReportOptions()
                o.nodeCount = 80
                try GraphJob(context: try ReportInputs(inputs: [Fixture.path("cpu.pb.gz")]).context(options: o), output: out).run()
            }),
        ]
        for (name, make) in pictures {
            let svg = dir.appendingPathComponent("\(name).svg").path, png = dir.appendingPathComponent("\(name).png").path
            try make(svg)
            try make(png)
            let (mean, worst) = try Self.compare(svg: svg, png: png)
            print("png-vs-rsvg \(name): mean \(String(format: "%.2f", mean))/255, worst tile \(String(format: "%.1f", worst * 100))%")
            XCTAssertLessThan(mean, 6, "\(name): mean difference")
            XCTAssertLessThan(worst, 0.08, "\(name): a tile differs from rsvg's far more than anti-aliasing (missing boxes or labels?)")
        }
    }

    func testPNGOutputIsDeterministicAndScales() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegen-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cpu = Fixture.path("cpu.pb.gz")
        let a = dir.appendingPathComponent("a.png").path, b = dir.appendingPathComponent("b.png").path
        try FlameJob(inputs: [cpu], output: a).run()
        try FlameJob(inputs: [cpu], output: b).run()
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)))
        var twice = FlameJob(inputs: [cpu], output: b)
        twice.scale = 2
        try twice.run()
        let one = try XCTUnwrap(Self.decode(try Data(contentsOf: URL(fileURLWithPath: a))))
        let two = try XCTUnwrap(Self.decode(try Data(contentsOf: URL(fileURLWithPath: b))))
        XCTAssertEqual(two.width, one.width * 2)
        XCTAssertEqual(two.height, one.height * 2)
    }
}
