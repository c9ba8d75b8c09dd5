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

    /// Polygons covering a polyline stroked `width` wide: one outline (offset to the left going
    /// forward, to the right coming back, mitred at the joints), so overlapping pieces never
    /// double the anti-aliased edges; sharp turns get a round join.
    static func stroke(_ input: [Point], width: Double) -> [[Point]] {
        let half = max(width, 0.5) / 2
        var line: [Point] = []
        for p in input where line.last.map({ distance($0, p) > 1e-6 }) ?? true { line.append(p) }
        guard line.count >= 2 else { return line.first.map { [disc($0, radius: half)] } ?? [] }
        // Unit normal of each segment.
        let normals: [Point] = zip(line, line.dropFirst()).map { a, b in
            let length = distance(a, b)
            return Point(-(b.y - a.y) / length, (b.x - a.x) / length)
        }
        var left: [Point] = [], right: [Point] = []
        var polygons: [[Point]] = []
        for (i, p) in line.enumerated() {
            var n = normals[min(i, normals.count - 1)]
            var scale = 1.0
            if i > 0 && i < line.count - 1 {
                let a = normals[i - 1], b = normals[i]
                let sum = Point(a.x + b.x, a.y + b.y)
                let length = (sum.x * sum.x + sum.y * sum.y).squareRoot()
                let cosine = a.x * b.x + a.y * b.y
                if length > 1e-6 && cosine > 0.5 {
                    n = Point(sum.x / length, sum.y / length)
                    scale = 1 / max(0.5, (n.x * a.x + n.y * a.y))
                } else {
                    polygons.append(disc(p, radius: half)) // a sharp turn: round it
                }
            }
            left.append(Point(p.x + n.x * half * scale, p.y + n.y * half * scale))
            right.append(Point(p.x - n.x * half * scale, p.y - n.y * half * scale))
        }
        polygons.insert(oriented(left + right.reversed()), at: 0)
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
