import FlameLayout

/// An RGB image being drawn: 8-bit sRGB pixels with source-over blending of coverage values.
struct Canvas {
    let width: Int
    let height: Int
    /// RGB bytes, row by row.
    private(set) var pixels: [UInt8]

    init(width: Int, height: Int, fill: Color = .white) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            pixels[i * 3] = fill.r
            pixels[i * 3 + 1] = fill.g
            pixels[i * 3 + 2] = fill.b
        }
    }

    /// Blends `color` into pixel (x, y) with `coverage` in [0, 1].
    @inline(__always)
    mutating func blend(_ x: Int, _ y: Int, _ color: Color, _ coverage: Double) {
        guard x >= 0, y >= 0, x < width, y < height, coverage > 0 else { return }
        let i = (y * width + x) * 3
        if coverage >= 1 {
            pixels[i] = color.r
            pixels[i + 1] = color.g
            pixels[i + 2] = color.b
            return
        }
        func mix(_ dst: UInt8, _ src: UInt8) -> UInt8 {
            UInt8((Double(dst) + (Double(src) - Double(dst)) * coverage).rounded())
        }
        pixels[i] = mix(pixels[i], color.r)
        pixels[i + 1] = mix(pixels[i + 1], color.g)
        pixels[i + 2] = mix(pixels[i + 2], color.b)
    }

    /// Fills an axis-aligned rectangle; edge pixels get their exact covered fraction.
    mutating func fillRect(x: Double, y: Double, width w: Double, height h: Double, color: Color) {
        let x0 = max(0, x), y0 = max(0, y)
        let x1 = min(Double(width), x + w), y1 = min(Double(height), y + h)
        guard x1 > x0, y1 > y0 else { return }
        let px0 = Int(x0.rounded(.down)), px1 = Int(x1.rounded(.up))
        let py0 = Int(y0.rounded(.down)), py1 = Int(y1.rounded(.up))
        for py in py0..<py1 {
            let cy = min(Double(py + 1), y1) - max(Double(py), y0)
            for px in px0..<px1 {
                let cx = min(Double(px + 1), x1) - max(Double(px), x0)
                blend(px, py, color, cx * cy)
            }
        }
    }

    /// Strokes the outline of a rectangle with a line of `lineWidth` centred on its edges.
    mutating func strokeRect(x: Double, y: Double, width w: Double, height h: Double, color: Color, lineWidth: Double) {
        let half = lineWidth / 2
        fillRect(x: x - half, y: y - half, width: w + lineWidth, height: lineWidth, color: color)
        fillRect(x: x - half, y: y + h - half, width: w + lineWidth, height: lineWidth, color: color)
        fillRect(x: x - half, y: y + half, width: lineWidth, height: h - lineWidth, color: color)
        fillRect(x: x + w - half, y: y + half, width: lineWidth, height: h - lineWidth, color: color)
    }

    /// Blends a coverage mask whose top-left pixel is at (originX, originY).
    mutating func blend(mask: CoverageMask, color: Color) {
        let coverage = mask.coverage()
        for my in 0..<mask.height {
            for mx in 0..<mask.width {
                let c = coverage[my * mask.width + mx]
                if c > 0.002 { blend(mask.originX + mx, mask.originY + my, color, Double(c)) }
            }
        }
    }

    /// Fills the rows with a vertical gradient from `top` to `bottom` (5%–95%, like the SVG).
    mutating func fillGradient(top: Color, bottom: Color) {
        for y in 0..<height {
            let t = max(0, min(1, (Double(y) + 0.5) / Double(height) * 1.0 / 0.9 - 0.05 / 0.9))
            func lerp(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
            let c = Color(lerp(top.r, bottom.r), lerp(top.g, bottom.g), lerp(top.b, bottom.b))
            for x in 0..<width { blend(x, y, c, 1) }
        }
    }
}
