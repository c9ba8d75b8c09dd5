/// Writes protobuf wire format by hand, to build test profiles with exact encodings
/// (packed or unpacked scalars, unknown fields, bad indices…).
struct ProtoBuilder {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    mutating func tag(_ field: UInt64, _ wire: UInt64) { varint(field << 3 | wire) }

    mutating func int(_ field: UInt64, _ v: Int64) { tag(field, 0); varint(UInt64(bitPattern: v)) }

    mutating func message(_ field: UInt64, _ body: (inout ProtoBuilder) -> Void) {
        var inner = ProtoBuilder()
        body(&inner)
        tag(field, 2)
        varint(UInt64(inner.bytes.count))
        bytes += inner.bytes
    }

    mutating func string(_ field: UInt64, _ s: String) {
        tag(field, 2)
        varint(UInt64(s.utf8.count))
        bytes += Array(s.utf8)
    }

    mutating func packed(_ field: UInt64, _ values: [Int64]) {
        var inner = ProtoBuilder()
        for v in values { inner.varint(UInt64(bitPattern: v)) }
        tag(field, 2)
        varint(UInt64(inner.bytes.count))
        bytes += inner.bytes
    }

    /// A small CPU-like profile: functions main → work → (inlined) helper.
    /// `packedSamples` chooses the encoding of repeated scalars.
    static func sampleProfile(packedSamples: Bool, extra: (inout ProtoBuilder) -> Void = { _ in }) -> [UInt8] {
        var p = ProtoBuilder()
        let strings = ["", "samples", "count", "cpu", "nanoseconds", "main", "work", "helper", "main.go", "/bin/app"]
        p.message(1) { $0.int(1, 1); $0.int(2, 2) }
        p.message(1) { $0.int(1, 3); $0.int(2, 4) }
        func sample(_ p: inout ProtoBuilder, _ locs: [Int64], _ vals: [Int64]) {
            p.message(2) { s in
                if packedSamples {
                    s.packed(1, locs)
                    s.packed(2, vals)
                } else {
                    for l in locs { s.int(1, l) }
                    for v in vals { s.int(2, v) }
                }
            }
        }
        sample(&p, [2, 1], [1, 10])   // leaf first: work ← main
        sample(&p, [3, 2, 1], [2, 20]) // helper inlined into work's location 3
        sample(&p, [1], [3, 30])
        p.message(3) { $0.int(1, 1); $0.int(5, 9) }
        p.message(4) { l in l.int(1, 1); l.int(2, 1); l.message(4) { $0.int(1, 1); $0.int(2, 10) } }
        p.message(4) { l in l.int(1, 2); l.int(2, 1); l.message(4) { $0.int(1, 2); $0.int(2, 20) } }
        // Location 3: helper (line[0], inlined) into work (line[1]).
        p.message(4) { l in
            l.int(1, 3); l.int(2, 1)
            l.message(4) { $0.int(1, 3); $0.int(2, 30) }
            l.message(4) { $0.int(1, 2); $0.int(2, 21) }
        }
        p.message(5) { $0.int(1, 1); $0.int(2, 5); $0.int(4, 8) }
        p.message(5) { $0.int(1, 2); $0.int(2, 6); $0.int(4, 8) }
        p.message(5) { $0.int(1, 3); $0.int(2, 7); $0.int(4, 8) }
        for s in strings { p.string(6, s) }
        p.int(9, 1_000)
        p.int(10, 2_000_000_000)
        extra(&p)
        return p.bytes
    }
}
