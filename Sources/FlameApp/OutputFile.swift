import Foundation

/// Writes output atomically: to a temporary file beside the target, then renamed over it, so a
/// failure never leaves a partial or clobbered file; an existing file keeps its permissions.
/// `-` writes to standard output; a FIFO or a character device (`/dev/null`, a terminal) is
/// written in place like it, never replaced; other special files are refused. Every failure is
/// one line naming the path and the reason.
public enum OutputFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(AppError) {
        let stream = try Stream(path: path)
        var failure: AppError?
        bytes.withUnsafeBytes { bytes in
            do throws(AppError) { try stream.write(bytes) } catch { failure = error }
        }
        if let failure { throw failure }
        try stream.commit()
    }

    /// An output written piece by piece: into the temporary file (or standard output) as the
    /// pieces come, renamed over the target by `commit`; removed if never committed.
    public final class Stream {
        private let path: String
        private let fd: Int32
        /// The temporary file, nil for standard output and special files written in place.
        private let temp: String?
        private let mode: mode_t
        /// What errors call the output.
        private let name: String
        private var done = false

        public init(path: String) throws(AppError) {
            self.path = path
            guard path != "-" else {
                (fd, temp, mode, name) = (STDOUT_FILENO, nil, 0, "standard output")
                return
            }
            name = path
            let url = URL(fileURLWithPath: path)
            // Short, so that any valid target name still leaves room for it (names are ≤ 255 bytes).
            let temp = url.deletingLastPathComponent()
                .appendingPathComponent(".fg-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp").path
            var mode: mode_t = 0o644
            var existing = stat()
            if stat(path, &existing) == 0 {
                switch existing.st_mode & S_IFMT {
                case S_IFREG: mode = existing.st_mode & 0o7777
                case S_IFDIR: throw AppError("\(path): is a directory", exitCode: 1)
                case S_IFIFO, S_IFCHR:
                    let fd = open(path, O_WRONLY | O_CLOEXEC)
                    guard fd >= 0 else { throw AppError("\(path): cannot write: \(String(cString: strerror(errno)))", exitCode: 1) }
                    (self.fd, self.temp, self.mode) = (fd, nil, 0)
                    return
                default: throw AppError("\(path): is a special file (not a regular file, FIFO or character device)", exitCode: 1)
                }
            }
            let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            guard fd >= 0 else { throw AppError("\(path): cannot write: \(String(cString: strerror(errno)))", exitCode: 1) }
            (self.fd, self.temp, self.mode) = (fd, temp, mode)
        }

        deinit {
            abandon()
            if temp == nil && fd != STDOUT_FILENO { close(fd) }
        }

        /// Writes the next piece.
        public func write(_ bytes: UnsafeRawBufferPointer) throws(AppError) {
            do throws(AppError) { try writeAll(bytes, to: fd, name: name) } catch {
                abandon()
                throw error
            }
        }

        /// Makes the file written the target (synced to disk first).
        public func commit() throws(AppError) {
            guard let temp, !done else { return }
            fchmod(fd, mode)
            guard fsync(fd) == 0 || errno == EINVAL else {
                let reason = String(cString: strerror(errno))
                abandon()
                throw AppError("\(path): cannot write: \(reason)", exitCode: 1)
            }
            close(fd)
            done = true
            guard rename(temp, path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temp)
                throw AppError("\(path): cannot write: \(reason)", exitCode: 1)
            }
        }

        /// Closes and removes the temporary file, if it is still there.
        private func abandon() {
            guard let temp, !done else { return }
            done = true
            close(fd)
            unlink(temp)
        }
    }

    /// `write(2)` until done; a closed pipe or a full disk is an error, not a crash.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, name: String) throws(AppError) {
        var written = 0
        while written < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw AppError("\(name): cannot write: \(String(cString: strerror(errno)))", exitCode: 1)
            }
            written += n
        }
    }
}
