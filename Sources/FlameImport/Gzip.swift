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
        let reader = try GzipReader(input, limit: limit)
        while true {
            let chunk = try reader.next(1 << 20)
            if chunk.isEmpty { return }
            var more = true, failure: ImportError?
            chunk.withUnsafeBytes { bytes in
                do throws(ImportError) { more = try consume(bytes) } catch { failure = error }
            }
            if let failure { throw failure }
            if !more { return }
        }
    }
}
