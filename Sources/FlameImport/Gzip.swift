import CZlib

/// gzip decompression through zlib, with a cap on the decompressed size (gzip bombs) and
/// support for multi-member streams (as Go's reader does). Output can be streamed chunk by
/// chunk, so a reader can refuse a stream after its first bytes or aggregate as it goes.
public enum Gzip {
    /// True when `bytes` starts with the gzip magic `1f 8b`.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Decompresses every gzip member of `input`; fails beyond `limit` output bytes.
    public static func decompress(_ input: [UInt8], limit: Int) throws(ImportError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, max(input.count * 4, 1 << 16)))
        try inflate(input, limit: limit) { (chunk: UnsafeRawBufferPointer) throws(ImportError) -> Bool in
            output.append(contentsOf: chunk)
            return true
        }
        return output
    }

    /// Decompresses `input`, handing each piece of output (up to 1 MiB) to `consume`, which
    /// returns false to stop early. Fails beyond `limit` output bytes in all.
    public static func inflate(_ input: [UInt8], limit: Int,
                               _ consume: (UnsafeRawBufferPointer) throws(ImportError) -> Bool) throws(ImportError) {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .badGzip("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        var failure: ImportError?
        input.withUnsafeBufferPointer { src in
            stream.next_in = UnsafeMutablePointer(mutating: src.baseAddress)
            stream.avail_in = UInt32(src.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { dst in
                    stream.next_out = dst.baseAddress
                    stream.avail_out = UInt32(dst.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                total += produced
                if total > limit { failure = .tooLarge(limit: limit); return }
                if produced > 0 {
                    do {
                        let more = try chunk.withUnsafeBytes { (all: UnsafeRawBufferPointer) throws(ImportError) -> Bool in
                            try consume(UnsafeRawBufferPointer(rebasing: all[0..<produced]))
                        }
                        if !more { return }
                    } catch {
                        failure = error as? ImportError ?? .unreadable("\(error)")
                        return
                    }
                }
                switch status {
                case Z_STREAM_END:
                    // Another member may follow (skip trailing zero padding).
                    var rest = Int(stream.avail_in)
                    while rest > 0 && stream.next_in.pointee == 0 { stream.next_in += 1; rest -= 1 }
                    stream.avail_in = UInt32(rest)
                    if rest == 0 { return }
                    if inflateReset(&stream) != Z_OK { failure = .badGzip("bad member"); return }
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 { failure = .badGzip("unexpected end of data (truncated file?)"); return }
                    continue
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    failure = .badGzip(message)
                    return
                }
            }
        }
        if let failure { throw failure }
    }
}
