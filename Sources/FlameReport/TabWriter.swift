/// Go's `text/tabwriter` with right alignment, padding 1 and spaces, as pprof uses it: cells end
/// with a tab, the last cell of a line is not aligned, and a column is aligned over a block of
/// consecutive lines that have that column.
struct RightAlignedTabWriter {
    private var lines: [[String]] = []

    /// Adds one line; `text` holds tab-terminated cells and a final unaligned part.
    mutating func line(_ text: String) {
        lines.append(text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init))
    }

    func output() -> String {
        var widths = [[Int]](repeating: [], count: lines.count)
        for i in lines.indices { widths[i] = Array(repeating: 0, count: max(0, lines[i].count - 1)) }
        var column = 0
        while true {
            var any = false
            var start = 0
            while start < lines.count {
                guard lines[start].count - 1 > column else { start += 1; continue }
                any = true
                var end = start, width = 0
                while end < lines.count, lines[end].count - 1 > column {
                    width = max(width, lines[end][column].unicodeScalars.count + 1)
                    end += 1
                }
                for i in start..<end { widths[i][column] = width }
                start = end
            }
            if !any { break }
            column += 1
        }
        var out = ""
        for (i, cells) in lines.enumerated() {
            for (c, cell) in cells.enumerated() {
                if c < cells.count - 1 {
                    out += String(repeating: " ", count: widths[i][c] - cell.unicodeScalars.count) + cell
                } else {
                    out += cell
                }
            }
            out += "\n"
        }
        return out
    }
}
