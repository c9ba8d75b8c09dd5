import CZlib
import FlameModel

/// Writes a `Profile` as pprof's `profile.proto`, gzip-compressed, readable by `go tool pprof`.
///
/// Inlined frames are folded back into their caller's location (`Location.line`, leaf first);
/// every distinct (function, file) becomes a `Function`. Fractional values (folded input) are
/// rounded to integers. Sample labels, string and numeric with their units, are kept.
public enum PprofEncoder {
    public static func encode(_ profile: Profile) -> [UInt8] {
        var strings = StringTable()
        var body = ProtoWriter()
        for t in profile.sampleTypes {
            body.message(1) { $0.int(1, strings[t.type]); $0.int(2, strings[t.unit]) }
        }
        // Locations: a non-inlined frame followed by the frames inlined into it.
        var locationIDs: [[Int32]: UInt64] = [:]
        var locations: [[Int32]] = []
        var functionIDs: [String: UInt64] = [:]
        var functions: [(name: String, file: String, startLine: Int64)] = []
        func functionID(_ f: Frame) -> UInt64 {
            let key = f.name + "\u{0}" + f.file + "\u{0}" + String(f.startLine)
            if let id = functionIDs[key] { return id }
            functions.append((f.name, f.file, f.startLine))
            functionIDs[key] = UInt64(functions.count)
            return UInt64(functions.count)
        }
        var ids: [UInt64] = []
        for s in 0..<profile.sampleCount {
            let stack = Array(profile.stack(s))
            ids.removeAll(keepingCapacity: true)
            var i = 0
            while i < stack.count {
                var j = i + 1
                while j < stack.count && profile.frames[stack[j]].isInlined { j += 1 }
                let run = Array(stack[i..<j])
                let id = locationIDs[run] ?? {
                    locations.append(run)
                    locationIDs[run] = UInt64(locations.count)
                    return UInt64(locations.count)
                }()
                ids.append(id)
                i = j
            }
            let divisor = profile.valueDivisor
            let values = profile.sampleTypes.indices.map { t -> Int64 in
                let v = profile.value(s, t)
                return divisor == 1 ? v : Int64((Double(v) / Double(divisor)).rounded())
            }
            let labels = profile.labels[s] ?? []
            body.message(2) { m in
                m.packed(1, ids.reversed().map { Int64(bitPattern: $0) })
                m.packed(2, values)
                for l in labels {
                    m.message(3) { label in
                        label.int(1, strings[l.key])
                        if let text = l.string { label.int(2, strings[text]) }
                        if let n = l.number { label.int(3, n) }
                        if let unit = l.numberUnit, !unit.isEmpty { label.int(4, strings[unit]) }
                    }
                }
            }
        }
        let hasMapping = !profile.mainBinary.isEmpty
        if hasMapping {
            body.message(3) { m in
                m.int(1, 1)
                m.int(5, strings[profile.mainBinary])
                if !profile.mainBuildID.isEmpty { m.int(6, strings[profile.mainBuildID]) }
                m.int(7, 1)
                m.int(8, 1)
                m.int(9, 1)
                m.int(10, 1)
            }
        }
        for (index, run) in locations.enumerated() {
            body.message(4) { m in
                m.int(1, Int64(index + 1))
                if hasMapping { m.int(2, 1) }
                let address = profile.frames[run[0]].address
                if address != 0 { m.int(3, Int64(bitPattern: address)) }
                for f in run.reversed() {
                    let frame = profile.frames[f]
                    m.message(4) { line in
                        line.int(1, Int64(functionID(frame)))
                        if frame.line != 0 { line.int(2, frame.line) }
                    }
                }
            }
        }
        for (index, f) in functions.enumerated() {
            body.message(5) { m in
                m.int(1, Int64(index + 1))
                m.int(2, strings[f.name])
                m.int(3, strings[f.name])
                if !f.file.isEmpty { m.int(4, strings[f.file]) }
                if f.startLine != 0 { m.int(5, f.startLine) }
            }
        }
        if profile.timeNanos != 0 { body.int(9, profile.timeNanos) }
        if profile.durationNanos != 0 { body.int(10, profile.durationNanos) }
        if let pt = profile.periodType {
            body.message(11) { $0.int(1, strings[pt.type]); $0.int(2, strings[pt.unit]) }
        }
        if profile.period != 0 { body.int(12, profile.period) }
        for c in profile.comments { body.int(13, strings[c]) }
        body.int(14, strings[profile.sampleTypes[profile.defaultSampleIndex].type])
        var out = ProtoWriter()
        for s in strings.all { out.bytes(6, Array(s.utf8)) }
        return gzip(body.data + out.data)
    }

    /// gzip (RFC 1952) through zlib's deflate.
    static func gzip(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        var input = input
        let written: Int = input.withUnsafeMutableBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                stream.next_in = src.baseAddress
                stream.avail_in = UInt32(src.count)
                stream.next_out = dst.baseAddress
                stream.avail_out = UInt32(dst.count)
                deflate(&stream, Z_FINISH)
                return dst.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(written))
    }
}

/// pprof's string table: `""` first, then each string once, in order of first use.
struct StringTable {
    private(set) var all: [String] = [""]
    private var index: [String: Int64] = ["": 0]

    subscript(_ s: String) -> Int64 {
        mutating get {
            if let i = index[s] { return i }
            all.append(s)
            index[s] = Int64(all.count - 1)
            return Int64(all.count - 1)
        }
    }
}

/// Protobuf wire-format writer.
struct ProtoWriter {
    private(set) var data: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 { data.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        data.append(UInt8(v))
    }

    mutating func int(_ field: UInt64, _ value: Int64) {
        varint(field << 3)
        varint(UInt64(bitPattern: value))
    }

    mutating func bytes(_ field: UInt64, _ payload: [UInt8]) {
        varint(field << 3 | 2)
        varint(UInt64(payload.count))
        data += payload
    }

    mutating func packed(_ field: UInt64, _ values: [Int64]) {
        var inner = ProtoWriter()
        for v in values { inner.varint(UInt64(bitPattern: v)) }
        bytes(field, inner.data)
    }

    mutating func message(_ field: UInt64, _ body: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
        body(&inner)
        bytes(field, inner.data)
    }
}
