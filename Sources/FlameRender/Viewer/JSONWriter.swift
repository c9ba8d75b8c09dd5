/// Writes JSON for embedding in HTML: strings escape `<`, `>`, `&`, U+2028 and U+2029 as
/// `\uXXXX`, so the text can sit inside a `<script>` element whatever a name holds.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(0x2D) }
        var m = value.magnitude
        if m < 10 { bytes.append(UInt8(0x30 + m)); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while m > 0 {
                d[count] = UInt8(0x30 + m % 10)
                m /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(d[i]) }
        }
    }

    mutating func integers(_ values: [Int32]) {
        bytes.append(0x5B)
        for (i, v) in values.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            integer(Int64(v))
        }
        bytes.append(0x5D)
    }

    mutating func strings(_ values: [String]) {
        bytes.append(0x5B)
        for (i, s) in values.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            string(s)
        }
        bytes.append(0x5D)
    }

    mutating func string(_ s: String) {
        bytes.append(0x22)
        let utf8 = Array(s.utf8)
        var i = 0
        while i < utf8.count {
            let b = utf8[i]
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x09: raw("\\t")
            case 0x3C, 0x3E, 0x26, 0..<0x20, 0x7F: escape(UInt32(b))
            case 0xE2 where i + 2 < utf8.count && utf8[i + 1] == 0x80 && (utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9):
                escape(utf8[i + 2] == 0xA8 ? 0x2028 : 0x2029)
                i += 2
            default: bytes.append(b)
            }
            i += 1
        }
        bytes.append(0x22)
    }

    private mutating func escape(_ value: UInt32) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        raw("\\u")
        for shift in stride(from: 12, through: 0, by: -4) { bytes.append(hex[Int((value >> UInt32(shift)) & 0xF)]) }
    }
}
