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
        let state: GoState
        switch kind {
        case .net, .sync: state = .waiting
        case .syscall: state = .syscall
        case .sched: state = .runnable
        case .cpu: return cpuProfile()
        }
        // Which reasons count, decided once per distinct reason string.
        let trackedReasons: [Bool] = strings.map { r in
            switch kind {
            case .net: return r == "network"
            case .sync: return r.contains("chan") || r.contains("sync") || r.contains("select")
            case .syscall, .sched, .cpu: return true
            }
        }
        func tracked(_ reason: Int32) -> Bool {
            reason < 0 ? (kind == .syscall || kind == .sched) : trackedReasons[Int(reason)]
        }
        // Like `go tool trace`, only time while each goroutine existed after it first ran
        // counts (its life as the goroutine summary sees it).
        var life: [UInt64: (start: Int64, end: Int64)] = [:]
        for t in transitions where t.from != t.to {
            var l = life[t.goroutine] ?? (0, Int64.max)
            if t.to == .running && l.start == 0 { l.start = t.time }
            if (t.to == .notExist || (t.to == .waiting && string(t.reason) == "forever")) && l.end == Int64.max { l.end = t.time }
            life[t.goroutine] = l
        }
        func overlap(_ g: UInt64, _ begin: Int64, _ end: Int64) -> Int64 {
            guard let l = life[g] else { return 0 }
            let lifeEnd = l.end == Int64.max ? endTime : l.end
            if lifeEnd < begin || end < l.start { return 0 }
            return min(end, lifeEnd) &- max(begin, l.start)
        }
        var open: [UInt64: (time: Int64, stack: Int32)] = [:]
        var records: [Int32: (count: Int64, time: Int64)] = [:]
        var order: [Int32] = []
        for t in transitions {
            guard let start = open[t.goroutine] else {
                if t.to == state && tracked(t.reason) { open[t.goroutine] = (t.time, t.eventStack) }
                continue
            }
            if t.to == state { continue }
            open[t.goroutine] = nil
            let duration = overlap(t.goroutine, start.time, t.time)
            guard duration > 0 else { continue }
            if records[start.stack] == nil { order.append(start.stack) }
            records[start.stack, default: (0, 0)].count += 1
            records[start.stack, default: (0, 0)].time &+= duration
        }
        var profile = Profile(source: .pprof, sampleTypes: [SampleType(type: "contentions", unit: "count"),
                                                            SampleType(type: "delay", unit: "nanoseconds")])
        profile.periodType = SampleType(type: "trace", unit: "count")
        profile.period = 1
        for stack in order {
            let r = records[stack]!
            // Trace stacks are leaf first; profiles are root first.
            let frames = stack < 0 ? [] : stacks[Int(stack)].prefix(128).reversed().map { profile.frames.intern(self.frames[$0]) }
            profile.addSample(stack: frames, values: [r.count, r.time])
        }
        return profile
    }
}

extension Trace {
    /// One sample per CPU sample of the trace, by stack.
    func cpuProfile() -> Profile {
        var profile = Profile(source: .pprof, sampleTypes: [SampleType(type: "samples", unit: "count")])
        var byStack: [Int32: Int] = [:]
        for s in cpuSamples {
            if let i = byStack[s.stack] {
                profile.addToValue(i, 0, 1)
                continue
            }
            byStack[s.stack] = profile.sampleCount
            let frames = s.stack < 0 ? [] : stacks[Int(s.stack)].reversed().map { profile.frames.intern(self.frames[$0]) }
            profile.addSample(stack: frames, values: [1])
        }
        return profile
    }
}
