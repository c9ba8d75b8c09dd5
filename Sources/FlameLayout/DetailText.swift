/// A frame's tooltip detail built in one byte buffer, reused from frame to frame: a flame
/// graph has up to hundreds of thousands of frames, and string interpolation allocates for
/// every piece of each.
public struct DetailText {
    private var bytes: [UInt8] = []

    public init() { bytes.reserveCapacity(128) }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Forgets the text, keeping its room.
    mutating func clear() { bytes.removeAll(keepingCapacity: true) }

    mutating func append(_ s: StaticString) { s.withUTF8Buffer { bytes.append(contentsOf: $0) } }

    mutating func append(string s: String) { bytes.append(contentsOf: s.utf8) }

    mutating func append(bytes more: [UInt8]) { bytes.append(contentsOf: more) }

    mutating func append(integer value: Int64) {
        if value < 0 { bytes.append(0x2D) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes: room for 20 digits
        var count = 0
        var m = value.magnitude
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                count += 1
                d[24 - count] = UInt8(0x30 + m % 10)
                m /= 10
            } while m > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: d[(24 - count)...]))
        }
    }

    /// `v` with exactly two decimals (`%.2f`).
    mutating func append(fixed2 v: Double) {
        guard v.isFinite, abs(v) < 1e15 else { append(string: ValueLabeler.fixed2(v)); return }
        let hundredths = Int64((abs(v) * 100).rounded())
        if v < 0 && hundredths != 0 { bytes.append(0x2D) }
        append(integer: hundredths / 100)
        bytes.append(0x2E)
        bytes.append(UInt8(0x30 + hundredths % 100 / 10))
        bytes.append(UInt8(0x30 + hundredths % 10))
    }
}
