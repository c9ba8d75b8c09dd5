import FlameModel

/// Why a trace cannot be read.
public enum TraceError: Error, Equatable, CustomStringConvertible {
    case notATrace
    case oldFormat(Int)
    case unsupportedVersion(Int)
    case malformed(String)
    /// The bytes could not be read (the reason, as the input names it).
    case input(String)

    public var description: String {
        switch self {
        case .notATrace: return "not a Go execution trace"
        case .oldFormat(let v):
            return "Go 1.\(v) trace format (Go 1.21 or older); re-record with Go ≥ 1.22"
        case .unsupportedVersion(let v): return "unsupported Go execution trace version go 1.\(v)"
        case .malformed(let why): return "malformed Go execution trace: \(why)"
        case .input(let why): return why
        }
    }
}

/// One generation's raw parts: its M batches (in file order per M), tables and CPU samples.
struct RawGeneration {
    var number: UInt64 = 0
    /// Ms in the order their first batch appeared, and each M's batches as (base time, bytes).
    var ms: [UInt64] = []
    var batches: [UInt64: [(time: UInt64, data: ArraySlice<UInt8>)]] = [:]
    var strings: [UInt64: String] = [:]
    /// Stack id → program counters; pc → (function string id, file string id, line).
    var stacks: [UInt64: [UInt64]] = [:]
    var frames: [UInt64: (function: UInt64, file: UInt64, line: UInt64)] = [:]
    var cpuSamples: [(time: UInt64, m: UInt64, p: UInt64, g: UInt64, stack: UInt64)] = []
    /// Nanoseconds per timestamp unit.
    var nanosPerTick = 0.0
    var minTime: UInt64 = 0
    var ended = false
}

/// Splits a trace into generations; stops at the first damage and says what was cut.
struct TraceReader {
    private var window: ByteWindow
    /// The input's size when known (for messages).
    private let size: Int?
    private(set) var version = 0
    /// Set when the file ends inside a generation (or is damaged there): what was left out.
    private(set) var truncation: String?

    /// Reads a trace held in memory.
    init(bytes: [UInt8]) {
        var whole: [UInt8]? = bytes
        self.init(size: bytes.count) { () throws(TraceError) -> [UInt8] in
            defer { whole = nil }
            return whole ?? []
        }
    }

    /// Reads a trace given a chunk at a time (`chunks` returns empty at the end).
    init(size: Int?, chunks: @escaping ByteWindow.Chunks) {
        window = ByteWindow(chunks)
        self.size = size
    }

    /// Hands each complete generation to `body` as soon as it is read, so only one is held at
    /// a time; returns how many there were. Errors of `body` are passed on; damage in the file
    /// ends the reading (see `truncation`).
    mutating func forEachGeneration(_ body: (RawGeneration) throws(TraceError) -> Void) throws(TraceError) -> Int {
        guard let (v, headerLength) = TraceFormat.headerVersion(try window.peek(64)) else { throw .notATrace }
        guard v >= 22 else { throw .oldFormat(v) }
        guard TraceFormat.supportedVersions.contains(v) else { throw .unsupportedVersion(v) }
        version = v
        window.skip(headerLength)
        var handed = 0
        var current = RawGeneration()
        // A generation read whole waits here until it is handed on outside the damage check,
        // so that errors of `body` are passed on, not taken for damage.
        var ready: RawGeneration?
        func finish() throws(TraceError) {
            guard current.number != 0 else { return }
            guard current.nanosPerTick > 0 else { throw .malformed("generation \(current.number) has no frequency event") }
            ready = current
            current = RawGeneration()
        }
        func hand() throws(TraceError) {
            guard let g = ready else { return }
            ready = nil
            try body(g)
            handed += 1
        }
        /// Reads the batch whose header starts being read in `cursor`, at input offset `start`.
        func readBatch(_ header: UInt8, from cursor: inout ByteCursor, at start: Int) throws(TraceError) {
            guard header == TraceFormat.eventBatch || header == TraceFormat.experimentalBatch else {
                throw TraceError.malformed("expected a batch, found event type \(header)")
            }
            let experimental = header == TraceFormat.experimentalBatch
            if experimental { _ = try cursor.byte() }
            let generation = try cursor.uvarint(), m = try cursor.uvarint(), time = try cursor.uvarint(), length = try cursor.uvarint()
            guard generation != 0 else { throw TraceError.malformed("generation 0 at byte \(start)") }
            guard length <= UInt64(TraceFormat.maxBatchSize) else { throw TraceError.malformed("batch of \(length) bytes at byte \(start)") }
            let headerBytes = cursor.offset - cursor.bytes.startIndex
            let whole = try window.peek(headerBytes + Int(length))
            guard whole.count == headerBytes + Int(length) else { throw TraceError.malformed("truncated") }
            // The generation keeps its own copy: the window's buffer is reused.
            let data = ArraySlice(Array(whole.dropFirst(headerBytes)))
            window.skip(whole.count)
            if current.number != 0 && generation != current.number {
                // Before Go 1.26 a new generation number starts the next generation.
                guard version < 26, current.number < .max, generation == current.number + 1 else {
                    throw TraceError.malformed("generation \(generation) after \(current.number) at byte \(start)")
                }
                try finish()
            }
            current.number = generation
            if current.minTime == 0 || time < current.minTime { current.minTime = time }
            if !experimental { try add(batch: data, m: m, time: time, to: &current) }
        }
        while true {
            let start = window.offset
            do {
                guard !(try window.atEnd()) else { break }
                // A batch header: kind, (experiment,) generation, M, time, size: at most 42 bytes.
                var cursor = ByteCursor(try window.peek(48))
                let header = try cursor.byte()
                if header == TraceFormat.endOfGeneration {
                    window.skip(1)
                    current.ended = true
                    try finish()
                } else {
                    try readBatch(header, from: &cursor, at: start)
                }
            } catch {
                // Keep the generations already complete; the damaged one is left out.
                try hand()
                let generations = "kept \(handed) complete generation\(handed == 1 ? "" : "s")"
                if case .malformed(let why) = error, why != "truncated" {
                    truncation = "\(why) in the batch at byte \(start); \(generations)"
                } else {
                    let of = size.map { " of \($0)" } ?? ""
                    truncation = "the trace ends inside generation \(current.number == 0 ? UInt64(handed + 1) : current.number) (cut at byte \(start)\(of)); \(generations)"
                }
                return handed
            }
            try hand()
        }
        // Before Go 1.26 the last generation simply ends with the file.
        if version < 26 || current.ended {
            try finish()
            try hand()
        } else if current.number != 0 {
            truncation = "the trace ends inside generation \(current.number) (no end-of-generation mark); kept \(handed) complete generation\(handed == 1 ? "" : "s")"
        }
        return handed
    }

    private func add(batch data: ArraySlice<UInt8>, m: UInt64, time: UInt64, to g: inout RawGeneration) throws(TraceError) {
        guard let first = data.first else { return }
        var c = ByteCursor(data)
        switch first {
        case TraceFormat.strings:
            _ = try c.byte()
            while !c.atEnd {
                guard try c.byte() == TraceFormat.string else { throw .malformed("expected a string in the string table") }
                let id = try c.uvarint(), length = try c.uvarint()
                guard length <= UInt64(TraceFormat.maxStringSize) else { throw .malformed("string of \(length) bytes") }
                g.strings[id] = String(decoding: try c.slice(Int(length)), as: UTF8.self)
            }
        case TraceFormat.stacks:
            _ = try c.byte()
            while !c.atEnd {
                guard try c.byte() == TraceFormat.stack else { throw .malformed("expected a stack in the stack table") }
                let id = try c.uvarint(), count = try c.uvarint()
                guard count <= UInt64(TraceFormat.maxFramesPerStack) else { throw .malformed("stack of \(count) frames") }
                var pcs: [UInt64] = []
                pcs.reserveCapacity(Int(count))
                for _ in 0..<count {
                    let pc = try c.uvarint(), function = try c.uvarint(), file = try c.uvarint(), line = try c.uvarint()
                    pcs.append(pc)
                    if g.frames[pc] == nil { g.frames[pc] = (function, file, line) }
                }
                g.stacks[id] = pcs
            }
        case TraceFormat.cpuSamples:
            _ = try c.byte()
            while !c.atEnd {
                guard try c.byte() == TraceFormat.cpuSample else { throw .malformed("expected a CPU sample") }
                g.cpuSamples.append((try c.uvarint(), try c.uvarint(), try c.uvarint(), try c.uvarint(), try c.uvarint()))
            }
        case TraceFormat.frequency where version < 25, TraceFormat.sync where version >= 25:
            if version >= 25 { _ = try c.byte() }
            while !c.atEnd {
                let type = try c.byte()
                if type == TraceFormat.frequency {
                    let ticksPerSecond = try c.uvarint()
                    guard ticksPerSecond > 0 else { throw .malformed("zero frequency") }
                    g.nanosPerTick = 1.0 / (Double(ticksPerSecond) / 1e9)
                } else if type == TraceFormat.clockSnapshot {
                    for _ in 0..<4 { _ = try c.uvarint() }
                } else {
                    throw .malformed("unexpected event \(type) in a sync batch")
                }
            }
        default:
            if g.batches[m] == nil { g.ms.append(m) }
            g.batches[m, default: []].append((time, data))
        }
    }
}

/// The unread bytes of a trace, taken from its source a chunk at a time, so a file need not be
/// held whole: only the bytes not yet read of the last chunk are kept.
struct ByteWindow {
    /// The next chunk of the input; empty at its end.
    typealias Chunks = () throws(TraceError) -> [UInt8]

    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false
    private let more: Chunks
    /// Bytes of the input before the first unread one.
    private(set) var offset = 0

    init(_ more: @escaping Chunks) { self.more = more }

    /// The next `count` unread bytes, or all that remain when fewer do.
    mutating func peek(_ count: Int) throws(TraceError) -> ArraySlice<UInt8> {
        while buffer.count - start < count && !ended {
            let chunk = try more()
            if chunk.isEmpty { ended = true; break }
            if start == buffer.count {
                buffer = chunk
            } else {
                buffer.removeFirst(start)
                buffer += chunk
            }
            start = 0
        }
        return buffer[start..<min(buffer.count, start + count)]
    }

    /// Marks `count` peeked bytes as read.
    mutating func skip(_ count: Int) {
        start += count
        offset += count
    }

    mutating func atEnd() throws(TraceError) -> Bool { try peek(1).isEmpty }
}

/// Reads bytes and unsigned LEB128 varints, failing cleanly at the end.
struct ByteCursor {
    let bytes: ArraySlice<UInt8>
    private(set) var offset: Int

    init(_ bytes: [UInt8], from offset: Int) {
        self.bytes = bytes[...]
        self.offset = offset
    }

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    var atEnd: Bool { offset >= bytes.endIndex }

    mutating func byte() throws(TraceError) -> UInt8 {
        guard offset < bytes.endIndex else { throw .malformed("truncated") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uvarint() throws(TraceError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.endIndex else { throw .malformed("truncated") }
            let b = bytes[offset]
            offset += 1
            guard shift < 64, shift != 63 || b <= 1 else { throw .malformed("varint overflows 64 bits") }
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
        }
    }

    mutating func slice(_ count: Int) throws(TraceError) -> ArraySlice<UInt8> {
        guard count >= 0, bytes.endIndex - offset >= count else { throw .malformed("truncated") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }
}
