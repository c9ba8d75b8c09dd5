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

    public init(_ trace: Trace, counting components: Components = .all) {
        // A stored trace's replay cannot fail.
        self = (try? MutatorUtilization(events: trace.replay, counting: components)) ?? MutatorUtilization(empty: ())
    }

    private init(empty: Void) {
        times = [0]; values = [1]; end = 1; procs = 1; integral = [0]
    }

    /// The utilization of events as they come (`Trace.streaming` keeps none of them).
    public init(events source: Trace.EventSource, counting components: Components = .all) throws(TraceError) {
        var ps: [Int] = [], stw = 0, maxProcs = 1
        var inGC = Set<UInt64>(), bgMark = Set<UInt64>()
        var executing: [UInt64: Bool] = [:]
        var times: [Int64] = [], values: [Double] = []
        func gc(_ p: Int64, _ d: Int) { if p >= 0 && Int(p) < ps.count { ps[Int(p)] += d } }
        func point(_ time: Int64) {
            guard !ps.isEmpty else { return }
            let busy = stw > 0 ? ps.count : ps.filter { $0 > 0 }.count
            let u = 1 - Double(busy) / Double(ps.count)
            if let last = values.last, last == u { return }
            if times.last == time { values[values.count - 1] = u } else { times.append(time); values.append(u) }
        }
        let trace = try source { event, trace in
            var time: Int64 = 0
            switch event {
            case .record(.procs(let count, let t)):
                time = t
                if count > 0 && count < 1 << 20 {
                    if ps.count > count { ps.removeLast(ps.count - count) }
                    while ps.count < count { ps.append(0) }
                    maxProcs = max(maxProcs, count)
                }
            case .record(.range(let phase, let nameIndex, let onProc, let scope, _, let procValue, let t)):
                let proc = Int64(procValue)
                time = t
                let name = trace.string(nameIndex)
                if name.hasPrefix("stop-the-world") && name.contains("GC") {
                    guard components.contains(.stopTheWorld) else { break }
                    stw += phase == .end ? -1 : 1
                } else if name == "GC mark assist" && !onProc && components.contains(.markAssists) {
                    if phase == .end {
                        gc(proc, -1)
                        if scope != UInt64.max { inGC.remove(scope) }
                    } else {
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
                executing[t.goroutine] = now
            case .record(.label(let g, let proc, let nameIndex, let t)):
                time = t
                let name = trace.string(nameIndex)
                // A worker's first label makes it one; later starts count through its transitions.
                if components.contains(.backgroundWorkers), name.hasPrefix("GC ") && name != "GC (idle)", let g, !bgMark.contains(g) {
                    bgMark.insert(g)
                    if !inGC.contains(g) { gc(proc, 1) }
                }
            case .record(.sync(let t)), .record(.procIdle(_, let t)), .record(.task(_, _, _, let t)), .record(.region(_, _, _, _, _, let t)):
                time = t
            }
            point(time)
        }
        if times.isEmpty { times = [trace.startTime]; values = [1] }
        self.procs = maxProcs
        self.times = times
        self.values = values
        end = max(trace.endTime &+ 1, times[0] + 1)
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
        (area(to: start + window) - area(to: start)) / Double(window)
    }

    /// The minimum utilization over every window of `window` nanoseconds, and where it starts.
    public func minimum(window: Int64) -> (utilization: Double, start: Int64) {
        let first = times[0]
        guard window > 0, first + window <= end else { return (utilization(from: first, window: max(1, end - first)), first) }
        var best = (2.0, first)
        // The minimum is reached with a window that starts or ends at a breakpoint.
        for t in times {
            for s in [t, t - window] where s >= first && s + window <= end {
                let u = utilization(from: s, window: window)
                if u < best.0 { best = (u, s) }
            }
        }
        return best
    }

    /// The worst `count` windows of a length that do not overlap, lowest utilization first.
    public func worstWindows(window: Int64, count: Int) -> [(utilization: Double, start: Int64)] {
        let first = times[0]
        guard window > 0, first + window <= end else { return [] }
        var candidates: [(Double, Int64)] = []
        for t in times {
            for s in [t, t - window] where s >= first && s + window <= end {
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
