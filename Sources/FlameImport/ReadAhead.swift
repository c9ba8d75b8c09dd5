import CPrefetch
import Foundation

/// The reading of an input's next piece while the piece before is parsed. For a regular file
/// it is cut into tasks of `taskSize` bytes, each read at its own offset (`pread(2)`), which
/// the parsing threads take while they wait for each other (`help`), or a thread of its own
/// takes (`readInBackground`); `finish` reads what is left. A background reader takes a
/// core from a parsing thread for as long as it copies, and the other parsing threads wait
/// for that one; helpers read only when they would wait. A pipe is read by a background
/// thread from the start.
final class ReadAhead: @unchecked Sendable {
    static let taskSize = 256 << 10

    private let fd: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    /// The file offset of `buffer`'s first byte; nil for a pipe (read in order, by one thread).
    private let offset: Int?
    /// Number of tasks: the buffer in `taskSize` pieces (one for a pipe).
    let taskCount: Int
    private let claims = TaskCounter()
    private let group = DispatchGroup()
    /// Per task: the bytes it read, or -errno.
    private let results: UnsafeMutablePointer<Int>

    /// Reads into `buffer` the bytes at `offset` of file `fd`, or, with `offset` nil, the next
    /// bytes of pipe `fd` (on another thread, from now on).
    init(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int?) {
        self.fd = fd
        self.buffer = buffer
        self.offset = offset
        taskCount = offset == nil ? 1 : max(1, (buffer.count + Self.taskSize - 1) / Self.taskSize)
        results = .allocate(capacity: taskCount)
        results.initialize(repeating: 0, count: taskCount)
        if offset == nil { readInBackground() }
    }

    deinit {
        group.wait()
        results.deallocate()
    }

    /// Reads one task of a regular file, if one is left: whether one was.
    @discardableResult
    func help() -> Bool {
        guard offset != nil, let task = claims.claim(below: taskCount) else { return false }
        run(task)
        return true
    }

    /// Reads the tasks nobody has taken yet on another thread.
    func readInBackground() {
        DispatchQueue.global().async(group: group) { [self] in
            if offset == nil {
                if claims.claim(below: 1) != nil { run(0) }
            } else {
                while help() {}
            }
        }
    }

    /// Reads what is left, waits for the tasks other threads took, and returns how many bytes
    /// were read in order from the start (fewer than the buffer holds only at the end of the
    /// input), or the error of the first task that failed.
    func finish() -> Result<Int, ReadFailure> {
        if offset == nil { group.wait() } else { while help() {} }
        group.wait()
        // Tasks taken by helpers were read before they went on: `claims` is claimed and the
        // helpers meet the caller at a barrier before it calls this.
        var count = 0
        for task in 0..<taskCount {
            let got = results[task]
            if got < 0 { return .failure(ReadFailure(code: Int32(-got))) }
            count += got
            if got < length(of: task) { break }
        }
        return .success(count)
    }

    /// A read that failed: its `errno`.
    struct ReadFailure: Error {
        let code: Int32
    }

    private func length(of task: Int) -> Int {
        offset == nil ? buffer.count : min(Self.taskSize, buffer.count - task * Self.taskSize)
    }

    /// Fills task `task`'s part of the buffer, up to the end of the input.
    private func run(_ task: Int) {
        let start = task * Self.taskSize
        let end = start + length(of: task)
        var got = 0
        while start + got < end {
            let target = buffer.baseAddress! + start + got
            let n = offset.map { pread(fd, target, end - start - got, off_t($0 + start + got)) } ?? read(fd, target, end - start - got)
            if n < 0 {
                if errno == EINTR { continue }
                results[task] = -Int(errno)
                return
            }
            if n == 0 { break }
            got += n
        }
        results[task] = got
    }
}
