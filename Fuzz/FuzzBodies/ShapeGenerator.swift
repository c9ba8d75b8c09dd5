/// The structured fuzzer's profiles: profile.proto written from the fuzzer's choices.

/// Reads choices from the fuzzer's bytes (zeros once exhausted).
public struct Input {
    var bytes: [UInt8]
    var at = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    mutating func byte() -> UInt8 { defer { at += 1 }; return at < bytes.count ? bytes[at] : 0 }
    mutating func bool() -> Bool { byte() & 1 == 1 }
    mutating func small(_ limit: Int) -> Int { Int(byte()) % max(1, limit) }
    /// A number from a list of extremes, or a small one.
    mutating func number() -> UInt64 {
        let extremes: [UInt64] = [0, 1, 2, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, UInt64(Int64.max), UInt64(bitPattern: Int64.min),
                                  UInt64.max, UInt64(bitPattern: -1), 1 << 40]
        let b = byte()
        return b < 128 ? UInt64(b) : extremes[Int(b) % extremes.count]
    }
}

/// Writes profile.proto messages from fuzzer choices.
public enum ShapeGenerator {
    static func varint(_ v: UInt64, _ out: inout [UInt8]) {
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }
    static func field(_ n: UInt64, _ payload: [UInt8], _ out: inout [UInt8]) {
        varint(n << 3 | 2, &out); varint(UInt64(payload.count), &out); out += payload
    }
    static func number(_ n: UInt64, _ v: UInt64, _ out: inout [UInt8]) { varint(n << 3, &out); varint(v, &out) }

    public static func profile(_ input: inout Input) -> [UInt8] {
        var out: [UInt8] = []
        let strings = ["", "samples", "count", "bytes", "f1", "f2", "k", "v", "main", "{{flame}}", "a;b 12",
                       "seconds", "hours", "nanoseconds", "ms", "cpu"]
        let types = 1 + input.small(3)
        for _ in 0..<types {
            var t: [UInt8] = []
            number(1, UInt64(1 + input.small(strings.count - 1)), &t); number(2, UInt64(input.small(strings.count)), &t)
            field(1, t, &out)
        }
        let functions = 1 + input.small(6)
        for f in 1...functions {
            var m: [UInt8] = []
            number(1, input.bool() ? UInt64(f) : input.number(), &m)
            number(2, UInt64(input.small(strings.count)), &m)
            number(5, input.number(), &m)
            field(5, m, &out)
        }
        let locations = 1 + input.small(5)
        for l in 1...locations {
            var m: [UInt8] = []
            number(1, input.bool() ? UInt64(l) : input.number(), &m)
            for _ in 0..<(1 + input.small(40)) {
                var line: [UInt8] = []
                number(1, UInt64(1 + input.small(functions)), &line)
                number(2, input.number(), &line)
                field(4, line, &m)
            }
            field(4, m, &out)
        }
        for _ in 0..<(1 + input.small(20)) {
            var m: [UInt8] = []
            var ids: [UInt8] = []
            for _ in 0..<(input.small(30)) { varint(UInt64(1 + input.small(locations)), &ids) }
            field(1, ids, &m)
            var values: [UInt8] = []
            for _ in 0..<types { varint(input.number(), &values) }
            field(2, values, &m)
            if input.bool() {
                var label: [UInt8] = []
                number(1, UInt64(6 + input.small(2)), &label)
                if input.bool() { number(2, 7, &label) } else { number(3, input.number(), &label); number(4, 3, &label) }
                field(3, label, &m)
            }
            field(2, m, &out)
        }
        if input.bool() { number(7, 4, &out) } // drop_frames "f1"
        // Header fields at any value: time_nanos, duration_nanos, period_type, period.
        if input.bool() { number(9, input.number(), &out) }
        if input.bool() { number(10, input.number(), &out) }
        if input.bool() {
            var t: [UInt8] = []
            number(1, UInt64(input.small(strings.count)), &t); number(2, UInt64(input.small(strings.count)), &t)
            field(11, t, &out)
        }
        if input.bool() { number(12, input.number(), &out) }
        for s in strings { field(6, Array(s.utf8), &out) }
        return out
    }
}
