import FlameModel
/// Appends text to a byte buffer quickly: the SVG of a big profile has hundreds of thousands of
/// numbers and names, so this avoids `String` formatting on the hot path.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []
    /// Where `write(atMost:_:)` writes before its bytes are appended.
    private var scratch: [UInt8] = []

    init(capacity: Int) { reserve(capacity) }

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    var count: Int { bytes.count }

    /// Room for `extra` more bytes without reallocating.
    mutating func reserve(_ extra: Int) { bytes.reserveCapacity(bytes.count + extra) }

    /// Forgets the bytes written, keeping the room they took.
    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// Passes the bytes written to `sink`, then forgets them: whether `sink` took them.
    mutating func flush(to sink: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        defer { removeAll() }
        return bytes.withUnsafeBytes { sink($0) }
    }


    /// Writes at most `limit` bytes through `body` with one capacity check for all of them:
    /// for pieces written many times over (an SVG frame), faster than an append per part.
    mutating func write(atMost limit: Int, _ body: (inout TextCursor) -> Void) {
        if scratch.count < limit { scratch = [UInt8](repeating: 0, count: max(limit, 4096)) }
        let written = scratch.withUnsafeMutableBufferPointer { buffer -> Int in
            var cursor = TextCursor(buffer.baseAddress!)
            body(&cursor)
            return cursor.position - buffer.baseAddress!
        }
        precondition(written <= limit, "text cursor wrote past its bound")
        scratch.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<written])) }
    }

    /// A number with at most two decimals, trailing zeros dropped (`12`, `3.5`, `0.25`).
    mutating func number(_ v: Double) { write(atMost: TextCursor.numberBound) { $0.number(v) } }

    mutating func integer(_ value: Int64) { write(atMost: TextCursor.numberBound) { $0.integer(value) } }

    /// Text escaped for XML content and attribute values (`XMLEscape`).
    mutating func escaped(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            var i = 0, run = 0
            let n = utf8.count
            while i < n {
                guard let (replacement, width) = XMLEscape.replacement(utf8, at: i) else { i += 1; continue }
                if run < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i])) }
                raw(replacement)
                i += width
                run = i
            }
            if run < n { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<n])) }
        }
    }
}
