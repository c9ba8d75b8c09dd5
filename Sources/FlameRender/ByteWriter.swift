/// Appends text to a byte buffer quickly: the SVG of a big profile has hundreds of thousands of
/// numbers and names, so this avoids `String` formatting on the hot path.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    var count: Int { bytes.count }

    /// Room for `extra` more bytes without reallocating.
    mutating func reserve(_ extra: Int) { bytes.reserveCapacity(bytes.count + extra) }

    /// Everything `other` wrote.
    mutating func append(_ other: ByteWriter) { bytes.append(contentsOf: other.bytes) }

    /// The bytes `other` wrote in `range`.
    mutating func append(_ other: ByteWriter, _ range: Range<Int>) { bytes.append(contentsOf: other.bytes[range]) }

    /// A number with at most two decimals, trailing zeros dropped (`12`, `3.5`, `0.25`).
    mutating func number(_ v: Double) {
        var scaled = (v * 100).rounded()
        if !scaled.isFinite { scaled = 0 }
        if scaled < 0 { bytes.append(0x2D); scaled = -scaled }
        let n = Int64(scaled)
        integer(n / 100)
        let frac = Int(n % 100)
        if frac != 0 {
            bytes.append(0x2E)
            bytes.append(UInt8(0x30 + frac / 10))
            if frac % 10 != 0 { bytes.append(UInt8(0x30 + frac % 10)) }
        }
    }

    mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(0x2D) }
        var m = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[count] = UInt8(0x30 + m % 10)
                m /= 10
                count += 1
            } while m > 0
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(d[i]) }
        }
    }

    /// Text escaped for XML content and attribute values. Characters XML cannot carry
    /// (control characters, U+FFFE, U+FFFF) become U+FFFD, so no name can break the markup.
    mutating func escaped(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            var i = 0, run = 0
            let n = utf8.count
            // Copies the bytes since `run` that need no escaping, in one append.
            func flush() { if run < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i])) } }
            while i < n {
                let b = utf8[i]
                if b >= 0x28 && b != 0x3C && b != 0x3E && b != 0x7F && b != 0xEF { i += 1; continue }
                var replacement: StaticString?
                var width = 1
                switch b {
                case 0x26: replacement = "&amp;"
                case 0x3C: replacement = "&lt;"
                case 0x3E: replacement = "&gt;"
                case 0x22: replacement = "&quot;"
                case 0x27: replacement = "&#39;"
                case 0x09, 0x0A, 0x0D: replacement = " "
                case 0..<0x20, 0x7F: replacement = "\u{FFFD}"
                case 0xEF where i + 2 < n && utf8[i + 1] == 0xBF && (utf8[i + 2] == 0xBE || utf8[i + 2] == 0xBF):
                    replacement = "\u{FFFD}" // U+FFFE, U+FFFF
                    width = 3
                default: break
                }
                if let replacement {
                    flush()
                    raw(replacement)
                    i += width
                    run = i
                } else {
                    i += 1
                }
            }
            flush()
        }
    }
}
