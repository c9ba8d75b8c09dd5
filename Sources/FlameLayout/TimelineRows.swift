import FlameTrace

/// What the timeline's per-event rows need, gathered from a trace's events as they stream by
/// (nothing is kept per event): goroutine counts and syscall counts per pixel column, the
/// longest scheduler waits, and per P the slices a pixel wide or more, the density of shorter
/// ones, and the columns with GC assists and sweeps. Pixel columns are those of `axis`, so the
/// window must be known before the events are fed (a first pass finds the trace's end).
struct TimelineRows {
    typealias Counts = (running: Int, runnable: Int, waiting: Int)
    /// A goroutine on a P (or in a syscall it entered there) from `begin` to `end`.
    struct Slice { var begin: Int64, end: Int64, goroutine: UInt64, syscall: Bool }
    /// A wait for a P: runnable from `begin`, running at `end`.
    struct Wait { var begin: Int64, end: Int64, goroutine: UInt64 }
    /// What was drawn on one P.
    struct Proc {
        /// A goroutine ran here (a P only swept is not drawn).
        var ran = false
        var wide: [Slice] = []
        /// Busy share of each column from slices under a pixel (may pass 1).
        var busy: [Double]
        var assisted: [Bool]
        var swept: [Bool]
        init(columns: Int) {
            busy = Array(repeating: 0, count: columns)
            assisted = Array(repeating: false, count: columns)
            swept = Array(repeating: false, count: columns)
        }
    }

    /// A value that changes over time (heap in use, heap goal): the largest value in each
    /// column, the value before the window, and the peak over the whole trace.
    struct Series {
        private(set) var columns: [UInt64?]
        private(set) var before: UInt64 = 0
        private(set) var peak: UInt64 = 0
        init(columns: Int) { self.columns = Array(repeating: nil, count: columns) }

        mutating func add(_ bytes: UInt64, at time: Int64, _ axis: TimelineLayout.Axis) {
            peak = max(peak, bytes)
            if time < axis.t0 { before = bytes; return }
            guard time <= axis.t1 else { return }
            let c = axis.column(time)
            columns[c] = max(columns[c] ?? 0, bytes)
        }
    }

    let axis: TimelineLayout.Axis
    private(set) var heapInUse: Series
    private(set) var heapGoal: Series

    // Goroutine counts: the latest counts in each column, and those before the window.
    private var counts: Counts = (0, 0, 0)
    private(set) var countColumns: [Counts?]
    private(set) var countsBefore: Counts = (0, 0, 0)
    private var runnableSince: [UInt64: Int64] = [:]
    /// The five longest scheduler waits in the window, longest first.
    private(set) var longestWaits: [Wait] = []

    // Syscalls: the most goroutines in syscalls in each column.
    private var inSyscall = 0
    private(set) var syscallColumns: [Int?]
    private(set) var syscallsBefore = 0
    private(set) var syscallPeak = 1

    /// Every P a goroutine ran on (also outside the window) or that swept: the `maxProcRows`
    /// lowest-numbered ones, so that the picture and the memory for its rows stay bounded.
    private(set) var procs: [Int64: Proc] = [:]
    static let maxProcRows = 512
    /// Ps left out (numbered above every row kept).
    private(set) var hiddenProcs: Set<Int64> = []
    private var running: [UInt64: (since: Int64, proc: Int64, syscall: Bool)] = [:]
    /// GC mark assists per goroutine: the one open (since when), those closed since its last
    /// slice ended, and columns of its slices the open one covered (kept only if it closes).
    private var openAssist: [UInt64: Int64] = [:]
    private var closedAssists: [UInt64: [(Int64, Int64)]] = [:]
    private var pendingAssistColumns: [UInt64: [(proc: Int64, from: Int, to: Int)]] = [:]
    private var openSweep: [UInt64: Int64] = [:]

    /// Each goroutine seen, and the root frame of the first stack seen for it (-1: none yet).
    private(set) var goroutineRoots: [UInt64: Int32] = [:]

    init(axis: TimelineLayout.Axis) {
        self.axis = axis
        countColumns = Array(repeating: nil, count: axis.columns)
        heapInUse = Series(columns: axis.columns)
        heapGoal = Series(columns: axis.columns)
        syscallColumns = Array(repeating: nil, count: axis.columns)
    }

    mutating func consume(_ event: Trace.Event, _ trace: borrowing Trace) {
        switch event {
        case .transition(let t, _):
            name(t, trace)
            countGoroutines(t)
            countSyscalls(t)
            placeOnProc(t)
        case .record(.range(let phase, let nameIndex, let onProc, let scope, _, _, let time)) where scope != UInt64.max:
            let name = trace.string(nameIndex)
            if name == "GC mark assist" && !onProc {
                assist(phase, goroutine: scope, time: time)
            } else if name == "GC incremental sweep" && onProc {
                sweep(phase, proc: scope, time: time)
            }
        case .record(.heap(let goal, let bytes, let time)):
            if goal { heapGoal.add(bytes, at: time, axis) } else { heapInUse.add(bytes, at: time, axis) }
        default:
            break
        }
    }

    /// Ends the slices still running when the trace ends.
    mutating func finish(at end: Int64) {
        for (g, r) in running.sorted(by: { $0.key < $1.key }) { closeSlice(g, r, at: end) }
        running = [:]
    }

    /// The name of a goroutine: its start function, as the goroutine analysis names it.
    func name(of goroutine: UInt64, _ trace: borrowing Trace) -> String {
        guard let root = goroutineRoots[goroutine], root >= 0 else { return "" }
        return trace.frames[root].name
    }

    // MARK: Per event

    private mutating func name(_ t: Trace.Transition, _ trace: borrowing Trace) {
        // The goroutine analysis knows a goroutine from its creation or first sighting.
        if t.from == .undetermined || t.from == .notExist {
            goroutineRoots[t.goroutine] = -1
        } else if goroutineRoots[t.goroutine] == nil {
            return
        }
        if t.stack >= 0, let root = trace.stacks[Int(t.stack)].last,
           goroutineRoots[t.goroutine]! < 0 || trace.frames[goroutineRoots[t.goroutine]!].name.isEmpty {
            goroutineRoots[t.goroutine] = root
        }
    }

    private mutating func countGoroutines(_ t: Trace.Transition) {
        func add(_ s: Trace.GoState, _ d: Int) {
            switch s {
            case .running, .syscall: counts.running += d
            case .runnable: counts.runnable += d
            case .waiting: counts.waiting += d
            default: break
            }
        }
        add(t.from, -1)
        add(t.to, 1)
        if t.to == .runnable { runnableSince[t.goroutine] = t.time }
        if t.from == .runnable, let since = runnableSince.removeValue(forKey: t.goroutine), t.time >= axis.t0, since <= axis.t1 {
            let last = longestWaits.last
            if longestWaits.count < 5 || t.time &- since > last!.end &- last!.begin {
                longestWaits.append(Wait(begin: since, end: t.time, goroutine: t.goroutine))
                longestWaits.sort { ($0.end &- $0.begin) > ($1.end &- $1.begin) }
                if longestWaits.count > 5 { longestWaits.removeLast() }
            }
        }
        if t.time < axis.t0 { countsBefore = counts; return }
        if t.time > axis.t1 { return }
        countColumns[axis.column(t.time)] = counts
    }

    private mutating func countSyscalls(_ t: Trace.Transition) {
        if t.from == .syscall { inSyscall -= 1 }
        if t.to == .syscall { inSyscall += 1 }
        if t.time < axis.t0 { syscallsBefore = inSyscall; return }
        if t.time > axis.t1 { return }
        let c = axis.column(t.time)
        syscallColumns[c] = max(syscallColumns[c] ?? 0, inSyscall)
        syscallPeak = max(syscallPeak, inSyscall)
    }

    private mutating func placeOnProc(_ t: Trace.Transition) {
        let previous = running.removeValue(forKey: t.goroutine)
        if let previous { closeSlice(t.goroutine, previous, at: t.time) }
        if t.to == .running || t.to == .syscall {
            let proc = t.to == .syscall ? (previous?.proc ?? t.proc) : t.proc
            running[t.goroutine] = (t.time, proc, t.to == .syscall)
        }
    }

    private mutating func closeSlice(_ g: UInt64, _ r: (since: Int64, proc: Int64, syscall: Bool), at end: Int64) {
        let closed = closedAssists.removeValue(forKey: g) ?? []
        guard r.proc >= 0, addRow(r.proc) else { return }
        procs[r.proc]!.ran = true
        guard end >= axis.t0, r.since <= axis.t1 else { return }
        let x = axis.x(r.since), w = axis.x(end) - x
        if w >= 1 {
            procs[r.proc]!.wide.append(Slice(begin: r.since, end: end, goroutine: g, syscall: r.syscall))
        } else {
            procs[r.proc]!.busy[axis.column(r.since)] += Double(min(end, axis.t1) &- max(r.since, axis.t0)) / axis.nanosPerPixel
        }
        // The parts of this slice under a GC assist of its goroutine.
        for a in closed where a.1 > r.since && a.0 < end && a.1 >= axis.t0 && a.0 <= axis.t1 {
            mark(\.assisted, proc: r.proc, from: axis.column(max(a.0, r.since)), to: axis.column(min(a.1, end)))
        }
        if let begin = openAssist[g], begin < end, begin <= axis.t1 {
            pendingAssistColumns[g, default: []].append((r.proc, axis.column(max(begin, r.since)), axis.column(end)))
        }
    }

    private mutating func assist(_ phase: Trace.RangePhase, goroutine g: UInt64, time: Int64) {
        switch phase {
        case .begin, .active:
            // A range active at a generation start counts from there (as it is drawn when read whole).
            openAssist[g] = time
            pendingAssistColumns[g] = nil
        case .end:
            guard let begin = openAssist.removeValue(forKey: g) else { return }
            for p in pendingAssistColumns.removeValue(forKey: g) ?? [] where time >= axis.t0 {
                mark(\.assisted, proc: p.proc, from: p.from, to: p.to)
            }
            closedAssists[g, default: []].append((begin, time))
        }
    }

    private mutating func sweep(_ phase: Trace.RangePhase, proc: UInt64, time: Int64) {
        switch phase {
        case .begin, .active: openSweep[proc] = time
        case .end:
            guard let begin = openSweep.removeValue(forKey: proc), time >= axis.t0, begin <= axis.t1,
                  let row = Int64(exactly: proc) else { return }
            guard addRow(row) else { return }
            mark(\.swept, proc: row, from: axis.column(begin), to: axis.column(time))
        }
    }

    /// Makes sure P `proc` has a row, unless it is numbered above `maxProcRows` others (a
    /// row numbered above a newcomer gives way to it); false when it has none.
    private mutating func addRow(_ proc: Int64) -> Bool {
        if procs[proc] != nil { return true }
        if hiddenProcs.contains(proc) { return false }
        if procs.count >= Self.maxProcRows {
            let highest = procs.keys.max()!
            guard proc < highest else {
                hiddenProcs.insert(proc)
                return false
            }
            procs[highest] = nil
            hiddenProcs.insert(highest)
        }
        procs[proc] = Proc(columns: axis.columns)
        return true
    }

    private mutating func mark(_ columns: WritableKeyPath<Proc, [Bool]>, proc: Int64, from: Int, to: Int) {
        guard from <= to, procs[proc] != nil else { return }
        for c in from...to { procs[proc]![keyPath: columns][c] = true }
    }
}
