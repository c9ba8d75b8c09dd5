import FlameModel

/// The blocking profiles `go tool trace -pprof=TYPE` writes, derived from a trace's goroutine
/// state changes: how long goroutines spent in a state, by the stack that put them there.
public enum TraceProfileKind: String, CaseIterable, Sendable {
    /// Waiting on the network (`net`: pprof's `io`).
    case net
    /// Waiting on channels, `sync` primitives and `select`.
    case sync
    /// In system calls.
    case syscall
    /// Runnable but not running: scheduler latency.
    case sched
    /// The trace's CPU samples (taken when CPU profiling ran during the trace).
    case cpu

    /// What the profile measures, in a few words.
    public var summary: String {
        switch self {
        case .net: return "time blocked on the network"
        case .sync: return "time blocked on channels, mutexes and select"
        case .syscall: return "time in system calls"
        case .sched: return "time runnable but waiting for a CPU"
        case .cpu: return "CPU samples"
        }
    }
}

extension Trace {
    /// The profile of `kind`: samples of [contentions count, delay nanoseconds] per stack, as
    /// `traceviewer.BuildProfile` makes them (one location per program counter).
    public func profile(_ kind: TraceProfileKind) -> Profile {
        guard kind != .cpu else { return cpuProfile() }
        // A stored trace's replay cannot fail.
        return (try? Trace.profile(kind, events: replay)) ?? Profile(source: .pprof, sampleTypes: [])
    }

    /// The profile of `kind` from events as they come (`Trace.streaming` keeps none of them).
    public static func profile(_ kind: TraceProfileKind, events source: EventSource) throws(TraceError) -> Profile {
        let state: GoState
        switch kind {
        case .net, .sync: state = .waiting
        case .syscall: state = .syscall
        case .sched: state = .runnable
        case .cpu: return try source { _, _ in }.cpuProfile()
        }
        // Which reasons count, decided once per distinct reason string.
        var trackedReasons: [Int32: Bool] = [:]
        func tracked(_ reason: Int32, _ trace: Trace) -> Bool {
            guard reason >= 0 else { return kind == .syscall || kind == .sched }
            if let known = trackedReasons[reason] { return known }
            let r = trace.string(reason)
            let yes: Bool
            switch kind {
            case .net: yes = r == "network"
            case .sync: yes = r.contains("chan") || r.contains("sync") || r.contains("select")
            case .syscall, .sched, .cpu: yes = true
            }
            trackedReasons[reason] = yes
            return yes
        }
        // Like `go tool trace`, only time after each goroutine first ran counts (its life as the
        // goroutine summary sees it; every interval ends before the goroutine does).
        var firstRun: [UInt64: Int64] = [:]
        var open: [UInt64: (time: Int64, stack: Int32)] = [:]
        // `go tool trace` tells stacks apart by their first 128 PCs, zero-padded (so an empty
        // stack and one frame at PC 0 are one stack), and shows the last stack seen of each.
        var keys: [Int32: [UInt64]] = [:]
        func key(_ stack: Int32, _ trace: Trace) -> [UInt64] {
            if let known = keys[stack] { return known }
            var pcs = stack < 0 ? [] : trace.stacks[Int(stack)].prefix(128).map { trace.frames[$0].address }
            while pcs.last == 0 { pcs.removeLast() }
            keys[stack] = pcs
            return pcs
        }
        var records: [[UInt64]: (count: Int64, time: Int64, stack: Int32)] = [:]
        var order: [[UInt64]] = []
        var overflow = false
        // Intervals of goroutines that have not run yet: dropped if they ever run (the interval
        // ended before their life began), counted whole if they never do.
        var pending: [UInt64: [(stack: Int32, duration: Int64)]] = [:]
        func add(_ stack: Int32, _ duration: Int64, _ trace: Trace) {
            let k = key(stack, trace)
            var r = records[k] ?? (0, 0, stack)
            if r.count == 0 { order.append(k) }
            let (time, wrapped) = r.time.addingReportingOverflow(duration)
            overflow = overflow || wrapped
            r = (r.count + 1, time, stack)
            records[k] = r
        }
        let trace = try source { event, trace in
            guard case .transition(let t, _) = event else { return }
            if t.from != t.to && t.to == .running && firstRun[t.goroutine] == nil {
                firstRun[t.goroutine] = t.time
                pending[t.goroutine] = nil
            }
            guard let start = open[t.goroutine] else {
                if t.to == state && tracked(t.reason, trace) { open[t.goroutine] = (t.time, t.eventStack) }
                return
            }
            if t.to == state { return }
            open[t.goroutine] = nil
            guard let lifeStart = firstRun[t.goroutine] else {
                if t.time > start.time { pending[t.goroutine, default: []].append((start.stack, t.time &- start.time)) }
                return
            }
            guard t.time >= lifeStart else { return }
            let duration = t.time &- max(start.time, lifeStart)
            if duration > 0 { add(start.stack, duration, trace) }
        }
        for g in pending.keys.sorted() {
            for interval in pending[g]! { add(interval.stack, interval.duration, trace) }
        }
        if overflow {
            throw .input("the \(kind) profile's delays on one stack add up to more than 2^63-1 ns; flamegen refuses rather than wrap")
        }
        var profile = Profile(source: .pprof, sampleTypes: [SampleType(type: "contentions", unit: "count"),
                                                            SampleType(type: "delay", unit: "nanoseconds")])
        profile.periodType = SampleType(type: "trace", unit: "count")
        profile.period = 1
        for k in order {
            let r = records[k]!
            // Trace stacks are leaf first; profiles are root first.
            let frames = r.stack < 0 ? [] : trace.stacks[Int(r.stack)].prefix(128).reversed().map { profile.frames.intern(trace.frames[$0]) }
            profile.addSample(stack: frames, values: [r.count, r.time])
        }
        return profile
    }
}

extension Trace {
    /// One sample per CPU sample of the trace, by stack.
    /// The CPU samples, one sample per distinct stack; or, `inTimeOrder`, one sample per run of
    /// consecutive samples with the same stack, the latest first (a flame chart's input: its
    /// builder reads samples last to first, as flamegraph.pl does, so time runs left to right).
    public func cpuProfile(inTimeOrder: Bool = false) -> Profile {
        var profile = Profile(source: .pprof, sampleTypes: [SampleType(type: "samples", unit: "count")])
        var byStack: [Int32: Int] = [:]
        var previous: Int32?
        for s in inTimeOrder ? AnySequence(cpuSamples.reversed()) : AnySequence(cpuSamples) {
            if inTimeOrder ? previous == s.stack : byStack[s.stack] != nil {
                profile.addToValue(inTimeOrder ? profile.sampleCount - 1 : byStack[s.stack]!, 0, 1)
                continue
            }
            byStack[s.stack] = profile.sampleCount
            previous = s.stack
            let frames = s.stack < 0 ? [] : stacks[Int(s.stack)].reversed().map { profile.frames.intern(self.frames[$0]) }
            profile.addSample(stack: frames, values: [1])
        }
        return profile
    }
}
