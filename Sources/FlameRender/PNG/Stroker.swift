import FlameLayout
import Foundation

/// Turns curves into polygons the coverage mask can fill: Bézier flattening, dashing, and
/// stroking with round joins and caps.
enum Stroker {
    /// Points along a cubic Bézier spline (start, then control, control, end triples).
    static func flatten(_ points: [Point]) -> [Point] {
        guard let first = points.first else { return [] }
        var out = [first]
        var i = 1
        while i + 2 < points.count {
            let p0 = points[i - 1], c1 = points[i], c2 = points[i + 1], p1 = points[i + 2]
            let length = distance(p0, c1) + distance(c1, c2) + distance(c2, p1)
            let steps = max(4, min(64, Int(length / 3)))
            for s in 1...steps {
                let t = Double(s) / Double(steps), u = 1 - t
                let a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t
                out.append(Point(a * p0.x + b * c1.x + c * c2.x + d * p1.x, a * p0.y + b * c1.y + c * c2.y + d * p1.y))
            }
            i += 3
        }
        return out
    }

    /// The "on" pieces of a polyline under a dash pattern (on, off lengths).
    static func dash(_ line: [Point], on: Double, off: Double) -> [[Point]] {
        var pieces: [[Point]] = []
        var current: [Point] = []
        var drawing = true
        var left = on
        for (a, b) in zip(line, line.dropFirst()) {
            var start = a
            var remaining = distance(a, b)
            if drawing && current.isEmpty { current = [start] }
            while remaining > left {
                let t = left / remaining
                let cut = Point(start.x + (b.x - start.x) * t, start.y + (b.y - start.y) * t)
                if drawing { current.append(cut); pieces.append(current); current = [] } else { current = [cut] }
                remaining -= left
                start = cut
                drawing.toggle()
                left = drawing ? on : off
            }
            left -= remaining
            if drawing { current.append(b) }
        }
        if drawing && current.count >= 2 { pieces.append(current) }
        return pieces
    }

    /// Polygons covering a polyline stroked `width` wide: a quad per segment and a disc at each
    /// point (round joins and caps), all wound the same way.
    static func stroke(_ line: [Point], width: Double) -> [[Point]] {
        let half = max(width, 0.5) / 2
        var polygons: [[Point]] = []
        for (a, b) in zip(line, line.dropFirst()) {
            let length = distance(a, b)
            guard length > 1e-9 else { continue }
            let nx = -(b.y - a.y) / length * half, ny = (b.x - a.x) / length * half
            polygons.append(oriented([Point(a.x + nx, a.y + ny), Point(b.x + nx, b.y + ny),
                                      Point(b.x - nx, b.y - ny), Point(a.x - nx, a.y - ny)]))
        }
        if half >= 0.75 {
            for p in line { polygons.append(disc(p, radius: half)) }
        }
        return polygons
    }

    static func disc(_ c: Point, radius: Double) -> [Point] {
        let n = max(8, Int(radius * 4))
        return (0..<n).map { i in
            let a = Double(i) / Double(n) * 2 * Double.pi
            return Point(c.x + cos(a) * radius, c.y + sin(a) * radius)
        }
    }

    /// `polygon`, reversed if needed so every polygon winds clockwise (positive area in y-down).
    static func oriented(_ polygon: [Point]) -> [Point] {
        var area = 0.0
        for (a, b) in zip(polygon, polygon.dropFirst() + [polygon[0]]) { area += a.x * b.y - b.x * a.y }
        return area < 0 ? polygon.reversed() : polygon
    }

    static func distance(_ a: Point, _ b: Point) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }
}
