import FlameModel

/// A Go execution trace, decoded and put in order: what the analyses and profiles need.
///
/// Events are in the order Go's own parser (`internal/trace`) emits them, with the same
/// nanosecond times (each strictly after the one before), so durations computed from them
/// equal `go tool trace`'s.
public struct Trace: Sendable {
    /// A goroutine's state, as `internal/trace` names them.
    public enum GoState: UInt8, Sendable {
        case undetermined, notExist, runnable, running, waiting, syscall
    }

    /// One goroutine state change (32 bytes: a trace holds millions).
    public struct Transition: Sendable {
        public var time: Int64
        public var goroutine: UInt64
        /// Index into `strings` (block or stop reason), -1 for none.
        public var reason: Int32
        /// The stack of the event that caused it (`Event.Stack()`), -1 for none.
        public var eventStack: Int32
        /// The goroutine's own stack where the transition says so (blocking, creation), -1 otherwise.
        public var stack: Int32
        private var procValue: Int16
        public var from: GoState
        public var to: GoState

        /// The P of the M the event happened on, -1 for none (or past 32767).
        public var proc: Int64 { Int64(procValue) }

        init(time: Int64, goroutine: UInt64, from: GoState, to: GoState, reason: Int32, eventStack: Int32, stack: Int32, proc: Int64) {
            self.time = time
            self.goroutine = goroutine
            self.reason = reason
            self.eventStack = eventStack
            self.stack = stack
            procValue = proc >= 0 && proc <= Int64(Int16.max) ? Int16(proc) : -1
            self.from = from
            self.to = to
        }
    }

    /// What the goroutine analysis reads, besides the transitions; see `forEachEvent`.
    public enum Record: Sendable {
        /// A P went idle (stopped or stolen).
        case procIdle(proc: UInt64, time: Int64)
        /// A range (GC mark assist, sweep, stop-the-world) began, was active at a generation
        /// start, or ended. `proc` ranges are a P's (sweep); the others a goroutine's.
        case range(phase: RangePhase, name: Int32, onProc: Bool, scope: UInt64, goroutine: UInt64?, proc: Int32, time: Int64)
        /// GOMAXPROCS changed.
        case procs(count: Int, time: Int64)
        /// A goroutine was labelled (the GC labels its mark workers `GC (dedicated)`, …).
        case label(goroutine: UInt64?, proc: Int64, name: Int32, time: Int64)
        /// A generation began.
        case sync(time: Int64)
        /// A user region began or ended on a goroutine (`stack`: where it began, -1 at the end).
        case region(begin: Bool, goroutine: UInt64, task: UInt64, name: Int32, stack: Int32, time: Int64)
        /// A user task began or ended.
        case task(begin: Bool, id: UInt64, name: Int32, time: Int64)
        /// The heap in use (or, `goal`, the heap goal) changed, in bytes.
        case heap(goal: Bool, bytes: UInt64, time: Int64)
    }

    public enum RangePhase: UInt8, Sendable { case begin, active, end }

    /// A user task or region.
    public struct Annotation: Sendable {
        /// The task's id; for a region, the task it belongs to (0: none).
        public var task: UInt64
        /// For a task, its parent; for a region, its goroutine.
        public var owner: UInt64
        /// Index into `strings`: the task or region type.
        public var name: Int32
        public var begin: Int64
        public var end: Int64
    }

    /// A stop-the-world pause or a GC cycle: begin and end times (end -1 while open at the end).
    public struct Span: Sendable {
        public var begin: Int64
        public var end: Int64
        /// STW: index into `strings` of its kind; GC: its sequence number.
        public var detail: Int64
        /// Already under way when the trace (or window) started: it did not begin here.
        public var startedBefore = false
    }

    /// GC cycles that began during the trace (those `go tool trace` counts).
    public var gcCyclesBegun: Int { gcCycles.filter { !$0.startedBefore }.count }

    public var version = 0
    /// What was left out of a damaged or cut trace, nil when the whole file was read.
    public var truncation: String?
    public var strings: [String] = []
    /// Frames of every distinct stack (root last, as in the trace), as ids into `frames`.
    public var stacks: [[Int32]] = []
    public var frames = FrameTable()
    public var transitions: [Transition] = []
    /// For each goroutine created while another ran: the creator, by transition index.
    public var creators: [Int: UInt64] = [:]
    /// Everything else in event order (empty when parsed for profiles only), and for each
    /// record the number of transitions that came before it.
    public var records: [Record] = []
    public var recordPositions: [Int32] = []

    /// A transition (with its index) or a record, in the order the events happened.
    public enum Event { case transition(Transition, Int), record(Record) }

    /// Every transition and record, in event order.
    public func forEachEvent(_ body: (Event) -> Void) {
        var next = 0
        for (i, record) in records.enumerated() {
            let upTo = Int(recordPositions[i])
            while next < upTo { body(.transition(transitions[next], next)); next += 1 }
            body(.record(record))
        }
        while next < transitions.count { body(.transition(transitions[next], next)); next += 1 }
    }

    /// Something that feeds events, in order, to a consumer, with the trace as it stands (its
    /// strings, stacks and frames so far); it returns the whole trace at the end.
    public typealias EventSource = (_ consume: @escaping (Event, borrowing Trace) -> Void) throws(TraceError) -> Trace

    /// The events of this (already parsed) trace.
    public var replay: EventSource {
        { consume in
            forEachEvent { consume($0, self) }
            return self
        }
    }

    /// `source`, remembering the trace it returns (for what comes after the events).
    public final class Capture: @unchecked Sendable {
        public private(set) var trace: Trace?
        public init() {}
        public func wrap(_ source: @escaping EventSource) -> EventSource {
            { consume throws(TraceError) in
                let t = try source(consume)
                self.trace = t
                return t
            }
        }
    }

    /// The events of a trace held in memory as it is parsed, kept nowhere.
    public static func streaming(_ bytes: [UInt8]) -> EventSource {
        events { TraceReader(bytes: bytes) }
    }

    /// The next chunk of a trace's bytes; empty at the end.
    public typealias Chunks = () throws(TraceError) -> [UInt8]

    /// The events of a trace read a chunk at a time, kept nowhere: memory holds one generation
    /// (a second or so of the trace), not the file. `open` starts the bytes from the beginning
    /// each time the events are asked for; `size` (when known) is for messages.
    public static func streaming(size: Int?, open: @escaping () throws(TraceError) -> Chunks) -> EventSource {
        events { () throws(TraceError) in TraceReader(size: size, chunks: try open()) }
    }

    private static func events(_ makeReader: @escaping () throws(TraceError) -> TraceReader) -> EventSource {
        { consume throws(TraceError) in
            var reader = try makeReader()
            var ordering = TraceOrdering()
            ordering.keepRecords = false
            ordering.keepTransitions = false
            ordering.sink = consume
            let count = try reader.forEachGeneration { g throws(TraceError) in try ordering.add(g) }
            guard count > 0 else { throw .malformed(reader.truncation ?? "no generations") }
            var trace = ordering.trace
            trace.version = reader.version
            trace.truncation = reader.truncation
            return trace
        }
    }
    public var stopTheWorld: [Span] = []
    public var gcCycles: [Span] = []
    public var cpuSamples: [(time: Int64, goroutine: UInt64, stack: Int32)] = []
    /// User tasks (`trace.NewTask`) and regions (`trace.WithRegion`), begin and end (-1: open).
    public var tasks: [Annotation] = []
    public var regions: [Annotation] = []
    public var generations = 0
    public var eventCount = 0
    public var startTime: Int64 = 0
    public var endTime: Int64 = 0

    public init() {}

    /// The string at `index`, "" for -1.
    public func string(_ index: Int32) -> String { index < 0 ? "" : strings[Int(index)] }
}

extension Trace {
    /// Decodes and orders a whole trace. A cut or damaged trace keeps its complete generations
    /// (`truncation` says what was left out); one with none is an error.
    /// `profilesOnly` keeps goroutine state changes and leaves out the other records (ranges,
    /// regions, labels…) that only the analyses and pictures read: less memory.
    public static func parse(_ bytes: [UInt8], profilesOnly: Bool = false) throws(TraceError) -> Trace {
        var reader = TraceReader(bytes: bytes)
        var ordering = TraceOrdering()
        ordering.keepRecords = !profilesOnly
        let count = try reader.forEachGeneration { g throws(TraceError) in try ordering.add(g) }
        guard count > 0 else { throw .malformed(reader.truncation ?? "no generations") }
        var trace = ordering.trace
        trace.version = reader.version
        trace.truncation = reader.truncation
        return trace
    }

    /// True when `bytes` start like a Go execution trace of any version.
    public static func looksLikeTrace(_ bytes: ArraySlice<UInt8>) -> Bool {
        TraceFormat.headerVersion(bytes) != nil
    }
}
