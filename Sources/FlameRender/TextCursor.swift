/// Writes text through a raw pointer into memory its owner has already sized, with no capacity
/// or uniqueness check per piece: the writer of hundreds of thousands of SVG frames checks room
/// once per frame (`ByteWriter.write(atMost:_:)`) and then writes each piece here.
struct TextCursor {
    private(set) var position: UnsafeMutablePointer<UInt8>

    init(_ start: UnsafeMutablePointer<UInt8>) { position = start }

    /// The most bytes `escaped` writes for `byteCount` bytes of input (`"` → `&quot;`).
    static func escapedBound(_ byteCount: Int) -> Int { byteCount * 6 }

    /// The most bytes `integer` and `number` write.
    static let numberBound = 24

    mutating func raw(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        position.update(from: s.utf8Start, count: n)
        position += n
    }

    mutating func bytes(_ b: UnsafeRawBufferPointer) {
        guard let base = b.baseAddress else { return }
        UnsafeMutableRawPointer(position).copyMemory(from: base, byteCount: b.count)
        position += b.count
    }

    mutating func byte(_ b: UInt8) {
        position.pointee = b
        position += 1
    }

    /// A decimal integer.
    mutating func integer(_ value: Int64) {
        if value < 0 { byte(0x2D) }
        var m = value.magnitude
        var digits = 1
        var probe = m
        while probe >= 10 { probe /= 10; digits += 1 }
        var i = digits
        repeat {
            i -= 1
            position[i] = UInt8(0x30 + m % 10)
            m /= 10
        } while i > 0
        position += digits
    }

    /// A number with at most two decimals, trailing zeros dropped (`12`, `3.5`, `0.25`).
    mutating func number(_ v: Double) {
        var scaled = (v * 100).rounded()
        if !scaled.isFinite || scaled.magnitude >= 9e17 { scaled = 0 }
        if scaled < 0 { byte(0x2D); scaled = -scaled }
        let n = Int64(scaled)
        integer(n / 100)
        let frac = Int(n % 100)
        if frac != 0 {
            byte(0x2E)
            byte(UInt8(0x30 + frac / 10))
            if frac % 10 != 0 { byte(UInt8(0x30 + frac % 10)) }
        }
    }

    /// Text escaped for XML content and attribute values (see `XMLEscape`); at most
    /// `escapedBound(s.utf8.count)` bytes.
    mutating func escaped(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            var i = 0, run = 0
            let n = utf8.count
            while i < n {
                guard let (replacement, width) = XMLEscape.replacement(utf8, at: i) else { i += 1; continue }
                if run < i { bytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[run..<i]))) }
                raw(replacement)
                i += width
                run = i
            }
            if run < n { bytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[run..<n]))) }
        }
    }
}

/// What XML cannot carry as is: markup characters become entities, and characters XML cannot
/// hold at all (control characters, U+FFFE, U+FFFF) become U+FFFD, so no name can break the
/// markup.
enum XMLEscape {
    /// The replacement of the character at `i` and how many bytes it replaces, or nil to keep it.
    @inline(__always)
    static func replacement(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int) -> (StaticString, Int)? {
        let b = utf8[i]
        if b >= 0x28 && b != 0x3C && b != 0x3E && b != 0x7F && b != 0xEF { return nil }
        switch b {
        case 0x26: return ("&amp;", 1)
        case 0x3C: return ("&lt;", 1)
        case 0x3E: return ("&gt;", 1)
        case 0x22: return ("&quot;", 1)
        case 0x27: return ("&#39;", 1)
        case 0x09, 0x0A, 0x0D: return (" ", 1)
        case 0..<0x20, 0x7F: return ("\u{FFFD}", 1)
        case 0xEF where i + 2 < utf8.count && utf8[i + 1] == 0xBF && (utf8[i + 2] == 0xBE || utf8[i + 2] == 0xBF):
            return ("\u{FFFD}", 3) // U+FFFE, U+FFFF
        default: return nil
        }
    }
}
