/// Measures text for layout, so truncation fits the boxes in every output format.
public protocol TextMeasurer: Sendable {
    /// Advance width of `text` in pixels at `fontSize`.
    func width(of text: String, fontSize: Double) -> Double
    /// The longest form of `text` that fits `width`: the text itself, or a prefix ending in `..`;
    /// empty when fewer than three characters would fit.
    func fit(_ text: String, width: Double, fontSize: Double) -> String
}

/// Metrics of a monospace font (DejaVu Sans Mono advances 0.602 em per character).
public struct MonospaceMeasurer: TextMeasurer {
    public var advance: Double

    public init(advance: Double = 0.602) { self.advance = advance }

    public func width(of text: String, fontSize: Double) -> Double {
        Double(text.unicodeScalars.count) * advance * fontSize
    }

    public func fit(_ text: String, width: Double, fontSize: Double) -> String {
        let chars = Int((width / (advance * fontSize)).rounded(.down))
        if chars < 3 { return "" }
        if text.utf8.count <= chars { return text } // never more scalars than bytes
        let scalars = text.unicodeScalars
        if scalars.count <= chars { return text }
        var result = String.UnicodeScalarView(scalars.prefix(chars - 2))
        result.append(contentsOf: "..".unicodeScalars)
        return String(result)
    }
}

extension TextMeasurer {
    /// Generic fitting by binary search over prefixes, for proportional fonts.
    public func fit(_ text: String, width: Double, fontSize: Double) -> String {
        if width <= 0 { return "" }
        if self.width(of: text, fontSize: fontSize) <= width { return text }
        let scalars = Array(text.unicodeScalars)
        // Largest n with width(prefix(n) + "..") <= width, by binary search.
        var low = 0, high = scalars.count
        while low < high {
            let mid = (low + high + 1) / 2
            var candidate = String.UnicodeScalarView(scalars[0..<mid])
            candidate.append(contentsOf: "..".unicodeScalars)
            if self.width(of: String(candidate), fontSize: fontSize) <= width { low = mid } else { high = mid - 1 }
        }
        if low + 2 < 3 { return "" }
        var result = String.UnicodeScalarView(scalars[0..<low])
        result.append(contentsOf: "..".unicodeScalars)
        return String(result)
    }
}
