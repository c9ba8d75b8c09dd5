import Foundation

/// Writes output atomically: to a temporary file beside the target, then renamed over it, so a
/// failure never leaves a partial or clobbered file; an existing file keeps its permissions.
/// `-` writes to standard output. Every failure is one line naming the path and the reason.
public enum OutputFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(AppError) {
        try write(pieces: [bytes], to: path)
    }

    /// Writes `pieces` one after another, as one file.
    public static func write(pieces: [[UInt8]], to path: String) throws(AppError) {
        if path == "-" {
            for bytes in pieces { try writeAll(bytes, to: STDOUT_FILENO, name: "standard output") }
            return
        }
        let url = URL(fileURLWithPath: path)
        // Short, so that any valid target name still leaves room for it (names are ≤ 255 bytes).
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".fg-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp").path
        var mode: mode_t = 0o644
        var existing = stat()
        if stat(path, &existing) == 0 {
            if (existing.st_mode & S_IFMT) == S_IFDIR { throw AppError("\(path): is a directory", exitCode: 1) }
            mode = existing.st_mode & 0o7777
        }
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw AppError("\(path): cannot write: \(String(cString: strerror(errno)))", exitCode: 1) }
        do throws(AppError) {
            for bytes in pieces { try writeAll(bytes, to: fd, name: path) }
            fchmod(fd, mode)
            guard fsync(fd) == 0 || errno == EINVAL else { throw AppError("\(path): cannot write: \(String(cString: strerror(errno)))", exitCode: 1) }
            close(fd)
            guard rename(temp, path) == 0 else { throw AppError("\(path): cannot write: \(String(cString: strerror(errno)))", exitCode: 1) }
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
    }

    /// `write(2)` until done; a closed pipe or a full disk is an error, not a crash.
    static func writeAll(_ bytes: [UInt8], to fd: Int32, name: String) throws(AppError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw AppError("\(name): cannot write: \(String(cString: strerror(errno)))", exitCode: 1)
            }
            written += n
        }
    }
}
