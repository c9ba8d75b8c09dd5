import FlameModel
import Foundation

/// Collapses `perf script` output into folded stacks, line by line (memory grows with the
/// distinct stacks, not with the capture), with the rules of inferno's collapse-perf and
/// stackcollapse-perf.pl: an event line (`comm pid/tid … period event:`) starts a sample, its
/// frame lines (`addr symbol+0xoff (module)`, leaf first) follow, a blank line ends it; the
/// stack is rooted at the process name; only the first event type is kept unless
/// `eventFilter` names one. Lines are handled as bytes: names are only copied, never decoded.
public struct PerfScriptCollapser {
    /// A piece of the input: bytes in a buffer the caller keeps alive while a line is fed.
    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    public let options: CollapseOptions
    public private(set) var result = CollapsedStacks()

    private enum Filter { case keep, skip, skipRemaining }
    private var eventFilter: [UInt8]?
    private var inEvent = false
    private var processName: [UInt8] = []
    private var isJava = false
    private var filter = Filter.keep
    /// The frames of the current sample, leaf first: their bytes in `arena`, bounds in `frames`.
    private var arena: [UInt8] = []
    private var frames: [(start: Int, end: Int)] = []
    private var period: Int64?
    private var skipAfter: [[UInt8]]
    private var key: [UInt8] = []
    /// The distinct stacks seen (their bytes) and their counts, until `finish`.
    private var stackIds = ByteInterner()
    private var stackValues: [Int64] = []

    /// The event type being kept, once known (set by the options or by the first sample).
    var knownEventFilter: [UInt8]? { eventFilter }

    /// A collapser for a later part of the same capture: it keeps the event type already chosen.
    init(options: CollapseOptions, eventFilter: [UInt8]?) {
        self.init(options: options)
        self.eventFilter = eventFilter
    }

    /// Adds the stacks another collapser made from another part of the capture.
    mutating func absorb(_ other: CollapsedStacks) throws(ImportError) {
        try result.absorb(other)
    }

    public init(options: CollapseOptions = CollapseOptions()) {
        var o = options
        if o.includeTid { o.includePid = true }
        self.options = o
        eventFilter = options.eventFilter.map { Array($0.utf8) }
        skipAfter = options.skipAfter.map { Array($0.utf8) }
    }

    /// True when the text starts like `perf script` output: its first event line is followed by
    /// a frame line (`#` comments and blank lines aside).
    public static func looksLikePerfScript(_ head: [UInt8]) -> Bool {
        head.withUnsafeBufferPointer { looksLikePerfScript($0) }
    }

    private static func looksLikePerfScript(_ head: UnsafeBufferPointer<UInt8>) -> Bool {
        var previousWasEvent = false
        let head = head.prefix(1 << 18)
        var start = head.startIndex
        // The first 200 lines, split one at a time (not every line of the head at once).
        for _ in 0..<200 where start <= head.endIndex {
            let end = head[start...].firstIndex(of: 0x0A) ?? head.endIndex
            let line = trimmed(head[start..<end])
            start = end + 1
            if line.first == UInt8(ascii: "#") { continue }
            if line.isEmpty { previousWasEvent = false; continue }
            if previousWasEvent { return stackLineParts(line) != nil }
            guard eventLineParts(line) != nil, line.contains(UInt8(ascii: ":")) else { return false }
            previousWasEvent = true
        }
        return false
    }

    /// Feeds one line (without its newline).
    public mutating func line(_ raw: ArraySlice<UInt8>) throws(ImportError) {
        var failure: ImportError?
        raw.withUnsafeBufferPointer { buffer in
            do throws(ImportError) { try line(bytes: buffer[...]) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Feeds one line (without its newline) lying in memory the caller keeps alive.
    mutating func line(bytes raw: Bytes) throws(ImportError) {
        if raw.first == UInt8(ascii: "#") { return }
        let line = Self.droppingTrailingWhitespace(raw)
        if line.isEmpty {
            try endEvent()
        } else if inEvent {
            stackLine(line)
        } else {
            eventLine(line)
            if !frames.isEmpty { try endEvent() } // an event line that carried its only frame
        }
    }

    /// Adds `value` to the stack spelled by `stack` (root first, `;`-joined).
    private mutating func count(_ stack: [UInt8], _ value: Int64) throws(ImportError) {
        let id = stack.withUnsafeBytes { stackIds.intern($0) }
        if Int(id) == stackValues.count {
            guard stackValues.count < CollapsedStacks.maxDistinctStacks else {
                throw .unreadable("more than \(CollapsedStacks.maxDistinctStacks) distinct stacks")
            }
            stackValues.append(value)
            return
        }
        let (sum, overflow) = stackValues[Int(id)].addingReportingOverflow(value)
        guard !overflow else { throw .unreadable("the counts of stack \"\(stackIds.string(id).prefix(80))…\" add up past 2^63") }
        stackValues[Int(id)] = sum
    }

    /// Moves the stacks counted so far into `result`.
    private mutating func publishStacks() throws(ImportError) {
        for id in stackValues.indices { try result.add(stackIds.string(Int32(id)), stackValues[id]) }
        stackIds = ByteInterner()
        stackValues = []
    }

    /// Ends the input (a last sample without a blank line after it counts, as in inferno).
    public mutating func finish() throws(ImportError) {
        if !frames.isEmpty { try endEvent() }
        try publishStacks()
        result.keptEvent = eventFilter.map { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: Event lines

    /// The command name, pid (nil when only the tid is printed), tid, and where the rest starts:
    /// the first all-digit word (`123` or `123/456`) followed by a space ends the command name.
    static func eventLineParts<C: BidirectionalCollection<UInt8>>(_ line: C) -> (comm: C, pid: C?, tid: C, rest: Int)? where C.SubSequence == C, C.Index == Int {
        var wordStart = line.startIndex
        var allDigits = false, lastWasSpace = false
        var slash: Int?
        for i in line.indices {
            let c = line[i]
            if c == 0x20 {
                if allDigits && !lastWasSpace {
                    guard wordStart > line.startIndex else { return nil }
                    let comm = trimmed(line[line.startIndex..<(wordStart - 1)])
                    if let slash { return (comm, line[wordStart..<slash], line[(slash + 1)..<i], i + 1) }
                    return (comm, nil, line[wordStart..<i], i + 1)
                }
                wordStart = i + 1
                allDigits = true
            } else if c == UInt8(ascii: "/") {
                slash = allDigits ? i : nil
            } else if c < 0x30 || c > 0x39 {
                allDigits = false
                slash = nil
            }
            lastWasSpace = c == 0x20
        }
        return nil
    }

    private mutating func eventLine(_ line: Bytes) {
        inEvent = true
        guard let (comm, pid, tid, rest) = Self.eventLineParts(line) else {
            result.unrecognized(String(decoding: line, as: UTF8.self))
            inEvent = false
            return
        }
        // `timestamp: period event: rest`, split at the first two colons.
        let tail = line[rest...]
        period = nil
        var single: Bytes?
        if let first = tail.firstIndex(of: UInt8(ascii: ":")) {
            let afterFirst = tail[(first + 1)...]
            let second = afterFirst.firstIndex(of: UInt8(ascii: ":"))
            let periodAndEvent = afterFirst[..<(second ?? afterFirst.endIndex)]
            let lastSpace = periodAndEvent.lastIndex(of: 0x20)
            let event = lastSpace.map { periodAndEvent[($0 + 1)...] } ?? periodAndEvent
            if let lastSpace {
                let before = periodAndEvent[..<lastSpace]
                let token = before.lastIndex(of: 0x20).map { before[($0 + 1)...] } ?? before
                period = Self.parseCount(token)
            }
            // A sample without an event name (`comm pid event:` with no timestamp) is never filtered.
            if !event.isEmpty {
                if let eventFilter {
                    if !event.elementsEqual(eventFilter) {
                        filter = .skip
                        result.skippedEvents[String(decoding: event, as: UTF8.self), default: 0] += 1
                        return
                    }
                } else {
                    eventFilter = Array(event)
                }
            }
            if let second {
                let post = afterFirst[(second + 1)...]
                let start = post.firstIndex { $0 == UInt8(ascii: ":") || $0 == 0x20 }.map { $0 + 1 } ?? post.startIndex
                let frame = Self.trimmed(post[start...])
                if !frame.isEmpty { single = frame }
            }
        }
        processName.removeAll(keepingCapacity: true)
        for c in comm { processName.append(c == 0x20 ? UInt8(ascii: "_") : c) }
        isJava = processName.starts(with: "java".utf8)
        if options.includeTid {
            processName.append(UInt8(ascii: "-"))
            if let pid { processName += pid } else { processName.append(UInt8(ascii: "?")) }
            processName.append(UInt8(ascii: "/"))
            processName += tid
        } else if options.includePid {
            processName.append(UInt8(ascii: "-"))
            if let pid { processName += pid } else { processName.append(UInt8(ascii: "?")) }
        }
        if let single {
            stackLine(single)
            inEvent = false
        }
    }

    static func parseCount<C: Collection<UInt8>>(_ digits: C) -> Int64? {
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var v: Int64 = 0
        for d in digits {
            guard d >= 0x30 && d <= 0x39 else { return nil }
            v = v * 10 + Int64(d - 0x30)
        }
        return v
    }

    // MARK: Frame lines

    /// The address, symbol (`" "` when empty, as the Perl version has it) and module of a frame line.
    /// The address, symbol (empty when there is none) and module of a frame line.
    static func stackLineParts(_ line: Bytes) -> (pc: Bytes, function: Bytes, module: Bytes)? {
        guard let p = line.base.baseAddress else { return nil }
        let end = line.endIndex
        var begin = line.startIndex
        while begin < end && (p[begin] == 0x20 || p[begin] == 0x09) { begin += 1 }
        var space = begin
        while space < end && p[space] != 0x20 { space += 1 }
        guard begin < end, space < end else { return nil }
        var lastSpace = end - 1
        while lastSpace > space && p[lastSpace] != 0x20 { lastSpace -= 1 }
        guard lastSpace > space, end - lastSpace >= 3, p[lastSpace + 1] == UInt8(ascii: "("), p[end - 1] == UInt8(ascii: ")") else { return nil }
        let pc = droppingTrailingWhitespace(line[begin..<space])
        let function = trimmed(line[(space + 1)..<lastSpace])
        return (pc, function, line[(lastSpace + 2)..<(end - 1)])
    }

    private static let space: ArraySlice<UInt8> = [0x20]
    private static let unknown = Array("[unknown]".utf8)

    private mutating func stackLine(_ line: Bytes) {
        if filter != .keep { return }
        // A line's frames depend on its bytes only: look the whole line up before splitting it.
        let key = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: line))
        let ends: Bool?
        if isJava {
            if javaLines.count >= Self.maxCachedLines { javaLines = FrameLineCache() }
            let id = javaLines.id(of: key)
            if javaLines.isPending { javaLines.record(framesOfNewLine(line)) }
            ends = Self.append(id, of: javaLines, to: &arena, bounds: &frames)
        } else {
            if lines.count >= Self.maxCachedLines { lines = FrameLineCache() }
            let id = lines.id(of: key)
            if lines.isPending { lines.record(framesOfNewLine(line)) }
            ends = Self.append(id, of: lines, to: &arena, bounds: &frames)
        }
        switch ends {
        case nil: result.unrecognized(String(decoding: line, as: UTF8.self))
        case true?: filter = .skipRemaining
        case false?: break
        }
    }

    /// The frames of a frame line not seen before and whether its callers are dropped; nil
    /// when it is not a frame line.
    private mutating func framesOfNewLine(_ line: Bytes) -> (frames: [[UInt8]], endsStack: Bool)? {
        guard let (pc, function, module) = Self.stackLineParts(line) else { return nil }
        return makeFrames(pc: ArraySlice(pc), rawFunction: function.isEmpty ? Self.space : ArraySlice(function), module: ArraySlice(module))
    }

    /// Frame lines seen (their bytes) and
    /// what each contributes: its frames, leaf first (none for process-name lines), and whether
    /// its callers are dropped (`--skip-after`). Stored flat: no array per line.
    private struct FrameLineCache {
        private var keys = ByteInterner()
        private(set) var frameBytes: [UInt8] = []
        /// Frame `k` is `frameBytes[frameBounds[k]..<frameBounds[k + 1]]`.
        private(set) var frameBounds: [Int] = [0]
        /// The frames of line `id` are `firstFrame[id]..<firstFrame[id + 1]`.
        private(set) var firstFrame: [Int] = [0]
        private(set) var endsStack: [Bool] = []

        /// Lines known (the last may still be pending its frames).
        var count: Int { keys.count }
        /// The last line was added by `id(of:)` and awaits `record`.
        var isPending: Bool { endsStack.count < keys.count }

        /// The id of the line spelled `key`, added (pending) if new.
        mutating func id(of key: UnsafeRawBufferPointer) -> Int { Int(keys.intern(key)) }

        /// Lines that are not frame lines (no frames).
        private(set) var unrecognized: [Bool] = []

        /// The frames of the pending line; nil when it is not a frame line.
        mutating func record(_ made: (frames: [[UInt8]], endsStack: Bool)?) {
            for f in made?.frames ?? [] {
                frameBytes += f
                frameBounds.append(frameBytes.count)
            }
            firstFrame.append(frameBounds.count - 1)
            endsStack.append(made?.endsStack ?? false)
            unrecognized.append(made == nil)
        }
    }

    private var lines = FrameLineCache()
    private var javaLines = FrameLineCache() // Java processes tidy names differently
    private static let maxCachedLines = 1 << 20

    /// Appends the frames of line `id` to the sample's: whether its callers are dropped, nil for a
    /// line that is not a frame line.
    private static func append(_ id: Int, of cache: FrameLineCache, to arena: inout [UInt8], bounds: inout [(start: Int, end: Int)]) -> Bool? {
        if cache.unrecognized[id] { return nil }
        cache.frameBytes.withUnsafeBufferPointer { bytes in
            for k in cache.firstFrame[id]..<cache.firstFrame[id + 1] {
                let start = arena.count
                arena.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cache.frameBounds[k]..<cache.frameBounds[k + 1]]))
                bounds.append((start, arena.count))
            }
        }
        return cache.endsStack[id]
    }

    /// The frames (leaf first) of a frame line seen for the first time, and whether its
    /// callers are dropped.
    private mutating func makeFrames(pc: ArraySlice<UInt8>, rawFunction: ArraySlice<UInt8>, module: ArraySlice<UInt8>) -> (frames: [[UInt8]], endsStack: Bool) {
        var function = rawFunction
        if let offset = Self.lastIndex(of: Self.offsetMark, in: function),
           function[(offset + 3)...].allSatisfy(SymbolCleanup.isHex) {
            function = function[..<offset]
        }
        if function.first == UInt8(ascii: "(") { return ([], false) }
        let fixed = SymbolCleanup.fixPartiallyDemangledRust(bytes: function)
        var made: [[UInt8]] = []
        var part = fixed.startIndex
        while true {
            let arrow = Self.firstIndex(of: Self.arrow, in: fixed[part...]) ?? fixed.endIndex
            made.append(frame(fixed[part..<arrow], module: module, pc: pc, inlined: !made.isEmpty))
            if arrow == fixed.endIndex { break }
            part = arrow + 2
        }
        // `a->b->c` puts a nearest the root: stored leaf first like every frame, the group is reversed.
        let endsStack = !skipAfter.isEmpty && skipAfter.contains(where: { $0.elementsEqual(fixed) })
        return (made.reversed(), endsStack)
    }

    /// One frame's name: `[unknown]` replaced, tidied, annotated.
    private func frame(_ raw: ArraySlice<UInt8>, module: ArraySlice<UInt8>, pc: ArraySlice<UInt8>, inlined: Bool) -> [UInt8] {
        var scratch: [UInt8] = []
        if raw.elementsEqual(Self.unknown) && !(module.elementsEqual(Self.unknown) && !options.includeAddrs) {
            // `[unknown]` becomes the module's file name in brackets (with `<addr>` under `--addrs`).
            scratch.append(UInt8(ascii: "["))
            if module.elementsEqual(Self.unknown) {
                scratch += "unknown".utf8
            } else {
                scratch += module[((module.lastIndex(of: UInt8(ascii: "/")) ?? (module.startIndex - 1)) + 1)...]
            }
            if options.includeAddrs { scratch += " <".utf8; scratch += pc; scratch.append(UInt8(ascii: ">")) }
            scratch.append(UInt8(ascii: "]"))
        } else {
            scratch += raw
        }
        Self.tidy(&scratch)
        if isJava, scratch.first == UInt8(ascii: "L"), scratch.contains(UInt8(ascii: "/")) { scratch.removeFirst() }
        if inlined {
            if Self.firstIndex(of: Self.inlineMark, in: scratch[...]) == nil { scratch += "_[i]".utf8 }
        } else if options.annotateKernel && Self.isKernel(module) {
            scratch += "_[k]".utf8
        } else if options.annotateJit && Self.isJit(module) && Self.firstIndex(of: Self.jitMark, in: scratch[...]) == nil {
            scratch += "_[j]".utf8
        }
        return scratch
    }

    private mutating func endEvent() throws(ImportError) {
        if !frames.isEmpty {
            key.removeAll(keepingCapacity: true)
            if filter != .skipRemaining {
                key += processName
                key.append(UInt8(ascii: ";"))
            }
            for i in stride(from: frames.count - 1, through: 0, by: -1) {
                key += arena[frames[i].start..<frames[i].end]
                if i > 0 { key.append(UInt8(ascii: ";")) }
            }
            try count(key, period ?? 1)
        }
        inEvent = false
        filter = .keep
        frames.removeAll(keepingCapacity: true)
        arena.removeAll(keepingCapacity: true)
        period = nil
    }

    // MARK: Names

    /// `;` becomes `:`, and an argument list is removed, except Go's `pkg.(*T).M` receivers and
    /// C++'s `(anonymous namespace)`; parentheses inside `<>`, `{}` or `[]` are kept.
    static func tidy(_ f: inout [UInt8]) {
        var depth = 0
        var lastDotEnd = -1
        var i = 0
        while i < f.count {
            switch f[i] {
            case UInt8(ascii: ";"): f[i] = UInt8(ascii: ":")
            case UInt8(ascii: "<"), UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: ">"), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ")"): depth -= 1
            case UInt8(ascii: "("):
                if depth == 0 && lastDotEnd != i && !f[i...].starts(with: "(anonymous namespace)".utf8) {
                    f.removeSubrange(i...)
                    return
                }
                depth += 1
            case UInt8(ascii: "."): lastDotEnd = i + 1
            default: break
            }
            i += 1
        }
    }

    /// Kernel modules: `[kernel.kallsyms]`-style names, `.ko` files and vmlinux images.
    static func isKernel(_ module: ArraySlice<UInt8>) -> Bool {
        if module.elementsEqual(unknown) { return false }
        if module.first == UInt8(ascii: "[") || module.reversed().starts(with: "ok.".utf8) { return true }
        guard let v = lastIndex(of: vmlinux, in: module) else { return false }
        return module[v...].allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "_")
        }
    }

    /// JIT code: perf map files (`/tmp/perf-PID.map`) and jitdump libraries (`…/jitted-….so`).
    static func isJit(_ module: ArraySlice<UInt8>) -> Bool {
        let ends = { (s: String) in module.reversed().starts(with: s.utf8.reversed()) }
        return (module.starts(with: "/tmp/perf-".utf8) && ends(".map")) || (firstIndex(of: jitted, in: module) != nil && ends(".so"))
    }

    // MARK: Bytes

    static let offsetMark = Array("+0x".utf8), arrow = Array("->".utf8), inlineMark = Array("_[i]".utf8),
               jitMark = Array("_[j]".utf8), vmlinux = Array("vmlinux".utf8), jitted = Array("/jitted-".utf8)

    static func firstIndex(of n: [UInt8], in hay: ArraySlice<UInt8>) -> Int? {
        guard hay.count >= n.count else { return nil }
        var i = hay.startIndex
        while i <= hay.endIndex - n.count {
            if hay[i] == n[0] && hay[i..<(i + n.count)].elementsEqual(n) { return i }
            i += 1
        }
        return nil
    }

    static func lastIndex(of n: [UInt8], in hay: ArraySlice<UInt8>) -> Int? {
        guard hay.count >= n.count else { return nil }
        var i = hay.endIndex - n.count
        while i >= hay.startIndex {
            if hay[i] == n[0] && hay[i..<(i + n.count)].elementsEqual(n) { return i }
            i -= 1
        }
        return nil
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

    static func trimmed<C: BidirectionalCollection<UInt8>>(_ s: C) -> C where C.SubSequence == C {
        var s = s
        while let f = s.first, isSpace(f) { s = s.dropFirst() }
        return droppingTrailingWhitespace(s)
    }

    static func droppingTrailingWhitespace<C: BidirectionalCollection<UInt8>>(_ s: C) -> C where C.SubSequence == C {
        var s = s
        while let l = s.last, isSpace(l) { s = s.dropLast() }
        return s
    }
}
