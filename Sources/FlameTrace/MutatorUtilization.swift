/// Minimum mutator utilization: for a window length w, the smallest share of the CPU that the
/// program (not the garbage collector) had over any window of that length. The GC takes all of
/// it during stop-the-world pauses, and one P's share while a background mark worker runs or a
/// goroutine assists marking.
public struct MutatorUtilization: Sendable {
    /// Utilization from `times[i]` until `times[i+1]` (the last value lasts to `end`).
    public let times: [Int64]
    public let values: [Double]
    public let end: Int64
    /// The number of Ps the shares are counted against.
    public let procs: Int
    /// Running integral of the utilization at each breakpoint, in value × nanoseconds.
    private let integral: [Double]

    /// The utilization series as Go's `MutatorUtilizationV2` makes it (system view, counting
    /// GC stop-the-world pauses, background mark workers and mark assists): after each event,
    /// 1 − (Ps doing GC work) / GOMAXPROCS, every P during a GC pause.
    /// What counts as taken from the program.
    public struct Components: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let stopTheWorld = Components(rawValue: 1)
        public static let backgroundWorkers = Components(rawValue: 2)
        public static let markAssists = Components(rawValue: 4)
        public static let all: Components = [.stopTheWorld, .backgroundWorkers, .markAssists]
    }

    /// How background mark workers end the series. `go tool trace` (Go 1.22–1.27) counts a
    /// worker once more each time it starts (its start and the `GC (…)` label it then emits both
    /// add it to its P; only its stop removes it), so after the first GC cycle some P seems to
    /// do GC work forever; and its series stops at its last change, not at the trace's end.
    public enum Rules: Sendable {
        /// Each worker counts once while it runs; the series lasts to the end of the trace.
        case corrected
        /// The same numbers as `go tool trace`'s /mmu page, to compare with it.
        case goToolTrace
    }

    public init(_ trace: Trace, counting components: Components = .all, rules: Rules = .corrected) {
        // A stored trace's replay cannot fail.
        self = (try? MutatorUtilization(events: trace.replay, counting: components, rules: rules)) ?? MutatorUtilization(empty: ())
    }

    private init(empty: Void) {
        times = [0]; values = [1]; end = 1; procs = 1; integral = [0]
    }

    /// The utilization of events as they come (`Trace.streaming` keeps none of them).
    public init(events source: Trace.EventSource, counting components: Components = .all, rules: Rules = .corrected) throws(TraceError) {
        var ps: [Int] = [], stw = 0, maxProcs = 1
        var inGC = Set<UInt64>(), bgMark = Set<UInt64>()
        var executing = Set<UInt64>()
        var times: [Int64] = [], values: [Double] = []
        var procHistory: [(time: Int64, count: Int)] = []
        var generations = 0
        // How many Ps do GC work (ps[p] > 0), kept as ps changes: one event costs the same
        // whatever GOMAXPROCS is.
        var busyProcs = 0
        func gc(_ p: Int64, _ d: Int) {
            guard p >= 0 && p < ps.count else { return }
            let i = Int(p), was = ps[i] > 0
            ps[i] += d
            if was != (ps[i] > 0) { busyProcs += was ? -1 : 1 }
        }
        func point(_ time: Int64, _ u: Double) {
            if let last = values.last, last == u { return }
            if times.last == time {
                // The lowest utilization at one time stamp.
                if u < values[values.count - 1] { values[values.count - 1] = u }
            } else {
                times.append(time)
                values.append(u)
            }
        }
        func point(_ time: Int64) {
            guard !ps.isEmpty else { return }
            let busy = stw > 0 ? ps.count : busyProcs
            point(time, 1 - Double(busy) / Double(ps.count))
        }
        /// A mark assist found under way when the trace began: one P's share was the GC's
        /// from the start, so it is taken from every point so far.
        func assistSinceStart() {
            var p = 0
            for i in times.indices {
                while p + 1 < procHistory.count && procHistory[p + 1].time < times[i] { p += 1 }
                values[i] = max(0, values[i] - 1 / Double(max(1, procHistory.isEmpty ? ps.count : procHistory[p].count)))
            }
        }
        let trace = try source { event, trace in
            var time: Int64 = 0
            switch event {
            case .record(.procs(let count, let t)):
                time = t
                if count > 0 && count < 1 << 20 {
                    if ps.count > count {
                        busyProcs -= ps[count...].lazy.filter { $0 > 0 }.count
                        ps.removeLast(ps.count - count)
                    }
                    while ps.count < count { ps.append(0) }
                    maxProcs = max(maxProcs, count)
                    if procHistory.last?.count != count { procHistory.append((t, count)) }
                }
            case .record(.range(let phase, let nameIndex, let onProc, let scope, _, let procValue, let t)):
                let proc = Int64(procValue)
                time = t
                // A range still under way at a later generation's start is already counted.
                if phase == .active && generations > 1 { break }
                let name = trace.string(nameIndex)
                if name.hasPrefix("stop-the-world") && name.contains("GC") {
                    guard components.contains(.stopTheWorld), !ps.isEmpty else { break }
                    stw += phase == .end ? -1 : 1
                } else if name == "GC mark assist" && !onProc && components.contains(.markAssists) && !ps.isEmpty {
                    if phase == .end {
                        gc(proc, -1)
                        if scope != UInt64.max { inGC.remove(scope) }
                    } else {
                        if phase == .active && executing.contains(scope) { assistSinceStart() }
                        gc(proc, 1)
                        if scope != UInt64.max { inGC.insert(scope) }
                    }
                }
            case .transition(let t, _):
                time = t.time
                let was = t.from == .running || t.from == .syscall, now = t.to == .running || t.to == .syscall
                if inGC.contains(t.goroutine) || bgMark.contains(t.goroutine) {
                    if !was && now { gc(t.proc, 1) } else if was && !now { gc(t.proc, -1) }
                }
                if now { executing.insert(t.goroutine) } else { executing.remove(t.goroutine) }
            case .record(.label(let g, let proc, let nameIndex, let t)):
                time = t
                let name = trace.string(nameIndex)
                guard components.contains(.backgroundWorkers), name.hasPrefix("GC ") && name != "GC (idle)", let g else { break }
                switch rules {
                case .corrected:
                    // A worker's first label makes it one; later starts count through its transitions.
                    if !bgMark.contains(g) {
                        bgMark.insert(g)
                        if !inGC.contains(g) { gc(proc, 1) }
                    }
                case .goToolTrace:
                    bgMark.insert(g)
                    gc(proc, 1)
                }
            case .record(.sync(let t)):
                time = t
                generations += 1
            case .record(.procIdle(_, let t)), .record(.task(_, _, _, let t)), .record(.region(_, _, _, _, _, let t)):
                time = t
            case .record(.heap):
                return
            }
            point(time)
        }
        if times.isEmpty { times = [trace.startTime]; values = [1] }
        self.procs = maxProcs
        // Go's reader ends with a sync event just after the last event.
        let last = max(trace.endTime &+ 1, times[0] + 1)
        switch rules {
        case .corrected:
            end = last
        case .goToolTrace:
            // Its series ends with a zero point at the last event, dropped when the
            // utilization is zero already: the series then ends at its last change.
            point(last, 0)
            end = max(times[times.count - 1], times[0] + 1)
        }
        self.times = times
        self.values = values
        var integral = [0.0]
        for i in stride(from: 1, to: times.count, by: 1) { integral.append(integral[i - 1] + values[i - 1] * Double(times[i] - times[i - 1])) }
        self.integral = integral
    }

    /// ∫ utilization from the start to `t`.
    private func area(to t: Int64) -> Double {
        var lo = 0, hi = times.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if times[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        return integral[lo] + values[lo] * Double(t - times[lo])
    }

    /// The utilization over [start, start + window).
    public func utilization(from start: Int64, window: Int64) -> Double {
        (area(to: start &+ window) - area(to: start)) / Double(window)
    }

    /// The minimum utilization over every window of `window` nanoseconds, and where it starts.
    /// The minimum is reached with a window that starts or ends at a breakpoint: the starts
    /// `times[i]` and `times[i] - window` are swept in order, each end of the window found by a
    /// pointer that only moves forward (linear in the breakpoints, for each window length).
    public func minimum(window: Int64) -> (utilization: Double, start: Int64) {
        let first = times[0]
        guard window > 0, window <= end - first else { return (utilization(from: first, window: max(1, end - first)), first) }
        let lastStart = end - window
        var best = (2.0, first)
        var a = 0, b = 0  // next index of the starts times[a] and times[b] - window
        var lo = 0, hi = 0  // breakpoints at or before the window's start and end
        func advance(_ i: inout Int, to t: Int64) -> Double {
            while i + 1 < times.count && times[i + 1] <= t { i += 1 }
            return integral[i] + values[i] * Double(t - times[i])
        }
        while a < times.count || b < times.count {
            let s: Int64
            if b >= times.count || (a < times.count && times[a] <= times[b] - window) {
                s = times[a]; a += 1
            } else {
                s = times[b] - window; b += 1
            }
            guard s >= first else { continue }
            guard s <= lastStart else { break }
            let u = (advance(&hi, to: s + window) - advance(&lo, to: s)) / Double(window)
            if u < best.0 { best = (u, s) }
        }
        return best
    }

    /// The worst `count` windows of a length that do not overlap, lowest utilization first.
    public func worstWindows(window: Int64, count: Int) -> [(utilization: Double, start: Int64)] {
        let first = times[0]
        guard window > 0, window <= end - first else { return [] }
        var candidates: [(Double, Int64)] = []
        for t in times {
            for s in [t, t - window] where s >= first && s <= end - window {
                candidates.append((utilization(from: s, window: window), s))
            }
        }
        candidates.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var chosen: [(utilization: Double, start: Int64)] = []
        for c in candidates where chosen.count < count && !chosen.contains(where: { abs($0.start - c.1) < window }) {
            chosen.append((c.0, c.1))
        }
        return chosen
    }
}
