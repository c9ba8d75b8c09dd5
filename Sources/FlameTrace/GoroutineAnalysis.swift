/// Where each goroutine's time went, computed as `go tool trace`'s goroutine analysis does
/// (`internal/trace.Summarizer`): execution, scheduler wait, blocking by reason, syscalls, and
/// the time inside ranges (GC mark assist, sweeping, stop-the-world).
public struct GoroutineAnalysis: Sendable {
    /// One goroutine's times, in nanoseconds.
    public struct Goroutine: Sendable {
        public var id: UInt64
        /// The start function (the outermost frame of the first stack seen), "" if none was.
        public var name = ""
        public var creationTime: Int64 = 0
        public var startTime: Int64 = 0
        public var endTime: Int64 = 0
        public var execution: Int64 = 0
        public var schedulerWait: Int64 = 0
        public var blockedByReason: [String: Int64] = [:]
        public var syscall: Int64 = 0
        public var syscallBlocked: Int64 = 0
        public var total: Int64 = 0
        public var ranges: [String: Int64] = [:]

        /// Blocked on channels, mutexes and select (the `sync` profile's reasons).
        public var syncBlock: Int64 {
            blockedByReason.filter { $0.key.contains("chan") || $0.key.contains("sync") || $0.key.contains("select") }.values.reduce(0, &+)
        }
        public var networkWait: Int64 { blockedByReason["network"] ?? 0 }
        public var gcAssist: Int64 { ranges["GC mark assist"] ?? 0 }
        public var sweep: Int64 { ranges["GC incremental sweep"] ?? 0 }

        // Pending state while the trace is read.
        var lastStart: Int64 = 0, lastRunnable: Int64 = 0, lastBlock: Int64 = 0, lastBlockReason = ""
        var lastSyscall: Int64 = 0, lastSyscallBlock: Int64 = 0
        var lastRange: [String: Int64] = [:]
        var finalized = false
        var activeRegions: [Region] = []

        /// The times as they stand at `now`, counting what is still pending.
        func snapshot(_ now: Int64) -> Goroutine {
            var r = self
            guard !finalized else { return r }
            if total == 0 { r.total = now &- creationTime }
            if lastStart != 0 { r.execution &+= now &- lastStart }
            if lastRunnable != 0 { r.schedulerWait &+= now &- lastRunnable }
            if lastBlock != 0 { r.blockedByReason[lastBlockReason, default: 0] &+= now &- lastBlock }
            if lastSyscall != 0 { r.syscall &+= now &- lastSyscall }
            if lastSyscallBlock != 0 { r.schedulerWait &+= now &- lastSyscallBlock }
            for (name, t) in lastRange { r.ranges[name, default: 0] &+= now &- t }
            return r
        }

        mutating func finalize(_ now: Int64, endedAt end: Int64?) {
            if let end { endTime = end }
            self = snapshot(now)
            lastStart = 0; lastRunnable = 0; lastBlock = 0; lastBlockReason = ""
            lastSyscall = 0; lastSyscallBlock = 0; lastRange = [:]
            finalized = true
        }
    }

    /// A user region as `go tool trace` counts it (also the unnamed ones a goroutine inherits
    /// when it is created inside a region). nil start or end: before or after the trace.
    public struct Region: Sendable {
        public var task: UInt64
        public var name: String
        public var start: Int64?
        public var end: Int64?
        /// The outermost frame of the stack where it began (-1: none), as a frame id of the trace.
        public var frame: Int32
    }

    /// A user task: its type, and when it began and ended (nil: outside the trace).
    public struct Task: Sendable {
        public var name = ""
        public var start: Int64?
        public var end: Int64?
    }

    public private(set) var regions: [Region] = []
    public private(set) var tasks: [UInt64: Task] = [:]

    /// Goroutines of one start function.
    public struct Group: Sendable {
        public var name: String
        public var goroutines: [Goroutine]
        public var count: Int { goroutines.count }
        public func sum(_ value: (Goroutine) -> Int64) -> Int64 { goroutines.reduce(0) { $0 &+ value($1) } }
    }

    /// Goroutines by id, in blocks of 64Ki (an index per id), so that an event updates one in
    /// place and millions of them never need one huge array copied as it grows.
    struct Store {
        private var blocks: [[Goroutine]] = []
        private var index: [UInt64: Int32] = [:]
        private(set) var count = 0
        static let blockSize = 1 << 16

        subscript(id: UInt64) -> Goroutine? {
            get { index[id].map { self[at: Int($0)] } }
            set {
                guard let newValue else { return }
                if let i = index[id] { self[at: Int(i)] = newValue } else {
                    index[id] = Int32(count)
                    if count % Self.blockSize == 0 {
                        blocks.append([])
                        blocks[blocks.count - 1].reserveCapacity(Self.blockSize)
                    }
                    blocks[blocks.count - 1].append(newValue)
                    count += 1
                }
            }
        }

        subscript(at i: Int) -> Goroutine {
            get { blocks[i / Self.blockSize][i % Self.blockSize] }
            set { blocks[i / Self.blockSize][i % Self.blockSize] = newValue }
        }

        /// Every goroutine, in the order they were first seen.
        var items: FlattenSequence<[[Goroutine]]> { blocks.joined() }

        /// Calls `body` on each goroutine in order of id, in place.
        mutating func updateInOrder(_ body: (inout Goroutine) throws(TraceError) -> Void) throws(TraceError) {
            for (_, i) in index.sorted(by: { $0.key < $1.key }) {
                try body(&blocks[Int(i) / Self.blockSize][Int(i) % Self.blockSize])
            }
        }
    }

    private var store = Store()

    /// Every goroutine seen, by id.
    public var goroutines: [UInt64: Goroutine] { Dictionary(uniqueKeysWithValues: store.items.map { ($0.id, $0) }) }

    /// The analysis of a parsed trace.
    public init(_ trace: Trace) {
        // A stored trace's replay cannot fail.
        self = (try? GoroutineAnalysis(events: trace.replay)) ?? GoroutineAnalysis()
    }

    private init() {}

    /// The analysis of events as they come (`Trace.streaming` keeps none of them).
    public init(events source: Trace.EventSource) throws(TraceError) {
        var gs = Store()
        var syscallingP: [UInt64: UInt64] = [:], syscallingG: [UInt64: UInt64] = [:]
        var rangesP: [String: UInt64] = [:]
        var syncTime: Int64 = 0, lastTime: Int64 = 0
        func key(_ p: UInt64, _ name: Int32) -> String { "\(p)/\(name)" }
        var regions: [Region] = [], tasks: [UInt64: Task] = [:]
        func rootFrame(_ stack: Int32, _ trace: Trace) -> Int32 { stack < 0 ? -1 : trace.stacks[Int(stack)].last ?? -1 }
        /// Ends a goroutine's open regions (Go's `finalize`): not those of system goroutines.
        func closeRegions(_ g: inout Goroutine, at time: Int64?) {
            if !(g.name.isEmpty || (g.name != "runtime.main" && g.name.hasPrefix("runtime."))) {
                for var r in g.activeRegions {
                    r.end = time
                    regions.append(r)
                }
            }
            g.activeRegions = []
        }
        let trace = try source { event, trace in
            switch event {
            case .record(.procs(_, let time)), .record(.label(_, _, _, let time)):
                lastTime = time
            case .record(.task(let begin, let id, let name, let time)):
                lastTime = time
                tasks[id, default: Task()].name = trace.string(name)
                if begin { tasks[id]!.start = time } else { tasks[id]!.end = time }
            case .record(.region(let begin, let goroutine, let task, let name, let stack, let time)):
                lastTime = time
                guard var g = gs[goroutine] else { return }
                if begin {
                    g.activeRegions.append(Region(task: task, name: trace.string(name), start: time, end: nil, frame: rootFrame(stack, trace)))
                    if tasks[task] == nil { tasks[task] = Task() }
                } else {
                    var r = g.activeRegions.popLast() ?? Region(task: task, name: trace.string(name), start: nil, end: nil, frame: -1)
                    if tasks[task] == nil { tasks[task] = Task() }
                    r.end = time
                    regions.append(r)
                }
                gs[goroutine] = g
            case .record(.heap):
                break
            case .record(.sync(let time)):
                syncTime = time
                lastTime = time
            case .record(.procIdle(let p, let time)):
                lastTime = time
                if let g = syscallingP.removeValue(forKey: p) { gs[g]?.lastSyscallBlock = time }
            case .record(.range(let phase, let nameIndex, let onProc, let scope, let goroutine, _, let time)):
                lastTime = time
                let name = trace.string(nameIndex)
                var id: UInt64?
                if phase == .end {
                    if onProc {
                        if let owner = rangesP.removeValue(forKey: key(scope, nameIndex)), owner == goroutine { id = owner }
                    } else if scope != UInt64.max {
                        id = scope
                    }
                    guard let id, var g = gs[id], let t = g.lastRange[name] else { return }
                    g.ranges[name, default: 0] &+= time &- t
                    g.lastRange[name] = nil
                    gs[id] = g
                } else {
                    if onProc {
                        if let goroutine, gs[goroutine] != nil {
                            id = goroutine
                            rangesP[key(scope, nameIndex)] = goroutine
                        }
                    } else if scope != UInt64.max {
                        id = scope
                    }
                    guard let id, var g = gs[id] else { return }
                    if phase == .active {
                        if let t = g.lastRange[name], t != 0 { g.ranges[name, default: 0] &+= syncTime &- t }
                        g.lastRange[name] = syncTime
                    } else {
                        g.lastRange[name] = time
                    }
                    gs[id] = g
                }
            case .transition(let t, let index):
                lastTime = t.time
                guard t.from != t.to else { return }
                let id = t.goroutine
                var g: Goroutine
                switch t.from {
                case .undetermined:
                    g = Goroutine(id: id)
                    g.creationTime = syncTime
                    let stateTime = t.time &- syncTime
                    switch t.to {
                    case .running: g.execution &+= stateTime
                    case .waiting: g.blockedByReason[trace.string(t.reason), default: 0] &+= stateTime
                    case .runnable: g.schedulerWait &+= stateTime
                    case .syscall: if t.proc < 0 { g.syscallBlocked &+= stateTime } else { g.syscall &+= stateTime }
                    default: break
                    }
                case .notExist:
                    g = Goroutine(id: id)
                    g.creationTime = t.time
                    // Created inside a region: it inherits the region's task, as an unnamed region.
                    if let c = trace.creators[index], let creator = gs[c], let last = creator.activeRegions.last {
                        g.activeRegions = [Region(task: last.task, name: "", start: t.time, end: nil, frame: rootFrame(t.eventStack, trace))]
                    }
                default:
                    guard let existing = gs[id] else { return }
                    g = existing
                    switch t.from {
                    case .running:
                        g.execution &+= t.time &- g.lastStart
                        g.lastStart = 0
                    case .waiting:
                        if g.lastBlock != 0 {
                            g.blockedByReason[g.lastBlockReason, default: 0] &+= t.time &- g.lastBlock
                            g.lastBlock = 0
                        }
                    case .runnable:
                        if g.lastRunnable != 0 {
                            g.schedulerWait &+= t.time &- g.lastRunnable
                            g.lastRunnable = 0
                        }
                    case .syscall:
                        if g.lastSyscall != 0 {
                            if g.lastSyscallBlock != 0 {
                                g.syscallBlocked &+= t.time &- g.lastSyscallBlock
                                g.syscall &+= g.lastSyscallBlock &- g.lastSyscall
                            } else {
                                g.syscall &+= t.time &- g.lastSyscall
                            }
                            g.lastSyscall = 0
                            g.lastSyscallBlock = 0
                            if let p = syscallingG.removeValue(forKey: id) { syscallingP[p] = nil }
                        }
                    default: break
                    }
                }
                if g.name.isEmpty, t.stack >= 0, let root = trace.stacks[Int(t.stack)].last {
                    g.name = trace.frames[root].name
                }
                switch t.to {
                case .running:
                    g.lastStart = t.time
                    if g.startTime == 0 { g.startTime = t.time }
                case .runnable:
                    g.lastRunnable = t.time
                case .waiting where trace.string(t.reason) != "forever":
                    g.lastBlock = t.time
                    g.lastBlockReason = trace.string(t.reason)
                case .waiting, .notExist:
                    g.finalize(t.time, endedAt: t.time)
                    closeRegions(&g, at: t.time)
                case .syscall:
                    let p = UInt64(truncatingIfNeeded: t.proc)
                    syscallingP[p] = id
                    syscallingG[id] = p
                    g.lastSyscall = t.time
                default: break
                }
                gs[id] = g
            }
        }
        // Go's reader ends with a sync event just after the last event.
        lastTime = max(lastTime, trace.endTime) &+ 1
        // Every sum a report takes over one start function's goroutines is a part of this one
        // (times are never negative), so once it fits in 64 bits no report can wrap.
        var spent: [String: Int64] = [:]
        try gs.updateInOrder { (g: inout Goroutine) throws(TraceError) in
            if !g.finalized { g.finalize(lastTime, endedAt: nil) }
            closeRegions(&g, at: nil)
            var total = spent[g.name] ?? 0
            for v in [g.execution, g.schedulerWait, g.syscall, g.syscallBlocked] + g.blockedByReason.values + g.ranges.values {
                let (sum, overflow) = total.addingReportingOverflow(v)
                guard !overflow else {
                    throw .input("the goroutines of \(g.name.isEmpty ? "no start function" : g.name) spent more than 2^63-1 ns in all; flamegen refuses rather than wrap")
                }
                total = sum
            }
            spent[g.name] = total
        }
        store = gs
        self.regions = regions
        self.tasks = tasks
    }

    /// One start function's goroutines in figures: how many, and a sum per value asked for.
    public struct Summary: Sendable {
        public var name: String
        public var count: Int
        public var sums: [Int64]
    }

    /// Per start function, the count and the sum of each of `values` over its goroutines, in
    /// the order of `groups`, without copying a goroutine. The sums cannot wrap when each value
    /// is a part of a goroutine's time (the analysis checked the total).
    public func summaries(_ values: [(Goroutine) -> Int64]) -> [Summary] {
        var slot: [String: Int] = [:]
        var list: [Summary] = [], execution: [Int64] = []
        for g in store.items {
            let i = slot[g.name] ?? {
                slot[g.name] = list.count
                list.append(Summary(name: g.name, count: 0, sums: Array(repeating: 0, count: values.count)))
                execution.append(0)
                return list.count - 1
            }()
            list[i].count += 1
            for (k, value) in values.enumerated() { list[i].sums[k] &+= value(g) }
            execution[i] &+= g.execution
        }
        return list.indices.sorted { (execution[$0], list[$1].name) > (execution[$1], list[$0].name) }.map { list[$0] }
    }

    /// Groups by start function, heaviest execution first (ties by name).
    public var groups: [Group] {
        var byName: [String: [Int]] = [:]
        for (i, g) in store.items.enumerated() { byName[g.name, default: []].append(i) }
        return byName.map { name, members in
            let goroutines = members.map { store[at: $0] }.sorted { $0.id < $1.id }
            return (Group(name: name, goroutines: goroutines), goroutines.reduce(0) { $0 &+ $1.execution })
        }
        .sorted { ($0.1, $1.0.name) > ($1.1, $0.0.name) }
        .map(\.0)
    }
}
