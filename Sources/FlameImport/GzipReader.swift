import CZlib

/// gzip decompression pulled a piece at a time (every member of a multi-member stream), so a
/// reader that needs only what it is reading holds no more than one piece of the output. Fails
/// beyond `limit` output bytes in all, like `Gzip.inflate`.
public final class GzipReader {
    private let input: [UInt8]
    private let limit: Int
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    /// Compressed bytes consumed so far.
    private var consumed = 0
    private var produced = 0
    private var ended = false

    public init(_ input: [UInt8], limit: Int) throws(ImportError) {
        self.input = input
        self.limit = limit
        stream.initialize(to: z_stream())
        guard inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            throw .badGzip("zlib could not start")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Up to `count` more bytes of the decompressed stream; empty at its end.
    public func next(_ count: Int) throws(ImportError) -> [UInt8] {
        guard !ended, count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        var failure: ImportError?
        input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                while filled < count && !ended {
                    stream.pointee.next_in = UnsafeMutablePointer(mutating: src.baseAddress.map { $0 + consumed })
                    stream.pointee.avail_in = UInt32(clamping: src.count - consumed)
                    stream.pointee.next_out = dst.baseAddress! + filled
                    stream.pointee.avail_out = UInt32(clamping: count - filled)
                    let before = stream.pointee.avail_in
                    let status = inflate(stream, Z_NO_FLUSH)
                    consumed += Int(before - stream.pointee.avail_in)
                    let made = count - filled - Int(stream.pointee.avail_out)
                    filled += made
                    produced += made
                    if produced > limit { failure = .tooLarge(limit: limit); return }
                    switch status {
                    case Z_STREAM_END:
                        // Another member may follow (trailing zero padding is skipped).
                        while consumed < src.count && src[consumed] == 0 { consumed += 1 }
                        if consumed == src.count { ended = true } else if inflateReset(stream) != Z_OK { failure = .badGzip("bad member"); return }
                    case Z_OK:
                        continue
                    case Z_BUF_ERROR:
                        if consumed == src.count { failure = .badGzip("unexpected end of data (truncated file?)"); return }
                    default:
                        failure = .badGzip(stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)")
                        return
                    }
                }
            }
        }
        if let failure {
            ended = true
            throw failure
        }
        out.removeLast(count - filled)
        return out
    }
}
