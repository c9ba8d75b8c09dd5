import FlameModel
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
    /// The file offset the input started at, for a regular file (its pieces are then read at
    /// their offsets, by several threads); nil for pipes and devices.
    private var startOffset: Int?

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
        if (info.st_mode & S_IFMT) == S_IFREG {
            let at = lseek(fd, 0, SEEK_CUR)
            if at >= 0 { startOffset = Int(at) }
        }
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

    /// Calls `body` with `first` (bytes already read), then with each next piece of the input
    /// (up to `chunkSize` bytes), until the input ends or `body` returns false. The piece after
    /// is read on another thread meanwhile, so copying the input overlaps parsing it. Two
    /// buffers are reused: their pages are faulted in once, and nothing is zero-filled first.
    func forEachChunk(after first: [UInt8], chunkSize: Int = 1 << 22, _ body: (UnsafeRawBufferPointer) -> Bool) throws(ProfileLoader.Failure) {
        try forEachChunk(after: first, chunkSize: chunkSize) { (piece: UnsafeRawBufferPointer, next: ReadAhead) -> Bool in
            next.readInBackground()
            return body(piece)
        }
    }

    /// Like `forEachChunk(after:chunkSize:_:)`, but `body` is also given the reading of the
    /// next piece: its threads can read parts of it while they wait for each other, or have it
    /// read in the background.
    func forEachChunk(after first: [UInt8], chunkSize: Int = 1 << 22, _ body: (UnsafeRawBufferPointer, ReadAhead) -> Bool) throws(ProfileLoader.Failure) {
        let buffers = UnsafeMutableRawPointer.allocate(byteCount: 2 * chunkSize, alignment: 4096)
        defer { buffers.deallocate() }
        let firstPass = first.withUnsafeBytes { bytes in
            Result { () throws(ProfileLoader.Failure) in try pass(bytes, readingNextInto: UnsafeMutableRawBufferPointer(start: buffers, count: chunkSize), body) }
        }
        var count = try firstPass.get()
        var current = 0
        while count > 0 {
            let piece = UnsafeRawBufferPointer(start: buffers + current * chunkSize, count: count)
            current = 1 - current
            count = try pass(piece, readingNextInto: UnsafeMutableRawBufferPointer(start: buffers + current * chunkSize, count: chunkSize), body)
        }
    }

    /// Calls `body` with `piece` while the next bytes are read into `next`: how many were read,
    /// 0 at the end of the input or when `body` returned false.
    private func pass(_ piece: UnsafeRawBufferPointer, readingNextInto next: UnsafeMutableRawBufferPointer,
                      _ body: (UnsafeRawBufferPointer, ReadAhead) -> Bool) throws(ProfileLoader.Failure) -> Int {
        let ahead = ReadAhead(fd: fd, into: next, offset: startOffset.map { $0 + total })
        let more = body(piece, ahead)
        switch ahead.finish() {
        case .failure(let failure):
            throw ProfileLoader.Failure(path: path, reason: .unreadable("read failed: \(String(cString: strerror(failure.code)))"))
        case .success(let count):
            total += count
            if total > limit { throw ProfileLoader.Failure(path: path, reason: .tooLarge(limit: limit)) }
            return more ? count : 0
        }
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
