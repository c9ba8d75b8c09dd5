import FlameModel

/// Puts the events of every M's batches in one order, as Go's parser does: always the earliest
/// event that the goroutine, P and GC sequence numbers allow next; events that are not ready yet
/// wait while later ones from other Ms go first. Emitted times are made strictly increasing.
struct TraceOrdering {
    private enum ProcStatus: UInt64 { case bad = 0, running, idle, syscall, syscallAbandoned }

    /// One decoded timed event.
    struct Event {
        var type: UInt8 = 0
        var time: Int64 = 0
        var a0: UInt64 = 0, a1: UInt64 = 0, a2: UInt64 = 0, a3: UInt64 = 0
        subscript(i: Int) -> UInt64 {
            switch i { case 0: return a0; case 1: return a1; case 2: return a2; default: return a3 }
        }
    }

    /// Reads one M's batches event by event.
    private struct Cursor {
        let m: UInt64
        let slot: Int
        let batches: [(time: UInt64, data: ArraySlice<UInt8>)]
        var batchIndex = 0
        var offset = 0
        var lastTime: Int64 = 0
        var event = Event()
    }

    private struct GoroutineState { var status: Trace.GoState; var generation: UInt64; var seq: UInt64 }
    private struct ProcState { var status: ProcStatus; var generation: UInt64; var seq: UInt64 }
    private struct MState { var g: UInt64?; var p: UInt64? }

    private var goroutines = DenseTable<GoroutineState>()
    private var procs = DenseTable<ProcState>()
    /// Ms by slot (an M's slot is found once, when its cursor is made).
    private var threadSlots: [UInt64: Int] = [:]
    private var threadStates: [MState] = []

    private mutating func slot(of m: UInt64) -> Int {
        if let s = threadSlots[m] { return s }
        threadSlots[m] = threadStates.count
        threadStates.append(MState())
        return threadStates.count - 1
    }
    private var gcSeq: UInt64 = 0
    private var gcKnown = false
    private var initialGeneration: UInt64 = 0
    private var lastTime: Int64 = 0
    private var openSTW: [UInt64: Int] = [:]
    private var stwName: [UInt64: String] = [:]
    private var openTasks: [UInt64: Int] = [:]
    private var taskNames: [UInt64: Int32] = [:]
    private var openRegions: [UInt64: [Int]] = [:]
    private var openGC: Int?

    var trace = Trace()
    /// Keep the records the analyses read (not needed for the blocking profiles), and the
    /// transitions; and/or hand every event to `sink` as it is emitted.
    var keepRecords = true
    var keepTransitions = true
    var sink: ((Trace.Event, borrowing Trace) -> Void)?
    private var transitionCount = 0
    /// Events tried out of time order so far, and how many may be before reading stops.
    private var triesOutOfOrder = 0
    static let maxTriesOutOfOrder = 16 << 20
    private var stringIndex: [String: Int32] = [:]
    private var stackIndex: [[UInt64]: Int32] = [:]

    /// Orders one generation's events into `trace`.
    mutating func add(_ g: RawGeneration) throws(TraceError) {
        if initialGeneration == 0 { initialGeneration = g.number }
        trace.generations += 1
        var tables = Tables(generation: g)
        record(.sync(time: emitTime(try Self.nanoseconds(g.minTime, g))))
        if trace.startTime == 0 { trace.startTime = lastTime }

        var cpu: [(time: Int64, g: UInt64, stack: UInt64)] = []
        for s in g.cpuSamples { cpu.append((try Self.nanoseconds(s.time, g), s.g, s.stack)) }
        cpu.sort { $0.time < $1.time }
        var cpuNext = 0

        var heap: [Cursor] = []
        for m in g.ms {
            var c = Cursor(m: m, slot: slot(of: m), batches: g.batches[m] ?? [])
            if try next(&c, g) { heapInsert(&heap, c) }
        }
        while !heap.isEmpty || cpuNext < cpu.count {
            if cpuNext < cpu.count, heap.isEmpty || cpu[cpuNext].time < heap[0].event.time {
                let s = cpu[cpuNext]
                cpuNext += 1
                let t = emitTime(s.time)
                trace.cpuSamples.append((t, s.g, stack(s.stack, &tables)))
                continue
            }
            if try advance(&heap, 0, g, &tables) { continue }
            heap.sort { $0.event.time < $1.event.time }
            var advanced = false
            for i in 1..<max(heap.count, 1) {
                triesOutOfOrder += 1
                if try advance(&heap, i, g, &tables) {
                    advanced = true
                    break
                }
            }
            // Go's parser scans the other threads in time order whenever the earliest event
            // cannot come next, which is quadratic when many threads take turns out of time
            // order; the work is bounded instead (no real trace comes near).
            if triesOutOfOrder > Self.maxTriesOutOfOrder + 64 * trace.eventCount {
                throw .malformed("events cannot be put in order in bounded time: \(heap.count) threads' events are out of time order (\(triesOutOfOrder) tries for \(trace.eventCount) events)")
            }
            guard advanced else {
                let e = heap[0].event
                let state = "P \(e.a0): \(procs[e.a0].map { "\($0.status) seq \($0.generation)/\($0.seq)" } ?? "unknown"); M's P \(threadStates[heap[0].slot].p.map(String.init) ?? "none"); G \(e.a0): \(goroutines[e.a0].map { "\($0.status) seq \($0.generation)/\($0.seq)" } ?? "unknown")"
                throw .malformed("events cannot be put in order (generation \(g.number), M \(heap[0].m), event type \(e.type) at \(e.time), args \(e.a0) \(e.a1) \(e.a2); \(state))")
            }
        }
        trace.endTime = lastTime
    }

    /// Go's `frequency.mul`: ticks to nanoseconds, refused past what 64 bits hold.
    static func nanoseconds(_ ticks: UInt64, _ g: RawGeneration) throws(TraceError) -> Int64 {
        let v = Double(ticks) * g.nanosPerTick
        guard v.isFinite, v < 9.2e18 else { throw .malformed("timestamp out of range") }
        return Int64(v)
    }

    /// Tries the event at the front of cursor `i`; on success moves the cursor on.
    private mutating func advance(_ heap: inout [Cursor], _ i: Int, _ g: RawGeneration, _ tables: inout Tables) throws(TraceError) -> Bool {
        var c = heap[i]
        guard try process(c.event, m: c.m, slot: c.slot, generation: g.number, &tables) else { return false }
        if try next(&c, g) {
            heap[i] = c
            heapUpdate(&heap, i)
        } else {
            heapRemove(&heap, i)
        }
        return true
    }

    /// Decodes the cursor's next event; false at the end of its batches.
    private func next(_ c: inout Cursor, _ g: RawGeneration) throws(TraceError) -> Bool {
        let batches = c.batches
        while c.batchIndex < batches.count && c.offset >= batches[c.batchIndex].data.count {
            c.batchIndex += 1
            c.offset = 0
            c.lastTime = 0
        }
        guard c.batchIndex < batches.count else { return false }
        let batch = batches[c.batchIndex]
        if c.lastTime == 0 { c.lastTime = try Self.nanoseconds(batch.time, g) }
        var r = ByteCursor(batch.data.dropFirst(c.offset))
        let type = try r.byte()
        guard let spec = TraceFormat.specs[Int(type)] else { throw .malformed("event type \(type) in an M's batch") }
        let delta = try r.uvarint()
        var e = Event(type: type)
        for k in 0..<spec.arguments {
            let v = try r.uvarint()
            switch k { case 0: e.a0 = v; case 1: e.a1 = v; case 2: e.a2 = v; case 3: e.a3 = v; default: break }
        }
        let (time, overflow) = try Self.nanoseconds(delta, g).addingReportingOverflow(c.lastTime)
        guard !overflow else { throw .malformed("timestamp out of range") }
        e.time = time
        c.lastTime = e.time
        c.offset = r.offset - batch.data.startIndex
        c.event = e
        return true
    }

    /// Applies one event if the state allows it now (Go's `ordering.Advance`); emits what it causes.
    private mutating func process(_ e: Event, m: UInt64, slot mSlot: Int, generation: UInt64, _ tables: inout Tables) throws(TraceError) -> Bool {
        var ms = threadStates[mSlot]
        func seqFollows(_ state: (generation: UInt64, seq: UInt64), _ seq: UInt64) -> Bool {
            state.generation == generation && seq == state.seq &+ 1
        }
        let ctxP = ms.p.map { Int64(truncatingIfNeeded: $0) } ?? -1
        let ctxG = ms.g
        func transition(_ g: UInt64, _ from: Trace.GoState, _ to: Trace.GoState, time: Int64, reason: Int32 = -1, eventStack: Int32 = -1, stack: Int32 = -1) {
            if from == .notExist, let ctxG { trace.creators[transitionCount] = ctxG }
            let t = Trace.Transition(time: time, goroutine: g, from: from, to: to, reason: reason, eventStack: eventStack, stack: stack, proc: ctxP)
            if keepTransitions { trace.transitions.append(t) }
            sink?(.transition(t, transitionCount), trace)
            // Streamed, the creator is read while the transition is handed on, not after.
            if !keepTransitions && from == .notExist && ctxG != nil { trace.creators[transitionCount] = nil }
            transitionCount += 1
        }
        func range(_ phase: Trace.RangePhase, _ name: String, onProc: Bool, scope: UInt64?, time: Int64) {
            let n = intern(name)
            record(.range(phase: phase, name: n, onProc: onProc, scope: scope ?? UInt64.max, goroutine: ctxG, proc: Int32(clamping: ctxP), time: time))
        }
        // Events that Go's parser only accepts on an M that holds a P.
        switch e.type {
        case TraceFormat.goCreate, TraceFormat.goCreateBlocked, TraceFormat.goStart, TraceFormat.goDestroy, TraceFormat.goStop,
             TraceFormat.goBlock, TraceFormat.goSyscallBegin, TraceFormat.goSyscallEnd, TraceFormat.procStop,
             TraceFormat.heapAlloc, TraceFormat.heapGoal:
            if ms.p == nil {
                if e.type == TraceFormat.goStart, let s = goroutines[e.a0], s.status != .runnable || !seqFollows((s.generation, s.seq), e.a1) { return false }
                throw .malformed("expected a proc but didn't have one (event type \(e.type) on M \(m))")
            }
        default: break
        }
        switch e.type {
        case TraceFormat.procStatus:
            var status = ProcStatus(rawValue: e.a1) ?? .bad
            let known = procs[e.a0] != nil
            // A P in a syscall reported as abandoned stays in its syscall (its M keeps it
            // until it is stolen), as Go's parser has it.
            if status == .syscallAbandoned, let old = procs[e.a0], old.status == .syscall { status = .syscall }
            procs[e.a0] = ProcState(status: status, generation: generation, seq: 0)
            if (status == .running || status == .syscall) && ProcStatus(rawValue: e.a1) != .syscallAbandoned { ms.p = e.a0 }
            let time = emit(e)
            if !known && status == .idle { record(.procIdle(proc: e.a0, time: time)) }
        case TraceFormat.procStart:
            guard let p = procs[e.a0], p.status == .idle, seqFollows((p.generation, p.seq), e.a1), ms.p == nil else { return false }
            procs[e.a0] = ProcState(status: .running, generation: generation, seq: e.a1)
            ms.p = e.a0
            emit(e)
        case TraceFormat.procStop:
            if let p = ms.p { procs[p]?.status = .idle }
            let time = emit(e)
            if let p = ms.p { record(.procIdle(proc: p, time: time)) }
            ms.p = nil
        case TraceFormat.procSteal:
            guard let p = procs[e.a0], p.status == .syscall || p.status == .syscallAbandoned, seqFollows((p.generation, p.seq), e.a1) else { return false }
            procs[e.a0] = ProcState(status: .idle, generation: generation, seq: e.a1)
            if p.status == .syscall {
                if e.a2 == m { ms.p = nil } else { threadStates[slot(of: e.a2)].p = nil }
            }
            let time = emit(e)
            if p.status == .syscall { record(.procIdle(proc: e.a0, time: time)) }
        case TraceFormat.goStatus, TraceFormat.goStatusStack:
            let status: Trace.GoState
            switch e.a2 { case 1: status = .runnable; case 2: status = .running; case 3: status = .syscall; case 4: status = .waiting; default: throw .malformed("goroutine \(e.a0) has status \(e.a2)") }
            let from: Trace.GoState = goroutines[e.a0] == nil ? (generation == initialGeneration ? .undetermined : .notExist) : status
            goroutines[e.a0] = GoroutineState(status: status, generation: generation, seq: 0)
            if status == .running { ms.g = e.a0 }
            if status == .syscall {
                if e.a1 == m { ms.g = e.a0 } else if threadSlots[e.a1] == nil { threadStates[slot(of: e.a1)] = MState(g: e.a0, p: nil) }
            }
            let s = e.type == TraceFormat.goStatusStack ? stack(e.a3, &tables) : -1
            transition(e.a0, from, status, time: emit(e), eventStack: s, stack: s)
        case TraceFormat.goCreate, TraceFormat.goCreateBlocked:
            let status: Trace.GoState = e.type == TraceFormat.goCreate ? .runnable : .waiting
            goroutines[e.a0] = GoroutineState(status: status, generation: generation, seq: 0)
            transition(e.a0, .notExist, status, time: emit(e), eventStack: stack(e.a2, &tables), stack: stack(e.a1, &tables))
        case TraceFormat.goCreateSyscall:
            goroutines[e.a0] = GoroutineState(status: .syscall, generation: generation, seq: 0)
            ms.g = e.a0
            transition(e.a0, .notExist, .syscall, time: emit(e))
        case TraceFormat.goStart:
            guard let s = goroutines[e.a0], s.status == .runnable, seqFollows((s.generation, s.seq), e.a1) else { return false }
            goroutines[e.a0] = GoroutineState(status: .running, generation: generation, seq: e.a1)
            ms.g = e.a0
            transition(e.a0, .runnable, .running, time: emit(e))
        case TraceFormat.goDestroy, TraceFormat.goStop, TraceFormat.goBlock:
            guard let g = ms.g else { throw .malformed("goroutine event on M \(m) without a goroutine") }
            let time = emit(e)
            ms.g = nil
            if e.type == TraceFormat.goDestroy {
                goroutines[g] = nil
                transition(g, .running, .notExist, time: time)
            } else {
                let to: Trace.GoState = e.type == TraceFormat.goStop ? .runnable : .waiting
                goroutines[g]?.status = to
                let s = stack(e.a1, &tables)
                transition(g, .running, to, time: time, reason: string(e.a0, &tables), eventStack: s, stack: s)
            }
        case TraceFormat.goUnblock:
            guard let s = goroutines[e.a0], s.status == .waiting, seqFollows((s.generation, s.seq), e.a1) else { return false }
            goroutines[e.a0] = GoroutineState(status: .runnable, generation: generation, seq: e.a1)
            transition(e.a0, .waiting, .runnable, time: emit(e), eventStack: stack(e.a2, &tables))
        case TraceFormat.goSwitch, TraceFormat.goSwitchDestroy:
            guard let current = ms.g, let s = goroutines[e.a0], s.status == .waiting, seqFollows((s.generation, s.seq), e.a1) else { return false }
            transition(e.a0, .waiting, .runnable, time: emit(e))
            if e.type == TraceFormat.goSwitch {
                goroutines[current]?.status = .waiting
                transition(current, .running, .waiting, time: emit(e), reason: string(0, &tables))
            } else {
                goroutines[current] = nil
                transition(current, .running, .notExist, time: emit(e))
            }
            goroutines[e.a0] = GoroutineState(status: .running, generation: generation, seq: e.a1)
            ms.g = e.a0
            transition(e.a0, .runnable, .running, time: emit(e))
        case TraceFormat.goSyscallBegin:
            guard let g = ms.g else { throw .malformed("syscall on M \(m) without a goroutine") }
            goroutines[g]?.status = .syscall
            if let p = ms.p { procs[p] = ProcState(status: .syscall, generation: generation, seq: e.a0) }
            let s = stack(e.a1, &tables)
            transition(g, .running, .syscall, time: emit(e), eventStack: s, stack: s)
        case TraceFormat.goSyscallEnd:
            guard let g = ms.g else { throw .malformed("syscall end on M \(m) without a goroutine") }
            goroutines[g]?.status = .running
            if let p = ms.p { procs[p]?.status = .running }
            transition(g, .syscall, .running, time: emit(e))
        case TraceFormat.goSyscallEndBlocked:
            if let p = ms.p, procs[p]?.status == .syscall { return false }
            guard let g = ms.g else { throw .malformed("syscall end on M \(m) without a goroutine") }
            goroutines[g]?.status = .runnable
            ms.g = nil
            transition(g, .syscall, .runnable, time: emit(e))
        case TraceFormat.goDestroySyscall:
            guard let g = ms.g else { throw .malformed("goroutine end on M \(m) without a goroutine") }
            goroutines[g] = nil
            ms.g = nil
            if let p = ms.p {
                procs[p]?.status = .syscallAbandoned
                ms.p = nil
                emit(e) // the ProcSteal Go's parser adds here
            }
            transition(g, .syscall, .notExist, time: emit(e))
        case TraceFormat.gcActive:
            if generation != initialGeneration {
                guard e.a0 == gcSeq &+ 1 else { return false }
            }
            gcSeq = e.a0
            gcKnown = true
            let time = emit(e)
            if openGC == nil {
                openGC = trace.gcCycles.count
                trace.gcCycles.append(Trace.Span(begin: time, end: -1, detail: Int64(truncatingIfNeeded: e.a0), startedBefore: true))
            }
            range(.active, "GC concurrent mark phase", onProc: false, scope: nil, time: time)
        case TraceFormat.gcBegin:
            if gcKnown { guard e.a0 == gcSeq &+ 1 else { return false } }
            gcSeq = e.a0
            gcKnown = true
            openGC = trace.gcCycles.count
            let time = emit(e)
            trace.gcCycles.append(Trace.Span(begin: time, end: -1, detail: Int64(truncatingIfNeeded: e.a0)))
            range(.begin, "GC concurrent mark phase", onProc: false, scope: nil, time: time)
        case TraceFormat.gcEnd:
            guard e.a0 == gcSeq &+ 1 else { return false }
            gcSeq = e.a0
            let time = emit(e)
            if let open = openGC { trace.gcCycles[open].end = time }
            openGC = nil
            range(.end, "GC concurrent mark phase", onProc: false, scope: nil, time: time)
        case TraceFormat.stwBegin:
            openSTW[m] = trace.stopTheWorld.count
            let kind = string(e.a0, &tables), time = emit(e)
            trace.stopTheWorld.append(Trace.Span(begin: time, end: -1, detail: Int64(kind)))
            stwName[m] = "stop-the-world (" + trace.string(kind) + ")"
            range(.begin, stwName[m]!, onProc: false, scope: ctxG, time: time)
        case TraceFormat.stwEnd:
            let time = emit(e)
            if let open = openSTW.removeValue(forKey: m) { trace.stopTheWorld[open].end = time }
            if let name = stwName.removeValue(forKey: m) { range(.end, name, onProc: false, scope: ctxG, time: time) }
        case TraceFormat.gcSweepBegin, TraceFormat.gcSweepEnd:
            range(e.type == TraceFormat.gcSweepBegin ? .begin : .end, "GC incremental sweep", onProc: true, scope: ms.p, time: emit(e))
        case TraceFormat.gcSweepActive:
            range(.active, "GC incremental sweep", onProc: true, scope: e.a0, time: emit(e))
        case TraceFormat.gcMarkAssistBegin, TraceFormat.gcMarkAssistEnd:
            range(e.type == TraceFormat.gcMarkAssistBegin ? .begin : .end, "GC mark assist", onProc: false, scope: ctxG, time: emit(e))
        case TraceFormat.gcMarkAssistActive:
            range(.active, "GC mark assist", onProc: false, scope: e.a0, time: emit(e))
        case TraceFormat.procsChange:
            record(.procs(count: Int(clamping: e.a0), time: emit(e)))
        case TraceFormat.goLabel:
            let name = string(e.a0, &tables)
            record(.label(goroutine: ctxG, proc: ctxP, name: name, time: emit(e)))
        case TraceFormat.heapAlloc:
            record(.heap(goal: false, bytes: e.a0, time: emit(e)))
        case TraceFormat.heapGoal:
            record(.heap(goal: true, bytes: e.a0, time: emit(e)))
        case TraceFormat.userTaskBegin:
            openTasks[e.a0] = trace.tasks.count
            let name = string(e.a2, &tables), time = emit(e)
            taskNames[e.a0] = name
            trace.tasks.append(Trace.Annotation(task: e.a0, owner: e.a1, name: name, begin: time, end: -1))
            record(.task(begin: true, id: e.a0, name: name, time: time))
        case TraceFormat.userTaskEnd:
            let time = emit(e)
            if let open = openTasks.removeValue(forKey: e.a0) { trace.tasks[open].end = time }
            record(.task(begin: false, id: e.a0, name: taskNames.removeValue(forKey: e.a0) ?? intern(""), time: time))
        case TraceFormat.userRegionBegin:
            let g = ms.g ?? UInt64.max
            openRegions[g, default: []].append(trace.regions.count)
            let name = string(e.a1, &tables), s = stack(e.a2, &tables), time = emit(e)
            trace.regions.append(Trace.Annotation(task: e.a0, owner: g, name: name, begin: time, end: -1))
            record(.region(begin: true, goroutine: g, task: e.a0, name: name, stack: s, time: time))
        case TraceFormat.userRegionEnd:
            let time = emit(e), g = ms.g ?? UInt64.max
            if let open = openRegions[g]?.popLast() { trace.regions[open].end = time }
            record(.region(begin: false, goroutine: g, task: e.a0, name: string(e.a1, &tables), stack: -1, time: time))
        default:
            emit(e)
        }
        threadStates[mSlot] = ms
        return true
    }

    private mutating func record(_ r: Trace.Record) {
        sink?(.record(r), trace)
        guard keepRecords else { return }
        trace.records.append(r)
        trace.recordPositions.append(Int32(clamping: transitionCount))
    }

    /// Emits an event: its time, made later than every time before (Go's parser does this).
    @discardableResult
    private mutating func emit(_ e: Event) -> Int64 {
        trace.eventCount += 1
        return emitTime(e.time)
    }

    @discardableResult
    private mutating func emitTime(_ time: Int64) -> Int64 {
        let t = time <= lastTime ? lastTime + 1 : time
        lastTime = t
        return t
    }

    /// The generation's string and stack tables, resolved into the trace's global ones lazily.
    struct Tables {
        let generation: RawGeneration
        var strings: [UInt64: Int32] = [:]
        var stacks: [UInt64: Int32] = [:]
    }

    private mutating func string(_ id: UInt64, _ tables: inout Tables) -> Int32 {
        if let known = tables.strings[id] { return known }
        let index = intern(id == 0 ? "" : tables.generation.strings[id] ?? "")
        tables.strings[id] = index
        return index
    }

    private mutating func intern(_ text: String) -> Int32 {
        if let existing = stringIndex[text] { return existing }
        let index = Int32(trace.strings.count)
        trace.strings.append(text)
        stringIndex[text] = index
        return index
    }

    private mutating func stack(_ id: UInt64, _ tables: inout Tables) -> Int32 {
        guard id != 0 else { return -1 }
        if let known = tables.stacks[id] { return known }
        guard let pcs = tables.generation.stacks[id] else { return -1 }
        let index: Int32
        if let existing = stackIndex[pcs] { index = existing } else {
            index = Int32(trace.stacks.count)
            var frames: [Int32] = []
            for pc in pcs {
                let f = tables.generation.frames[pc]
                let name = f.map { tables.generation.strings[$0.function] ?? "" } ?? ""
                let file = f.map { tables.generation.strings[$0.file] ?? "" } ?? ""
                frames.append(trace.frames.intern(Frame(name: name, file: file, line: Int64(clamping: f?.line ?? 0), address: pc)))
            }
            trace.stacks.append(frames)
            stackIndex[pcs] = index
        }
        tables.stacks[id] = index
        return index
    }

    // MARK: The frontier heap, as Go's parser keeps it (ties broken the same way).

    private func heapInsert(_ heap: inout [Cursor], _ c: Cursor) {
        heap.append(c)
        _ = siftUp(&heap, heap.count - 1)
    }

    private func heapUpdate(_ heap: inout [Cursor], _ i: Int) {
        if siftUp(&heap, i) != i { return }
        siftDown(&heap, i)
    }

    private func heapRemove(_ heap: inout [Cursor], _ index: Int) {
        var i = index
        while i > 0 {
            heap.swapAt((i - 1) / 2, i)
            i = (i - 1) / 2
        }
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        siftDown(&heap, 0)
    }

    private func siftUp(_ heap: inout [Cursor], _ index: Int) -> Int {
        var i = index
        while i > 0 && heap[(i - 1) / 2].event.time > heap[i].event.time {
            heap.swapAt((i - 1) / 2, i)
            i = (i - 1) / 2
        }
        return i
    }

    private func siftDown(_ heap: inout [Cursor], _ index: Int) {
        var i = index
        while true {
            var m = i, t = Int64.max
            if i < heap.count { t = heap[i].event.time }
            for child in [2 * i + 1, 2 * i + 2] where child < heap.count && heap[child].event.time < t {
                t = heap[child].event.time
                m = child
            }
            if m == i { return }
            heap.swapAt(i, m)
            i = m
        }
    }
}

/// A table keyed by small integers (goroutine and P ids): an array for ids below a bound, a
/// dictionary above it, so the common case costs no hashing and a hostile id costs no memory.
struct DenseTable<Value> {
    private var slots: [Value?] = []
    private var overflow: [UInt64: Value] = [:]
    /// Keys set in `slots`: the slots grow only while at least a quarter of them would be used
    /// (a few huge ids go to `overflow`, millions of small ones stay in the array).
    private var used = 0

    subscript(key: UInt64) -> Value? {
        get {
            if key < UInt64(slots.count) { return slots[Int(key)] }
            return overflow.isEmpty ? nil : overflow[key]
        }
        set {
            if key < UInt64(slots.count) {
                let i = Int(key)
                used += (newValue != nil ? 1 : 0) - (slots[i] != nil ? 1 : 0)
                slots[i] = newValue
                return
            }
            let wanted = max(1024, max(key + 1, UInt64(slots.count) * 2))
            guard newValue != nil, key < 1 << 32, wanted <= UInt64(4 * (used + overflow.count + 1)) + 1024 else {
                overflow[key] = newValue
                return
            }
            slots.append(contentsOf: repeatElement(nil, count: Int(wanted) - slots.count))
            // Keys that now fall inside the slots move there.
            for (k, v) in overflow where k < wanted {
                slots[Int(k)] = v
                overflow[k] = nil
                used += 1
            }
            used += slots[Int(key)] == nil ? 1 : 0
            slots[Int(key)] = newValue
        }
    }
}
