import FlameLayout

/// Anti-aliased polygon coverage by signed-area accumulation: every edge adds, to the cells it
/// crosses, the area it covers to its right; a running sum along each row gives each pixel's
/// covered fraction. Overlapping polygons of the same orientation add up and are clamped to 1.
struct CoverageMask {
    let originX: Int
    let originY: Int
    let width: Int
    let height: Int
    /// Row stride has two spare cells so clamped edges never spill into the next row.
    private var cells: [Float]
    private var stride: Int { width + 2 }

    /// A mask covering the pixel box around `bounds` (minX, minY, maxX, maxY), clipped to the canvas.
    init?(bounds: (Double, Double, Double, Double), canvasWidth: Int, canvasHeight: Int) {
        let x0 = max(0, Int(bounds.0.rounded(.down)) - 1), y0 = max(0, Int(bounds.1.rounded(.down)) - 1)
        let x1 = min(canvasWidth, Int(bounds.2.rounded(.up)) + 1), y1 = min(canvasHeight, Int(bounds.3.rounded(.up)) + 1)
        guard x1 > x0, y1 > y0 else { return nil }
        originX = x0
        originY = y0
        width = x1 - x0
        height = y1 - y0
        cells = [Float](repeating: 0, count: (width + 2) * height)
    }

    /// Adds a closed polygon (canvas coordinates).
    mutating func add(polygon points: [Point]) {
        guard points.count >= 3 else { return }
        for i in points.indices {
            let a = points[i], b = points[(i + 1) % points.count]
            line(Double(a.x) - Double(originX), Double(a.y) - Double(originY), Double(b.x) - Double(originX), Double(b.y) - Double(originY))
        }
    }

    private mutating func line(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) {
        if ay == by { return }
        let direction: Double = ay < by ? 1 : -1
        let (x0, y0, x1, y1) = ay < by ? (ax, ay, bx, by) : (bx, by, ax, ay)
        let slope = (x1 - x0) / (y1 - y0)
        let top = max(y0, 0), bottom = min(y1, Double(height))
        guard bottom > top else { return }
        var x = x0 + (top - y0) * slope
        var row = Int(top.rounded(.down))
        while row < height && Double(row) < bottom {
            let rowTop = max(Double(row), top), rowBottom = min(Double(row + 1), bottom)
            let dy = rowBottom - rowTop
            if dy > 0 {
                let xNext = x + slope * dy
                cover(row: row, xa: x, xb: xNext, amount: dy * direction)
                x = xNext
            }
            row += 1
        }
    }

    /// Distributes `amount` (signed height of the edge in this row) over the cells between xa and xb.
    private mutating func cover(row: Int, xa: Double, xb: Double, amount: Double) {
        let limit = Double(width)
        let lo = min(max(min(xa, xb), 0), limit), hi = min(max(max(xa, xb), 0), limit)
        let base = row * stride
        let loCell = Int(lo.rounded(.down))
        if hi - lo < 1e-9 || Int(hi.rounded(.up)) <= loCell + 1 {
            // Within one cell: split by the edge's mean position.
            let mid = (lo + hi) / 2 - Double(loCell)
            cells[base + loCell] += Float(amount * (1 - mid))
            cells[base + loCell + 1] += Float(amount * mid)
            return
        }
        // Across cells: the area right of the edge grows linearly from lo to hi.
        let span = hi - lo
        let hiCell = Int(hi.rounded(.up))
        var previous = 0.0
        for cell in loCell..<hiCell {
            let right = min(Double(cell + 1), hi)
            // Fraction of `amount` whose coverage has started by the right side of this cell.
            let t = (right - lo) / span
            let left = max(Double(cell), lo)
            let tLeft = (left - lo) / span
            // Average coverage inside this cell of the part crossing it.
            let inside = (t - tLeft) * (1 - ((left + right) / 2 - Double(cell)))
            let covered = tLeft + inside
            cells[base + cell] += Float(amount * (covered - previous))
            previous = covered
        }
        cells[base + hiCell] += Float(amount * (1 - previous))
    }

    /// The covered fraction of each pixel of the mask, row by row (running sums, clamped).
    func coverage() -> [Float] {
        var out = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            var sum: Float = 0
            for x in 0..<width {
                sum += cells[y * stride + x]
                out[y * width + x] = min(abs(sum), 1)
            }
        }
        return out
    }
}
