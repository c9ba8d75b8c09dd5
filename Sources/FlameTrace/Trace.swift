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

    /// One goroutine state change.
    public struct Transition: Sendable {
        public var time: Int64
        public var goroutine: UInt64
        public var from: GoState
        public var to: GoState
        /// Index into `strings` (block or stop reason), -1 for none.
        public var reason: Int32
        /// The stack of the event that caused it (`Event.Stack()`), -1 for none.
        public var eventStack: Int32
        /// The goroutine's own stack where the transition says so (blocking, creation), -1 otherwise.
        public var stack: Int32
        /// The P of the M the event happened on, -1 for none.
        public var proc: Int64
        /// The goroutine running on that M (the creator, for a creation), `UInt64.max` for none.
        public var context: UInt64
    }

    /// What the goroutine analysis reads, in event order.
    public enum Record: Sendable {
        /// `transitions[i]`.
        case transition(Int)
        /// A P went idle (stopped or stolen).
        case procIdle(proc: UInt64, time: Int64)
        /// A range (GC mark assist, sweep, stop-the-world) began, was active at a generation
        /// start, or ended. `proc` ranges are a P's (sweep); the others a goroutine's.
        case range(phase: RangePhase, name: Int32, onProc: Bool, scope: UInt64, goroutine: UInt64?, proc: Int64, time: Int64)
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
    }

    public var version = 0
    /// What was left out of a damaged or cut trace, nil when the whole file was read.
    public var truncation: String?
    public var strings: [String] = []
    /// Frames of every distinct stack (root last, as in the trace), as ids into `frames`.
    public var stacks: [[Int32]] = []
    public var frames = FrameTable()
    public var transitions: [Transition] = []
    public var records: [Record] = []
    public var stopTheWorld: [Span] = []
    public var gcCycles: [Span] = []
    public var cpuSamples: [(time: Int64, goroutine: UInt64, stack: Int32)] = []
    /// Heap in use and the heap goal, in bytes, as they changed.
    public var heapAlloc: [(time: Int64, bytes: UInt64)] = []
    public var heapGoal: [(time: Int64, bytes: UInt64)] = []
    /// User tasks (`trace.NewTask`) and regions (`trace.WithRegion`), begin and end (-1: open).
    public var tasks: [Annotation] = []
    public var regions: [Annotation] = []
    public var generations = 0
    public var eventCount = 0
    public var startTime: Int64 = 0
    public var endTime: Int64 = 0

    /// The string at `index`, "" for -1.
    public func string(_ index: Int32) -> String { index < 0 ? "" : strings[Int(index)] }
}

extension Trace {
    /// Decodes and orders a whole trace. A cut or damaged trace keeps its complete generations
    /// (`truncation` says what was left out); one with none is an error.
    public static func parse(_ bytes: [UInt8]) throws(TraceError) -> Trace {
        var reader = TraceReader(bytes: bytes)
        let generations = try reader.generations()
        guard !generations.isEmpty else {
            throw .malformed(reader.truncation ?? "no generations")
        }
        var ordering = TraceOrdering()
        for g in generations { try ordering.add(g) }
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
