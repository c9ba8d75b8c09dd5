import Foundation

/// An input file (or standard input for `-`) read in chunks with `read(2)`: never mapped, so a
/// file truncated while it is read ends early instead of faulting, and never read past the
/// byte limit.
final class InputFile {
    private let fd: Int32
    private let path: String
    private let limit: Int
    private var total = 0
    /// Size of a regular file, 0 for pipes and devices.
    let size: Int

    init(path: String, limit: Int) throws(ProfileLoader.Failure) {
        self.path = path
        self.limit = limit
        fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY)
        guard fd >= 0 else {
            let why = errno == ENOENT ? "no such file" : "cannot be read (\(String(cString: strerror(errno))))"
            throw ProfileLoader.Failure(path: path, reason: .unreadable(why))
        }
        var info = stat()
        var size = 0
        if fstat(fd, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                if path != "-" { close(fd) }
                throw ProfileLoader.Failure(path: path, reason: .unreadable("is a directory"))
            }
            if (info.st_mode & S_IFMT) == S_IFREG { size = Int(info.st_size) }
        }
        self.size = size
        if size > limit {
            if path != "-" { close(fd) }
            throw ProfileLoader.Failure(path: path, reason: .tooLarge(limit: limit))
        }
    }

    deinit { if path != "-" { close(fd) } }

    /// Up to `count` more bytes; empty at the end.
    func next(_ count: Int) throws(ProfileLoader.Failure) -> [UInt8] {
        var failure: ProfileLoader.Failure?
        // Not zero-filled first: the bytes read are the only ones kept.
        let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, filled in
            do throws(ProfileLoader.Failure) { filled = try fill(UnsafeMutableRawBufferPointer(buffer)) } catch { failure = error }
        }
        if let failure { throw failure }
        return out
    }

    /// Fills `buffer` (all its `count` bytes) with the next bytes and returns how many were
    /// read, 0 at the end. One buffer reused for every chunk of a big input has its pages
    /// faulted in once, not once per chunk.
    func read(into buffer: inout [UInt8]) throws(ProfileLoader.Failure) -> Int {
        var failure: ProfileLoader.Failure?
        let filled = buffer.withUnsafeMutableBytes { bytes -> Int in
            do throws(ProfileLoader.Failure) { return try fill(bytes) } catch { failure = error; return 0 }
        }
        if let failure { throw failure }
        return filled
    }

    /// `read(2)` until `buffer` is full or the input ends; the byte count read.
    private func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(ProfileLoader.Failure) -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = Foundation.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if n < 0 {
                if errno == EINTR { continue }
                throw ProfileLoader.Failure(path: path, reason: .unreadable("read failed: \(String(cString: strerror(errno)))"))
            }
            if n == 0 { break }
            filled += n
        }
        total += filled
        if total > limit { throw ProfileLoader.Failure(path: path, reason: .tooLarge(limit: limit)) }
        return filled
    }
}
