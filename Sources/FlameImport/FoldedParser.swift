import FlameModel
import Foundation

/// Reads Brendan Gregg's folded ("collapsed") stacks: `frame;frame;frame count` per line, root
/// first, as flamegraph.pl does.
///
/// - Counts may be fractional (`12.5`); values are then kept as fixed-point.
/// - Two counts (`stack before after`) make a differential profile: width from "after", colour
///   from the change.
/// - Lines without a count are skipped and counted in `skippedLines`; `#` lines are comments.
/// - Annotation suffixes (`_[k]`, `_[j]`, `_[i]`, `_[w]`) stay part of the frame name.
/// - Identical stacks are summed into one sample as they are read, so memory grows with the
///   distinct stacks, not the lines (unless `keepOrder`, for flame charts).
/// Works on bytes: names are interned from the input buffer without a `String` per frame.
/// Input can be fed in chunks (`feed`, then `finish`).
public struct FoldedParser {
    public private(set) var skippedLines = 0
    /// Lines read (stacks, skipped lines, comments and blank lines).
    public private(set) var lineCount = 0
    /// Lines that held a stack and a count.
    public private(set) var stackLines = 0
    /// Stack lines with more than one frame (a `;`): real folded stacks nearly all have one.
    public private(set) var deepStackLines = 0
    /// The first skipped line: its number (1-based) and its start, for error messages.
    public private(set) var firstSkipped: (line: Int, text: String)?
    /// Set when a line broke a limit (`ImportLimits`) or a sum overflowed; parsing stops there.
    public private(set) var limitError: ImportError?
    /// Keep every line as its own sample, in input order (flame charts: the order is time).
    public var keepOrder = false
    /// The size of the input when known (0 if not): once 1 MiB is read, the tables are sized for
    /// the whole input at the rate names and stacks were new so far, instead of growing (and
    /// being copied and faulted in) step by step.
    public var expectedBytes = 0
    private var fedBytes = 0
    private var sized = false

    private var interner = ByteInterner(capacity: 1 << 14)
    private var stackStart: [Int] = [0]
    private var stackFrames: [Int32] = []
    private var counts: [Int64] = []      // after (or only) counts, fixed-point
    private var baseCounts: [Int64] = []  // before counts, only for two-column lines
    private var differential = false
    private var decimals = 0              // fixed-point scale 10^decimals
    private var sawFraction = false
    private var distinct = StackTable()
    private var helpers: [Helper] = [] // parsers of later pieces kept between `feed` calls
    private var pending: [Helper] = []    // the last helper of `feed` (one at most), added at the next call or by `finish`
    private var absorbCost = 0            // bytes parsed in the time the last pending helper took to add
    private var carry: [UInt8] = []       // the unfinished last line of the chunks fed so far

    public init() {}

    /// Number of samples (distinct stacks, or lines with `keepOrder`) read so far.
    public var sampleCount: Int { counts.count }

    /// The longest line `feed` accepts (names and depth are limited too).
    static let maxLineBytes = 256 << 20

    /// Parses the complete lines of `bytes`, keeping an unfinished last line for the next call;
    /// big pieces are parsed on `parts` threads. With `last` (no more input follows), the piece
    /// is fed in two, the second an eighth of it: what a helper parsed of the second is all that
    /// `finish` adds after every thread is done.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, parts: Int, last: Bool = false) {
        guard let base = bytes.baseAddress, !bytes.isEmpty, limitError == nil else { return }
        if !sized && fedBytes >= 1 << 20 { sizeTables() }
        fedBytes += bytes.count
        if last && parts > 1 && bytes.count >= 4 << 20,
           let newline = memchr(base + bytes.count * 7 / 8, 0x0A, bytes.count - bytes.count * 7 / 8) {
            let cut = UnsafeRawPointer(newline) - UnsafeRawPointer(base) + 1
            feed(UnsafeRawBufferPointer(rebasing: bytes[..<cut]), parts: parts)
            feed(UnsafeRawBufferPointer(rebasing: bytes[cut...]), parts: parts)
            return
        }
        guard let firstNewline = memchr(base, 0x0A, bytes.count) else {
            carry.append(contentsOf: bytes)
            if carry.count > Self.maxLineBytes { limitError = .limitExceeded("a line longer than \(Self.maxLineBytes >> 20) MiB") }
            return
        }
        var start = 0
        var leading: [UInt8] = []
        if !carry.isEmpty {
            start = UnsafeRawPointer(firstNewline) - base + 1
            carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<start]))
            leading = carry
            carry = []
        }
        var lastNewline = bytes.count - 1
        while bytes[lastNewline] != 0x0A { lastNewline -= 1 }
        parseInParallel(UnsafeRawBufferPointer(rebasing: bytes[start..<(lastNewline + 1)]), parts: parts, after: leading, deferring: true)
        carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[(lastNewline + 1)...]))
    }

    /// Sizes the tables for `expectedBytes` at the rate names and stacks were new so far (at
    /// most a few million: a head of new names followed by repeats costs little).
    private mutating func sizeTables() {
        sized = true
        guard expectedBytes > fedBytes, !keepOrder else { return }
        // What the other thread read and is not added yet counts too (its repeats of ours as new).
        let other = pending.first?.parser
        let scale = Double(expectedBytes) / Double(fedBytes)
        let limit = 1 << 21
        func estimate(_ here: Int, _ there: Int) -> Int { min(limit, Int(Double(here + there) * scale)) }
        let names = estimate(interner.count, other?.interner.count ?? 0)
        let samples = estimate(counts.count, other?.counts.count ?? 0)
        interner.reserve(names: names, bytes: estimate(interner.byteCount, other?.interner.byteCount ?? 0))
        distinct.reserve(samples)
        stackStart.reserveCapacity(samples + 1)
        counts.reserveCapacity(samples)
        stackFrames.reserveCapacity(estimate(stackFrames.count, other?.stackFrames.count ?? 0))
    }

    /// Starts a new input file: line numbers and the first skipped line are counted anew.
    public mutating func startFile() {
        finish()
        lineCount = 0
        firstSkipped = nil
    }

    /// Adds what `feed` left to be added: the last piece parsed on another thread, and the
    /// unfinished last line. Counts and the profile are complete after it.
    public mutating func finish() {
        absorbPending()
        guard !carry.isEmpty else { return }
        let line = carry
        carry = []
        line.withUnsafeBytes { parse($0) }
    }

    /// Parses one input buffer (a whole file, or several files one after another).
    public mutating func parse(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        let end = bytes.count
        var lineStart = 0
        var lineEnd = memchr(base, 0x0A, end).map { UnsafeRawPointer($0) - base } ?? end
        var hashed: Lookahead? // this line's stack, hashed ahead
        var lastWasNew = false
        while lineStart < end {
            // The next line's stack is hashed and its table slot asked for before this line is
            // parsed: the slot's cache miss overlaps this line's work. While stacks are new, so is
            // likely the next one's leaf: its name's slot is asked for too.
            let nextStart = lineEnd + 1
            var nextEnd = end
            var next: Lookahead?
            if nextStart < end {
                nextEnd = memchr(base + nextStart, 0x0A, end - nextStart).map { UnsafeRawPointer($0) - base } ?? end
                if !keepOrder, let stack = Self.stackRange(base, nextStart, nextEnd) {
                    let hash = ByteInterner.hash(UnsafeRawBufferPointer(start: base + stack.lowerBound, count: stack.count))
                    distinct.prefetch(hash: hash)
                    var ahead = Lookahead(stack: stack, hash: hash)
                    if lastWasNew {
                        var leafStart = stack.upperBound
                        while leafStart > stack.lowerBound && base.load(fromByteOffset: leafStart - 1, as: UInt8.self) != 0x3B { leafStart -= 1 }
                        ahead.leafStart = leafStart
                        ahead.leafHash = ByteInterner.hash(UnsafeRawBufferPointer(start: base + leafStart, count: stack.upperBound - leafStart))
                        interner.prefetch(hash: ahead.leafHash)
                    }
                    next = ahead
                }
            }
            lastWasNew = parseLine(base, lineStart, lineEnd, hashed: hashed)
            hashed = next
            lineStart = nextStart
            lineEnd = nextEnd
        }
    }

    /// A line's stack (its range and hash) found before the line is parsed, and, when known,
    /// where its leaf starts and that name's hash.
    private struct Lookahead {
        var stack: Range<Int>
        var hash: UInt64
        var leafStart = -1
        var leafHash: UInt64 = 0
    }

    /// Where the stack of the line `start..<end` is (before its count or counts), if it has one.
    @inline(__always)
    private static func stackRange(_ p: UnsafeRawPointer, _ start: Int, _ rawEnd: Int) -> Range<Int>? {
        var end = rawEnd
        while end > start && isSpace(p.load(fromByteOffset: end - 1, as: UInt8.self)) { end -= 1 }
        guard end > start, let last = count(p, start, end) else { return nil }
        var stackEnd = last.start
        while stackEnd > start && isSpace(p.load(fromByteOffset: stackEnd - 1, as: UInt8.self)) { stackEnd -= 1 }
        if let first = count(p, start, stackEnd) {
            stackEnd = first.start
            while stackEnd > start && isSpace(p.load(fromByteOffset: stackEnd - 1, as: UInt8.self)) { stackEnd -= 1 }
        }
        return start..<stackEnd
    }

    @inline(__always)
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C }

    /// A count token `\d+(\.\d*)?` ending at `end`: its start, mantissa and number of decimals.
    private static func count(_ p: UnsafeRawPointer, _ start: Int, _ end: Int) -> (start: Int, mantissa: Int64, decimals: Int)? {
        var i = end
        while i > start {
            let b = p.load(fromByteOffset: i - 1, as: UInt8.self)
            guard (b >= 0x30 && b <= 0x39) || b == 0x2E else { break }
            i -= 1
        }
        // The token after the last whitespace must be all digits and dots.
        guard i > start, i < end, isSpace(p.load(fromByteOffset: i - 1, as: UInt8.self)) else { return nil }
        var mantissa: Int64 = 0
        var decimals = -1
        var digits = 0
        for j in i..<end {
            let b = p.load(fromByteOffset: j, as: UInt8.self)
            if b == 0x2E {
                guard decimals < 0, digits > 0 else { return nil }
                decimals = 0
                continue
            }
            guard b >= 0x30 && b <= 0x39 else { return nil }
            if decimals >= 9 { continue } // finer than 1e-9 is noise
            let (m, overflow) = mantissa.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            mantissa = m &+ Int64(b - 0x30)
            digits += 1
            if decimals >= 0 { decimals += 1 }
        }
        guard digits > 0 else { return nil }
        return (i, mantissa, max(decimals, 0))
    }

    /// Parses the line `start..<rawEnd`; `hashed` is its stack's range and hash when already
    /// known. Returns whether the line added a new stack.
    @discardableResult
    private mutating func parseLine(_ p: UnsafeRawPointer, _ start: Int, _ rawEnd: Int, hashed: Lookahead? = nil) -> Bool {
        if limitError != nil { return false }
        lineCount += 1
        var end = rawEnd
        while end > start && Self.isSpace(p.load(fromByteOffset: end - 1, as: UInt8.self)) { end -= 1 }
        if end == start { return false } // blank line
        if p.load(fromByteOffset: start, as: UInt8.self) == 0x23 { return false } // `# comment` (austin, inferno)
        guard let last = Self.count(p, start, end) else {
            skippedLines += 1
            if firstSkipped == nil {
                let text = String(decoding: UnsafeRawBufferPointer(start: p + start, count: min(end - start, 60)), as: UTF8.self)
                firstSkipped = (lineCount, text)
            }
            return false
        }
        stackLines += 1
        var stackEnd = last.start
        while stackEnd > start && Self.isSpace(p.load(fromByteOffset: stackEnd - 1, as: UInt8.self)) { stackEnd -= 1 }
        var after = last, before: (start: Int, mantissa: Int64, decimals: Int)?
        if let first = Self.count(p, start, stackEnd) {
            before = first
            after = last
            stackEnd = first.start
            while stackEnd > start && Self.isSpace(p.load(fromByteOffset: stackEnd - 1, as: UInt8.self)) { stackEnd -= 1 }
            if !differential { becomeDifferential() }
        }
        // Bring both counts and the stored values to one fixed-point scale.
        let needed = max(after.decimals, before?.decimals ?? 0)
        if needed > decimals { rescale(to: needed) }
        guard let afterValue = scaled(after.mantissa, after.decimals),
              let beforeValue = before.map({ scaled($0.mantissa, $0.decimals) }) ?? 0 else {
            limitError = .limitExceeded("line \(lineCount): the count does not fit in 64 bits at the precision of the file's fractional counts")
            return false
        }

        // A stack seen before (same bytes) only adds its counts: its frames are not looked up again.
        let stackBytes = UnsafeRawBufferPointer(start: p + start, count: stackEnd - start)
        var hash: UInt64 = 0
        if !keepOrder {
            if let hashed, hashed.stack == start..<stackEnd {
                hash = hashed.hash
            } else {
                hash = ByteInterner.hash(stackBytes)
            }
            if let existing = distinct.find(hash: hash, where: { spells($0, stackBytes) }) {
                add(afterValue, base: beforeValue, to: existing)
                return false
            }
        }
        // Split on `;` like inferno: empty names between (or after) separators are frames too.
        var frameStart = start
        let firstFrame = stackFrames.count
        while stackEnd > start && frameStart <= stackEnd {
            let semi = memchr(p + frameStart, 0x3B, stackEnd - frameStart)
            let frameEnd = semi.map { UnsafeRawPointer($0) - p } ?? stackEnd
            guard frameEnd - frameStart <= ImportLimits.maxNameBytes, stackFrames.count - firstFrame < ImportLimits.maxStackDepth else {
                stackFrames.removeSubrange(firstFrame...)
                limitError = .limitExceeded(frameEnd - frameStart > ImportLimits.maxNameBytes
                    ? "a frame name of \(frameEnd - frameStart) bytes exceeds the limit of \(ImportLimits.maxNameBytes)"
                    : "a stack deeper than \(ImportLimits.maxStackDepth) frames")
                return false
            }
            let name = UnsafeRawBufferPointer(start: p + frameStart, count: frameEnd - frameStart)
            if let hashed, frameStart == hashed.leafStart && frameEnd == stackEnd {
                stackFrames.append(interner.intern(name, hash: hashed.leafHash))
            } else {
                stackFrames.append(interner.intern(name))
            }
            frameStart = frameEnd + 1
        }
        if stackFrames.count - firstFrame > 1 { deepStackLines += 1 }
        addStack(from: firstFrame, count: afterValue, base: beforeValue, hash: hash, known: true)
        return true
    }

    /// Whether sample `s`'s frames joined by `;` are exactly `bytes`.
    @inline(__always)
    private func spells(_ s: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        stackFrames.withUnsafeBufferPointer { frames in
            interner.spells(UnsafeBufferPointer(rebasing: frames[stackStart[s]..<stackStart[s + 1]]), separator: 0x3B, bytes)
        }
    }

    /// Adds counts to sample `s`.
    private mutating func add(_ count: Int64, base: Int64, to s: Int) {
        let (sum, overflow) = counts[s].addingReportingOverflow(count)
        let (baseSum, baseOverflow) = differential ? baseCounts[s].addingReportingOverflow(base) : (0, false)
        guard !overflow && !baseOverflow else {
            limitError = .limitExceeded("line \(lineCount): the counts of one stack add up to more than 2^63-1")
            return
        }
        counts[s] = sum
        if differential { baseCounts[s] = baseSum }
    }

    /// Ends the stack whose frames start at `firstFrame`, with `hash` the hash of its bytes:
    /// summed into an identical earlier one (its frames dropped again), or a new sample.
    /// `known` says it was already looked for.
    @discardableResult
    private mutating func addStack(from firstFrame: Int, count: Int64, base: Int64, hash: UInt64, known: Bool = false) -> Int {
        if !keepOrder {
            if !known, let existing = findStack(from: firstFrame, hash: hash) {
                stackFrames.removeSubrange(firstFrame...)
                add(count, base: base, to: existing)
                return existing
            }
            distinct.append(hash: hash) // sample counts.count
        }
        stackStart.append(stackFrames.count)
        counts.append(count)
        if differential { baseCounts.append(base) }
        return counts.count - 1
    }

    /// The sample whose frames equal those from `firstFrame` on.
    private func findStack(from firstFrame: Int, hash: UInt64) -> Int? {
        stackFrames.withUnsafeBufferPointer { frames in
            let stack = UnsafeBufferPointer(rebasing: frames[firstFrame...])
            return distinct.find(hash: hash) { s in
                UnsafeBufferPointer(rebasing: frames[stackStart[s]..<stackStart[s + 1]]).elementsEqual(stack)
            }
        }
    }

    @inline(__always)
    private func scaled(_ mantissa: Int64, _ d: Int) -> Int64? {
        var v = mantissa
        for _ in d..<decimals {
            let (next, overflow) = v.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            v = next
        }
        return v
    }

    private mutating func rescale(to newDecimals: Int) {
        var factor: Int64 = 1
        for _ in decimals..<newDecimals { factor *= 10 }
        for i in counts.indices { counts[i] = multiplied(counts[i], factor) }
        for i in baseCounts.indices { baseCounts[i] = multiplied(baseCounts[i], factor) }
        decimals = newDecimals
    }

    /// `v × factor`, or a limit error (the value is then meaningless and parsing stops).
    private mutating func multiplied(_ v: Int64, _ factor: Int64) -> Int64 {
        let (product, overflow) = v.multipliedReportingOverflow(by: factor)
        if overflow && limitError == nil {
            limitError = .limitExceeded("line \(lineCount): a count does not fit in 64 bits at the precision of the file's fractional counts")
        }
        return product
    }

    private mutating func becomeDifferential() {
        differential = true
        // Earlier one-column lines have no "before": treat them as unchanged.
        baseCounts = counts
    }

    /// Parses `bytes` in `parts` pieces on as many threads (split at line ends), then merges
    /// them in order: the same result as `parse`, faster on big inputs.
    public mutating func parseInParallel(_ bytes: UnsafeRawBufferPointer, parts: Int) {
        parseInParallel(bytes, parts: parts, after: [], deferring: false)
    }

    /// Parses the line `leading`, then `bytes` in `parts` pieces. The first piece is parsed
    /// straight into this parser on this thread, the others into helpers on other threads, then
    /// added in input order. With `deferring` (and two parts), the helper's piece is added at the
    /// next call, on this thread while the next helper parses, or by `finish`.
    private mutating func parseInParallel(_ bytes: UnsafeRawBufferPointer, parts: Int, after leading: [UInt8], deferring: Bool) {
        guard parts > 1, bytes.count > 1 << 20, let base = bytes.baseAddress else {
            absorbPending()
            if !leading.isEmpty { leading.withUnsafeBytes { parse($0) } }
            parse(bytes)
            return
        }
        // This thread first adds the helper's piece left by the last call: it parses less.
        let head = pending.isEmpty ? bytes.count / parts : max(bytes.count / 8, (bytes.count - absorbCost) / parts)
        var bounds = [0]
        for k in 1..<parts {
            var cut = max(bounds[k - 1], head + (bytes.count - head) * (k - 1) / (parts - 1))
            if let nl = memchr(base + cut, 0x0A, bytes.count - cut) { cut = UnsafeRawPointer(nl) - base + 1 } else { cut = bytes.count }
            bounds.append(cut)
        }
        bounds.append(bytes.count)
        // A helper whose stacks mostly repeat is kept for the next piece, with what its names
        // and stacks are here: only its new stacks are then looked up.
        var workers: [Helper] = helpers
        helpers = []
        while workers.count < parts - 1 {
            var parser = FoldedParser()
            parser.keepOrder = keepOrder
            workers.append(Helper(parser: parser))
        }
        let group = DispatchGroup()
        workers.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let others = buffer
            nonisolated(unsafe) let input = bytes
            let cuts = bounds
            for k in 1..<parts {
                DispatchQueue.global().async(group: group) {
                    others[k - 1].parser.parse(UnsafeRawBufferPointer(rebasing: input[cuts[k]..<cuts[k + 1]]))
                }
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let absorbing = !pending.isEmpty
            absorbPending()
            let absorbed = DispatchTime.now().uptimeNanoseconds
            if !leading.isEmpty { leading.withUnsafeBytes { parse($0) } }
            parse(UnsafeRawBufferPointer(rebasing: bytes[0..<cuts[1]]))
            let parsed = DispatchTime.now().uptimeNanoseconds
            if absorbing && parsed > absorbed {
                // Bytes this thread parses in the time the helper's piece took to add.
                absorbCost = Int(min(Double(1 << 40), Double(cuts[1]) * Double(absorbed - start) / Double(parsed - absorbed)))
            }
            group.wait()
        }
        if deferring && !keepOrder && workers.count == 1 {
            pending = workers
            return
        }
        for var helper in workers { absorb(helper: &helper) }
    }

    /// Adds the helper's piece left by the last `feed`, if any.
    private mutating func absorbPending() {
        guard var helper = pending.popLast() else { return }
        absorb(helper: &helper)
    }

    /// Adds what `helper` parsed; keeps it for the next piece when its stacks mostly repeat.
    private mutating func absorb(helper: inout Helper) {
        let known = helper.samples.count, lines = helper.parser.stackLines
        absorb(&helper.parser, names: &helper.names, samples: &helper.samples)
        if !keepOrder && (helper.samples.count - known) * 4 < lines * 3 { helpers.append(helper) }
    }

    /// A parser of later pieces of the input, and where its names and samples went here.
    private struct Helper {
        var parser: FoldedParser
        var names: [Int32] = []
        var samples: [Int] = []
    }

    /// Adds what `other` read since it was last absorbed (from input that followed ours), and
    /// clears its counts and line counters. `names` and `samples` map its names and samples to
    /// ours; they grow with what is new.
    private mutating func absorb(_ other: inout FoldedParser, names remap: inout [Int32], samples: inout [Int]) {
        if firstSkipped == nil, let first = other.firstSkipped { firstSkipped = (lineCount + first.line, first.text) }
        if let error = other.limitError, limitError == nil {
            limitError = error
        }
        skippedLines += other.skippedLines
        stackLines += other.stackLines
        deepStackLines += other.deepStackLines
        // A stack with a name new here cannot have been seen here: it is not looked for.
        let namesBefore = Int32(interner.count)
        // The table slots of names and stacks a few ahead are asked for early: new ones are
        // spread over tables bigger than the caches.
        let ahead = 8
        let names = other.interner
        for id in Int32(remap.count)..<Int32(names.count) {
            if Int(id) + ahead < names.count { interner.prefetch(hash: names.hash(of: id + Int32(ahead))) }
            remap.append(names.withBytes(id) { interner.intern($0, hash: names.hash(of: id)) })
        }
        if other.decimals > decimals { rescale(to: other.decimals) }
        var factor: Int64 = 1
        for _ in other.decimals..<decimals { factor *= 10 }
        if other.differential && !differential { becomeDifferential() }
        for s in 0..<other.counts.count {
            let count = multiplied(other.counts[s], factor)
            let base = differential ? multiplied(other.differential ? other.baseCounts[s] : other.counts[s], factor) : 0
            if s < samples.count {
                add(count, base: base, to: samples[s])
                continue
            }
            if !other.keepOrder && s + ahead < other.counts.count { distinct.prefetch(hash: other.distinct.hashes[s + ahead]) }
            let first = stackFrames.count
            var hasNewName = false
            for f in other.stackFrames[other.stackStart[s]..<other.stackStart[s + 1]] {
                let id = remap[Int(f)]
                hasNewName = hasNewName || id >= namesBefore
                stackFrames.append(id)
            }
            samples.append(addStack(from: first, count: count, base: base, hash: other.keepOrder ? 0 : other.distinct.hashes[s], known: hasNewName))
        }
        lineCount += other.lineCount
        other.clearCounts()
    }

    /// Zeroes the counts (the stacks stay) and the line counters.
    private mutating func clearCounts() {
        for s in counts.indices { counts[s] = 0 }
        for s in baseCounts.indices { baseCounts[s] = 0 }
        lineCount = 0
        stackLines = 0
        deepStackLines = 0
        skippedLines = 0
        firstSkipped = nil
    }

    /// The profile read so far (call `finish` first). One sample type (`samples/count`), or two
    /// for differential input.
    public func profile() -> Profile {
        guard pending.isEmpty else {
            var complete = self
            complete.absorbPending()
            return complete.profile()
        }
        var divisor: Int64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let types = differential
            ? [SampleType(type: "before", unit: "count"), SampleType(type: "samples", unit: "count")]
            : [SampleType(type: "samples", unit: "count")]
        // Distinct valid UTF-8 names are distinct frames (ASCII names stay bytes until asked
        // for); names that decode to the same String (invalid UTF-8) share one frame.
        var frames: FrameTable
        var frameOfName: [Int32]?
        if interner.isASCII {
            frames = FrameTable(distinctNames: interner)
        } else if let decoded = validNames() {
            frames = FrameTable(distinct: decoded)
        } else {
            frames = FrameTable()
            let remap = (0..<Int32(interner.count)).map { frames.intern(Frame(name: interner.string($0))) }
            if !remap.enumerated().allSatisfy({ $0.offset == Int($0.element) }) { frameOfName = remap }
        }
        var values: [Int64]
        if differential {
            values = [Int64](repeating: 0, count: counts.count * 2)
            for i in counts.indices { values[2 * i] = baseCounts[i]; values[2 * i + 1] = counts[i] }
        } else {
            values = counts
        }
        var profile = Profile(source: .folded, sampleTypes: types, defaultSampleIndex: types.count - 1, frames: frames,
                              stackStart: stackStart, stackFrames: frameOfName.map { remap in stackFrames.map { remap[Int($0)] } } ?? stackFrames,
                              values: values)
        profile.valueDivisor = divisor
        if differential { profile.baselineSampleIndex = 0 }
        return profile
    }

    /// Every name as a frame, or nil when one is not valid UTF-8.
    private func validNames() -> [Frame]? {
        var decoded: [Frame] = []
        decoded.reserveCapacity(interner.count)
        for id in 0..<Int32(interner.count) {
            guard let name = interner.withBytes(id, { String(validating: $0, as: UTF8.self) }) else { return nil }
            decoded.append(Frame(name: name))
        }
        return decoded
    }
}
