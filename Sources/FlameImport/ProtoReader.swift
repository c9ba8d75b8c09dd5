/// A protobuf wire-format reader over a byte buffer (no code generation, like pprof's own).
///
/// Handles varint (0), fixed64 (1), length-delimited (2) and fixed32 (5); groups are rejected.
/// Every read is bounds-checked and reports a `malformedProto` error instead of trapping.
struct ProtoReader {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil) {
        self.bytes = bytes
        position = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
    }

    var isAtEnd: Bool { position >= end }

    /// A protobuf field: its number and wire type.
    struct Tag {
        let field: UInt64
        let wireType: UInt8
    }

    @inline(__always)
    mutating func varint() throws(ImportError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw .malformedProto("truncated varint at byte \(position)") }
            let b = bytes[position]
            position += 1
            if shift == 63 && b > 1 { throw .malformedProto("varint overflow at byte \(position)") }
            result |= UInt64(b & 0x7f) << shift
            if b < 0x80 { return result }
            shift += 7
            if shift > 63 { throw .malformedProto("varint too long at byte \(position)") }
        }
    }

    mutating func tag() throws(ImportError) -> Tag {
        let key = try varint()
        let tag = Tag(field: key >> 3, wireType: UInt8(key & 7))
        guard tag.field != 0 else { throw .malformedProto("field number 0 at byte \(position)") }
        return tag
    }

    /// The byte range of a length-delimited field's payload; advances past it.
    mutating func lengthDelimited() throws(ImportError) -> Range<Int> {
        let length = try varint()
        guard length <= UInt64(end - position) else {
            throw .malformedProto("length \(length) runs past the end of the data at byte \(position)")
        }
        let start = position
        position += Int(length)
        return start..<position
    }

    /// Skips a field whose number this decoder does not know.
    mutating func skip(_ wireType: UInt8) throws(ImportError) {
        switch wireType {
        case 0: _ = try varint()
        case 1: try advance(8)
        case 2: _ = try lengthDelimited()
        case 5: try advance(4)
        default: throw .malformedProto("unknown wire type \(wireType) at byte \(position)")
        }
    }

    private mutating func advance(_ n: Int) throws(ImportError) {
        guard end - position >= n else { throw .malformedProto("truncated field at byte \(position)") }
        position += n
    }

    /// Reads a scalar field as an integer, for varint and fixed wire types.
    mutating func integer(_ wireType: UInt8) throws(ImportError) -> UInt64 {
        switch wireType {
        case 0: return try varint()
        case 1:
            guard end - position >= 8 else { throw .malformedProto("truncated fixed64 at byte \(position)") }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
            position += 8
            return v
        case 5:
            guard end - position >= 4 else { throw .malformedProto("truncated fixed32 at byte \(position)") }
            var v: UInt64 = 0
            for i in 0..<4 { v |= UInt64(bytes[position + i]) << (8 * UInt64(i)) }
            position += 4
            return v
        default:
            throw .malformedProto("wire type \(wireType) where an integer was expected at byte \(position)")
        }
    }

    /// Reads a repeated scalar field, packed (wire type 2) or one unpacked element, into `out`.
    mutating func repeatedInteger(_ wireType: UInt8, into out: inout [UInt64]) throws(ImportError) {
        if wireType == 2 {
            let range = try lengthDelimited()
            var inner = ProtoReader(bytes, range: range)
            while !inner.isAtEnd { out.append(try inner.varint()) }
        } else {
            out.append(try integer(wireType))
        }
    }
}
