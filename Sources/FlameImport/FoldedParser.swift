import CPrefetch
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
///
/// Big inputs are parsed on several threads by splitting the stacks, not the bytes: every
/// thread reads every line, but keeps only the stacks whose hash falls in its partition. No
/// stack is then in two partitions, so none is looked up or added twice, and the partitions
/// are only put together (names looked up, stacks appended) for `profile()`.
public struct FoldedParser {
    public private(set) var skippedLines = 0
    /// Lines read (stacks, skipped lines, comments and blank lines).
    public private(set) var lineCount = 0
    /// Lines that held a stack and a count.
    public var stackLines: Int { ownStackLines + partners.reduce(0) { $0 + $1.ownStackLines } }
    /// Stack lines with more than one frame (a `;`): real folded stacks nearly all have one.
    public var deepStackLines: Int { ownDeepStackLines + partners.reduce(0) { $0 + $1.ownDeepStackLines } }
    /// The first skipped line: its number (1-based) and its start, for error messages.
    public private(set) var firstSkipped: (line: Int, text: String)?
    /// Set when a line broke a limit (`ImportLimits`) or a sum overflowed; parsing stops there.
    /// With several partitions, the error of the earliest line.
    public var limitError: ImportError? {
        var first = ownLimitError.map { (line: limitLine, error: $0) }
        for other in partners {
            if let error = other.ownLimitError, first == nil || other.limitLine < first!.line { first = (other.limitLine, error) }
        }
        return first?.error
    }
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
    private var distinct = StackTable()
    private var carry: [UInt8] = []       // the unfinished last line of the chunks fed so far
    private var callees = CalleeGuesses() // by this partition's name ids
    private var ownStackLines = 0         // stack lines of this partition's stacks
    private var ownDeepStackLines = 0
    private var ownLimitError: ImportError?
    private var limitLine = 0             // the line of `ownLimitError`
    /// This parser keeps the stacks whose `partition(of:)` is `partition`, out of
    /// `partitionMask + 1` (a power of two; 1 until the input is parsed on several threads).
    private var partition = 0
    private var partitionMask = 0
    /// The parsers of the other partitions, fed the same lines on other threads.
    private var partners: [FoldedParser] = []
    /// Set when the input is parsed on one thread, another taking lines apart ahead of it (the
    /// head brought new names at a high rate, or every line is kept as a sample).
    private var takeApartAhead = false
    /// Set when the input is split between partitions and its lines are short (under 512 bytes
    /// on average in the head): each line is then taken apart once, by one thread, for the
    /// partition that keeps it. Long lines are read by every partition instead: handing them
    /// from one core to the other would cost more than taking them apart twice.
    private var sharesLines = false
    /// The names and bytes read after the first half MiB, to see how often names are new after.
    private var headMark: (names: Int, bytes: Int)?
    /// Names new per byte after the head's first half, and the names read by its end: names
    /// are expected at that rate in the rest (they come more rarely as input goes on), not at
    /// the head's average rate.
    private var lateNames: (rate: Double, count: Int)?

    public init() {}

    /// How many partitions the stacks are split into (1 until a big piece is fed on several threads).
    var partitionCount: Int { partners.count + 1 }

    /// Number of samples (distinct stacks, or lines with `keepOrder`) read so far.
    public var sampleCount: Int { counts.count + partners.reduce(0) { $0 + $1.counts.count } }

    /// The partition of a stack of hash `hash` (high bits: the low ones place it in tables).
    @inline(__always)
    private func partition(of hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> 40) & partitionMask }

    /// Stops parsing with `error`, unless an error stopped it already.
    private mutating func fail(_ error: ImportError) {
        guard ownLimitError == nil else { return }
        ownLimitError = error
        limitLine = lineCount
    }

    /// The longest line `feed` accepts (names and depth are limited too).
    static let maxLineBytes = 256 << 20

    /// Parses the complete lines of `bytes`, keeping an unfinished last line for the next call.
    /// Once 1 MiB is read, with a piece over 1 MiB fed, the stacks are split into up to `parts`
    /// partitions (a power of two), each parsed on its own thread; unless the second half of
    /// that MiB brought a new name every 128 bytes or less (wide, flat profiles): the
    /// partitions' names would then cost as much to put together as the threads save, and the
    /// input is parsed on this thread while another takes lines apart ahead of it.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, parts: Int) { feed(bytes, parts: parts, readAhead: nil) }

    /// `feed(_:parts:)`, while the next piece of input is read: `readAhead` is helped by threads
    /// that wait for others while lines are shared between partitions, else sent to the
    /// background at once.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, parts: Int, readAhead: ReadAhead?) {
        guard let base = bytes.baseAddress, !bytes.isEmpty, limitError == nil else {
            readAhead?.readInBackground()
            return
        }
        if keepOrder && parts > 1 { takeApartAhead = true } // every line is a sample: no partitions
        if partners.isEmpty && parts > 1 && !keepOrder && !takeApartAhead && bytes.count > 1 << 20 {
            if fedBytes < 1 << 20 {
                // The head is parsed on this thread first, in two halves, to see how often
                // names are still new in the second.
                let half = fedBytes < 1 << 19
                let cut = (half ? 1 << 19 : 1 << 20) - fedBytes
                if let newline = memchr(base + cut, 0x0A, bytes.count - cut) {
                    // Nothing waits while the head is parsed: the next piece is read meanwhile.
                    readAhead?.readInBackground()
                    let end = UnsafeRawPointer(newline) - UnsafeRawPointer(base) + 1
                    feed(UnsafeRawBufferPointer(rebasing: bytes[..<end]), parts: 1)
                    if half { headMark = (interner.count, fedBytes) }
                    feed(UnsafeRawBufferPointer(rebasing: bytes[end...]), parts: parts)
                    return
                }
            }
            // Putting a name together costs about what threads save on 128 bytes of lines.
            let mark = headMark ?? (0, 0)
            if headMark != nil { lateNames = (Double(interner.count - mark.names) / Double(fedBytes - mark.bytes), interner.count) }
            if (interner.count - mark.names) * 128 > fedBytes - mark.bytes {
                takeApartAhead = true
            } else {
                split(into: parts)
                sharesLines = lineCount > 0 && fedBytes / lineCount < 512
            }
        }
        if !sized && fedBytes >= 1 << 20 { sizeTables() }
        fedBytes += bytes.count
        guard let firstNewline = memchr(base, 0x0A, bytes.count) else {
            readAhead?.readInBackground()
            carry.append(contentsOf: bytes)
            if carry.count > Self.maxLineBytes { fail(.limitExceeded("a line longer than \(Self.maxLineBytes >> 20) MiB")) }
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
        leading.withUnsafeBytes { leading in
            parseInAllPartitions(leading, UnsafeRawBufferPointer(rebasing: bytes[start..<(lastNewline + 1)]), readAhead: readAhead)
        }
        carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[(lastNewline + 1)...]))
    }

    /// Parses `first`, then `second`, in this parser and, on other threads, in its partners;
    /// `readAhead` is helped when lines are shared, else read in the background.
    private mutating func parseInAllPartitions(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, readAhead: ReadAhead? = nil) {
        guard !partners.isEmpty else {
            parse(first)
            if takeApartAhead && second.count > 1 << 20 {
                parseTakenApartAhead(second, readAhead: readAhead)
            } else {
                readAhead?.readInBackground()
                parse(second)
            }
            return
        }
        guard !sharesLines || second.count < 1 << 20 else {
            if !first.isEmpty { parseEverywhere(first, UnsafeRawBufferPointer(start: nil, count: 0)) }
            parseSharingLines(second, readAhead: readAhead)
            return
        }
        parseEverywhere(first, second, readAhead: readAhead)
    }

    /// Parses `first`, then `second`, in every partition: each reads every line, and its share
    /// of `readAhead` along the way.
    private mutating func parseEverywhere(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, readAhead: ReadAhead? = nil) {
        var others = partners
        partners = []
        let group = DispatchGroup()
        others.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let others = buffer
            nonisolated(unsafe) let input = (first, second)
            for k in others.indices {
                DispatchQueue.global().async(group: group) {
                    others[k].parse(input.0)
                    others[k].parse(input.1, reading: readAhead)
                }
            }
            parse(first)
            parse(second, reading: readAhead)
            group.wait()
        }
        partners = others
    }

    /// Parses `bytes` (whole lines), reading a task of `readAhead` after every 256 KiB of them.
    private mutating func parse(_ bytes: UnsafeRawBufferPointer, reading readAhead: ReadAhead?) {
        guard let readAhead, let base = bytes.baseAddress else { return parse(bytes) }
        var start = 0
        while start < bytes.count {
            var end = min(bytes.count, start + (256 << 10))
            if end < bytes.count { end = memchr(base + end, 0x0A, bytes.count - end).map { UnsafeRawPointer($0) - base + 1 } ?? bytes.count }
            parse(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            readAhead.help()
            start = end
        }
    }

    /// Parses `bytes` (whole lines) in every partition, each line taken apart once: blocks of
    /// lines are cut into slices; while one block's slices are taken apart (lines found, their
    /// counts read, their stack hashed, sorted by partition), by whichever thread is free, each
    /// thread parses its partition's lines of every slice of the block before, in input order.
    /// Where a line first needs more decimals or a second column, every partition rescales or
    /// becomes differential at that line, as a serial pass would. The threads meet after every
    /// block at a `SpinBarrier`: blocks take a fraction of a millisecond, about what waking a
    /// sleeping thread costs.
    /// Threads waiting for the others read parts of `readAhead` meanwhile, and each reads its
    /// share of it along the way.
    private mutating func parseSharingLines(_ bytes: UnsafeRawBufferPointer, readAhead: ReadAhead?) {
        guard let base = bytes.baseAddress else { return }
        let parts = partners.count + 1
        let slicesPerBlock = 4 * parts
        // Block k is cut into slices cuts[k * slicesPerBlock + j]..<cuts[k * slicesPerBlock + j + 1].
        var cuts = [0]
        while cuts[cuts.count - 1] < bytes.count {
            var cut = min(bytes.count, cuts[cuts.count - 1] + (64 << 10))
            if cut < bytes.count { cut = memchr(base + cut, 0x0A, bytes.count - cut).map { UnsafeRawPointer($0) - base + 1 } ?? bytes.count }
            cuts.append(cut)
        }
        while (cuts.count - 1) % slicesPerBlock != 0 { cuts.append(bytes.count) }
        let slices = UnsafeMutablePointer<TakenApartSlice>.allocate(capacity: 2 * slicesPerBlock)
        slices.initialize(repeating: TakenApartSlice(partitions: parts), count: 2 * slicesPerBlock)
        defer { slices.deinitialize(count: 2 * slicesPerBlock); slices.deallocate() }
        let blocks = BlockPlan(base: base, cuts: cuts, slicesPerBlock: slicesPerBlock, slices: slices,
                               barrier: SpinBarrier(parties: parts), counter: TaskCounter(), readAhead: readAhead)
        let firstLine = lineCount
        var others = partners
        partners = []
        others.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let others = buffer
            nonisolated(unsafe) let shared = blocks
            let group = DispatchGroup()
            for k in others.indices {
                DispatchQueue.global().async(group: group) { others[k].parse(shared, firstLine: firstLine) }
            }
            parse(blocks, firstLine: firstLine)
            group.wait()
        }
        partners = others
    }

    /// The blocks of lines of `parseSharingLines` and what the threads share to parse them:
    /// two sets of slices, one being taken apart while the other is parsed, and the counter
    /// that hands out the slices to take apart.
    private struct BlockPlan {
        let base: UnsafeRawPointer
        let cuts: [Int]
        let slicesPerBlock: Int
        let slices: UnsafeMutablePointer<TakenApartSlice>
        let barrier: SpinBarrier
        let counter: TaskCounter
        let readAhead: ReadAhead?

        var count: Int { (cuts.count - 1) / slicesPerBlock }
        /// The read tasks each thread takes at each step, so that the reading is spread over all.
        var readsPerStep: Int {
            let slots = (count + 1) * (slicesPerBlock / 4)
            return ((readAhead?.taskCount ?? 0) + slots - 1) / slots
        }
    }

    /// One thread's part of `parseSharingLines`: block after block, parses this partition's
    /// lines of the block before, then takes apart slices of this block until none is left;
    /// then waits for the other threads. `firstLine` is the line before the first block.
    private mutating func parse(_ blocks: BlockPlan, firstLine: Int) {
        let perBlock = blocks.slicesPerBlock
        var firstLine = firstLine // the line before the block being parsed
        for step in 0...blocks.count {
            if step > 0 {
                let parsed = blocks.slices + ((step - 1) % 2) * perBlock
                var events: [ScaleEvent] = []
                var first = firstLine
                for j in 0..<perBlock {
                    events += parsed[j].events.map { ScaleEvent(line: first + $0.line, decimals: $0.decimals, differential: $0.differential) }
                    first += parsed[j].lineCount
                }
                parse(slices: parsed, count: perBlock, firstLine: firstLine, events: events, blocks.base)
                firstLine = first
            }
            while step < blocks.count, let slice = blocks.counter.claim(below: (step + 1) * perBlock) {
                Self.takeApart(blocks.base, blocks.cuts[slice], blocks.cuts[slice + 1], into: &blocks.slices[(step % 2) * perBlock + slice % perBlock])
            }
            var reads = blocks.readsPerStep
            while reads > 0, blocks.readAhead?.help() == true { reads -= 1 }
            blocks.barrier.wait(helping: blocks.readAhead)
        }
    }

    /// The lines of one slice of a block, taken apart: stack lines by partition, other lines
    /// (without a count) in partition 0's; blank lines and comments are only counted.
    private struct TakenApartSlice {
        var lines: [[PendingLine]]
        /// All lines of the slice.
        var lineCount = 0
        /// Where lines first needed more decimals or had two counts (line numbers in the slice).
        var events: [ScaleEvent] = []

        init(partitions: Int) { lines = Array(repeating: [], count: partitions) }
    }

    /// A line (1-based) that needs `decimals` decimals, or that has two counts.
    private struct ScaleEvent {
        var line: Int
        var decimals: Int
        var differential: Bool
    }

    /// Takes apart the lines of `start..<end` (whole lines) into `slice`, its lines numbered from 1.
    private static func takeApart(_ base: UnsafeRawPointer, _ start: Int, _ end: Int, into slice: inout TakenApartSlice) {
        let mask = slice.lines.count - 1
        for k in slice.lines.indices { slice.lines[k].removeAll(keepingCapacity: true) }
        slice.events.removeAll(keepingCapacity: true)
        var decimals = 0, differential = false
        var number = 0
        var lineStart = start
        while lineStart < end {
            let lineEnd = memchr(base + lineStart, 0x0A, end - lineStart).map { UnsafeRawPointer($0) - base } ?? end
            number += 1
            if let parts = stackLine(base, lineStart, lineEnd) {
                let stack = parts.stack
                let hash = ByteInterner.hash(UnsafeRawBufferPointer(start: base + stack.lowerBound, count: stack.count))
                let needed = max(parts.after.decimals, parts.before?.decimals ?? 0)
                if needed > decimals || (parts.before != nil && !differential) {
                    decimals = max(decimals, needed)
                    differential = differential || parts.before != nil
                    slice.events.append(ScaleEvent(line: number, decimals: decimals, differential: differential))
                }
                var line = PendingLine(start: lineStart, end: lineEnd, number: number)
                line.ahead = Lookahead(line: parts, hash: hash)
                slice.lines[Int(truncatingIfNeeded: hash >> 40) & mask].append(line)
            } else if !isBlankOrComment(base, lineStart, lineEnd) {
                slice.lines[0].append(PendingLine(start: lineStart, end: lineEnd, number: number))
            }
            lineStart = lineEnd + 1
        }
        slice.lineCount = number
    }

    /// Whether the line `start..<rawEnd` is blank or a `#` comment.
    private static func isBlankOrComment(_ p: UnsafeRawPointer, _ start: Int, _ rawEnd: Int) -> Bool {
        var end = rawEnd
        while end > start && isSpace(p.load(fromByteOffset: end - 1, as: UInt8.self)) { end -= 1 }
        return end == start || p.load(fromByteOffset: start, as: UInt8.self) == 0x23
    }

    /// Parses this partition's lines of `count` slices of one block, the block's first line
    /// being `firstLine + 1`; `events` (line numbers in the input) are applied where they lie.
    private mutating func parse(slices: UnsafeMutablePointer<TakenApartSlice>, count: Int, firstLine: Int, events: [ScaleEvent], _ base: UnsafeRawPointer) {
        var next = 0
        func apply(through line: Int) {
            while next < events.count && events[next].line <= line {
                lineCount = events[next].line
                if events[next].differential && !differential { becomeDifferential() }
                if events[next].decimals > decimals { rescale(to: events[next].decimals) }
                next += 1
            }
        }
        var sliceFirst = firstLine
        for j in 0..<count {
            let lines = slices[j].lines[partition]
            for i in lines.indices {
                prefetch(for: lines, at: i, base)
                let number = sliceFirst + lines[i].number
                apply(through: number)
                lineCount = number - 1
                parseLine(base, lines[i].start, lines[i].end, hashed: lines[i].ahead)
            }
            sliceFirst += slices[j].lineCount
        }
        apply(through: Int.max)
        lineCount = sliceFirst
    }

    /// Asks for what the lines after `i` will read, in stages: the table slot of line i + 12's
    /// stack; the start and counts (both columns) of the sample line i + 6 most likely repeats
    /// (its slot is in cache by then); the bytes of line i + 4 (up to 512); the first and last
    /// frames of line i + 3's.
    @inline(__always)
    private func prefetch(for lines: [PendingLine], at i: Int, _ base: UnsafeRawPointer) {
        if i + 12 < lines.count, let ahead = lines[i + 12].ahead { distinct.prefetch(hash: ahead.hash) }
        if i + 4 < lines.count {
            // Half the lines were taken apart on the other core: their bytes are not in this one's cache.
            var at = lines[i + 4].start
            while at < min(lines[i + 4].end, lines[i + 4].start + 512) {
                flamegen_prefetch(base + at)
                at += 64
            }
        }
        if i + 6 < lines.count, let ahead = lines[i + 6].ahead, let s = distinct.candidate(hash: ahead.hash) {
            stackStart.withUnsafeBufferPointer { flamegen_prefetch($0.baseAddress! + s) }
            counts.withUnsafeBufferPointer { flamegen_prefetch($0.baseAddress! + s) }
            if differential { baseCounts.withUnsafeBufferPointer { flamegen_prefetch($0.baseAddress! + s) } }
        }
        if i + 3 < lines.count, let ahead = lines[i + 3].ahead, let s = distinct.candidate(hash: ahead.hash) {
            stackFrames.withUnsafeBufferPointer {
                flamegen_prefetch($0.baseAddress! + stackStart[s])
                flamegen_prefetch($0.baseAddress! + stackStart[s + 1] - 1)
            }
        }
    }

    /// Splits the stacks read so far into `parts` partitions (the largest power of two up to
    /// `parts`, at most 8): this parser keeps partition 0, new partners the others. Each
    /// partition has the counters and scale read so far; the line counts stay here.
    private mutating func split(into parts: Int) {
        var count = 1
        while count * 2 <= min(parts, 8) { count *= 2 }
        guard count > 1 else { return }
        var pieces = (0..<count).map { k -> FoldedParser in
            var piece = FoldedParser()
            piece.partition = k
            piece.partitionMask = count - 1
            piece.differential = differential
            piece.decimals = decimals
            piece.lineCount = lineCount
            piece.skippedLines = skippedLines
            piece.firstSkipped = firstSkipped
            return piece
        }
        var remaps = [[Int32]](repeating: [Int32](repeating: -1, count: interner.count), count: count)
        let hashes = distinct.hashes
        for s in 0..<counts.count {
            let hash = hashes[s]
            let k = Int(truncatingIfNeeded: hash >> 40) & (count - 1)
            let first = pieces[k].stackFrames.count
            for f in stackFrames[stackStart[s]..<stackStart[s + 1]] {
                if remaps[k][Int(f)] < 0 {
                    remaps[k][Int(f)] = interner.withBytes(f) { pieces[k].interner.intern($0, hash: interner.hash(of: f)) }
                }
                pieces[k].stackFrames.append(remaps[k][Int(f)])
            }
            pieces[k].addStack(from: first, count: counts[s], base: differential ? baseCounts[s] : 0, hash: hash, known: true)
        }
        pieces[0].ownStackLines = ownStackLines
        pieces[0].ownDeepStackLines = ownDeepStackLines
        interner = pieces[0].interner
        callees = pieces[0].callees
        stackStart = pieces[0].stackStart
        stackFrames = pieces[0].stackFrames
        counts = pieces[0].counts
        baseCounts = pieces[0].baseCounts
        distinct = pieces[0].distinct
        partitionMask = count - 1
        partners = Array(pieces[1...])
    }

    /// Sizes the tables of every partition for `expectedBytes` at the rate names and stacks
    /// were new so far (at most a few million: a head of new names followed by repeats costs
    /// little).
    private mutating func sizeTables() {
        sized = true
        guard expectedBytes > fedBytes, !keepOrder else { return }
        let scale = Double(expectedBytes) / Double(fedBytes)
        var nameScale = scale
        if let late = lateNames, late.count > 0 {
            nameScale = min(scale, 1 + late.rate * Double(expectedBytes - fedBytes) / Double(late.count))
        }
        reserve(scale: scale, nameScale: nameScale)
        for k in partners.indices { partners[k].reserve(scale: scale, nameScale: nameScale) }
    }

    /// Makes room for `scale` times the stacks and frames read so far and `nameScale` times the
    /// names (names, unlike stacks, come more rarely as input goes on). Hash tables (zeroed
    /// when made) are sized for at most a few million; the arrays only appended to are reserved
    /// for the whole estimate (address space, faulted in only as written), in the first
    /// partition for every partition's, so that neither growing nor putting the partitions
    /// together copies them.
    private mutating func reserve(scale: Double, nameScale: Double) {
        let parts = partition == 0 ? partitionMask + 1 : 1
        func estimate(_ n: Int, scale: Double = scale) -> Int { min(expectedBytes, Int(Double(n) * scale)) }
        func capped(_ n: Int, scale: Double = scale) -> Int { min(1 << 21, estimate(n, scale: scale)) }
        // Arrays get an eighth more than the rate so far (one that outgrows its room is copied
        // into one twice its size); hash tables, zeroed when made, do not.
        func room(_ n: Int, times k: Int = 1, scale: Double = scale) -> Int { min(expectedBytes, Int(Double(n) * scale * 1.125)) * k }
        interner.reserveStorage(names: room(interner.count, times: parts, scale: nameScale),
                                bytes: room(interner.byteCount, times: parts, scale: nameScale))
        interner.reserve(names: capped(interner.count, scale: nameScale), bytes: capped(interner.byteCount, scale: nameScale))
        distinct.reserve(capped(counts.count), room: room(counts.count))
        let samples = room(counts.count, times: parts)
        stackStart.reserveCapacity(samples + 1)
        counts.reserveCapacity(samples)
        stackFrames.reserveCapacity(room(stackFrames.count, times: parts))
    }

    /// Starts a new input file: line numbers and the first skipped line are counted anew.
    public mutating func startFile() {
        finish()
        lineCount = 0
        firstSkipped = nil
        for k in partners.indices {
            partners[k].lineCount = 0
            partners[k].firstSkipped = nil
        }
    }

    /// Parses the unfinished last line, if any. Counts and the profile are complete after it.
    public mutating func finish() {
        guard !carry.isEmpty else { return }
        let line = carry
        carry = []
        line.withUnsafeBytes { parseInAllPartitions($0, UnsafeRawBufferPointer(start: nil, count: 0)) }
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
                if !keepOrder, let line = Self.stackLine(base, nextStart, nextEnd) {
                    let stack = line.stack
                    let hash = ByteInterner.hash(UnsafeRawBufferPointer(start: base + stack.lowerBound, count: stack.count))
                    let mine = partition(of: hash) == partition
                    if mine { distinct.prefetch(hash: hash) }
                    var ahead = Lookahead(line: line, hash: hash)
                    if mine && lastWasNew {
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

    /// Parses `bytes` on this thread while another takes the next block of lines apart (finds
    /// them, their counts, and hashes their stack and leaf): for input parsed on one thread
    /// (most lines bring a new name, or every line is a sample), the other core does a third of
    /// the work, and reads `readAhead` in the time left. The two meet after every block at a
    /// `SpinBarrier`.
    private mutating func parseTakenApartAhead(_ bytes: UnsafeRawBufferPointer, readAhead: ReadAhead?) {
        guard let base = bytes.baseAddress else { return }
        var cuts = [0]
        while cuts[cuts.count - 1] < bytes.count {
            var cut = min(bytes.count, cuts[cuts.count - 1] + (256 << 10))
            if cut < bytes.count { cut = memchr(base + cut, 0x0A, bytes.count - cut).map { UnsafeRawPointer($0) - base + 1 } ?? bytes.count }
            cuts.append(cut)
        }
        let blocks = UnsafeMutablePointer<[PendingLine]>.allocate(capacity: 2)
        blocks.initialize(repeating: [], count: 2)
        defer { blocks.deinitialize(count: 2); blocks.deallocate() }
        Self.takeApart(base, cuts[0], cuts[1], into: &blocks[0])
        let steps = cuts.count - 1
        let barrier = SpinBarrier(parties: 2)
        let group = DispatchGroup()
        nonisolated(unsafe) let shared = (base, blocks, cuts)
        DispatchQueue.global().async(group: group) {
            // Its share of the reading at each step (more while it waits for the parsing).
            let reads = ((readAhead?.taskCount ?? 0) + steps - 1) / steps
            for k in 0..<steps {
                if k + 1 < steps { Self.takeApart(shared.0, shared.2[k + 1], shared.2[k + 2], into: &shared.1[(k + 1) % 2]) }
                var left = reads
                while left > 0, readAhead?.help() == true { left -= 1 }
                barrier.wait(helping: readAhead)
            }
        }
        for k in 0..<steps {
            parse(takenApart: blocks[k % 2], base)
            barrier.wait(helping: readAhead)
        }
        group.wait()
    }

    /// The lines of `start..<end` (whole lines), taken apart.
    private static func takeApart(_ base: UnsafeRawPointer, _ start: Int, _ end: Int, into lines: inout [PendingLine]) {
        lines.removeAll(keepingCapacity: true)
        var lineStart = start
        while lineStart < end {
            let lineEnd = memchr(base + lineStart, 0x0A, end - lineStart).map { UnsafeRawPointer($0) - base } ?? end
            var line = PendingLine(start: lineStart, end: lineEnd)
            if let parts = stackLine(base, lineStart, lineEnd) {
                let stack = parts.stack
                var ahead = Lookahead(line: parts, hash: ByteInterner.hash(UnsafeRawBufferPointer(start: base + stack.lowerBound, count: stack.count)))
                var leafStart = stack.upperBound
                while leafStart > stack.lowerBound && base.load(fromByteOffset: leafStart - 1, as: UInt8.self) != 0x3B { leafStart -= 1 }
                ahead.leafStart = leafStart
                ahead.leafHash = ByteInterner.hash(UnsafeRawBufferPointer(start: base + leafStart, count: stack.upperBound - leafStart))
                line.ahead = ahead
            }
            lines.append(line)
            lineStart = lineEnd + 1
        }
    }

    /// Parses lines taken apart ahead, asking for the table slots of their stack and leaf two
    /// lines before.
    private mutating func parse(takenApart lines: [PendingLine], _ base: UnsafeRawPointer) {
        for i in lines.indices {
            if i + 8 < lines.count, let ahead = lines[i + 8].ahead {
                distinct.prefetch(hash: ahead.hash)
                interner.prefetch(hash: ahead.leafHash)
            }
            parseLine(base, lines[i].start, lines[i].end, hashed: lines[i].ahead)
        }
    }

    /// A line found and taken apart ahead of its parsing.
    private struct PendingLine {
        var start: Int
        var end: Int
        /// The line's number in its slice (1-based), when taken apart by slices.
        var number = 0
        var ahead: Lookahead?
    }

    /// A line's stack and counts, and its stack's hash, found before the line is parsed, and,
    /// when known, where its leaf starts and that name's hash.
    private struct Lookahead {
        var line: StackLine
        var hash: UInt64
        var leafStart = -1
        var leafHash: UInt64 = 0
    }

    /// A count token: where it starts, its digits as an integer and how many are decimals.
    private typealias Count = (start: Int, mantissa: Int64, decimals: Int)

    /// A line taken apart: where its stack is (before its counts), and its one or two counts.
    private struct StackLine {
        var stack: Range<Int>
        var after: Count
        var before: Count?
    }

    /// The stack and counts of the line `start..<rawEnd`, if it has a count and is not a comment.
    @inline(__always)
    private static func stackLine(_ p: UnsafeRawPointer, _ start: Int, _ rawEnd: Int) -> StackLine? {
        var end = rawEnd
        while end > start && isSpace(p.load(fromByteOffset: end - 1, as: UInt8.self)) { end -= 1 }
        guard end > start, p.load(fromByteOffset: start, as: UInt8.self) != 0x23, let last = count(p, start, end) else { return nil }
        var stackEnd = last.start
        while stackEnd > start && isSpace(p.load(fromByteOffset: stackEnd - 1, as: UInt8.self)) { stackEnd -= 1 }
        var before: Count?
        if let first = count(p, start, stackEnd) {
            before = first
            stackEnd = first.start
            while stackEnd > start && isSpace(p.load(fromByteOffset: stackEnd - 1, as: UInt8.self)) { stackEnd -= 1 }
        }
        return StackLine(stack: start..<stackEnd, after: last, before: before)
    }

    @inline(__always)
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C }

    /// A count token `\d+(\.\d*)?` ending at `end`: its start, mantissa and number of decimals.
    private static func count(_ p: UnsafeRawPointer, _ start: Int, _ end: Int) -> Count? {
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
        if ownLimitError != nil { return false }
        lineCount += 1
        guard let line = hashed?.line ?? Self.stackLine(p, start, rawEnd) else {
            var end = rawEnd
            while end > start && Self.isSpace(p.load(fromByteOffset: end - 1, as: UInt8.self)) { end -= 1 }
            if end == start { return false } // blank line
            if p.load(fromByteOffset: start, as: UInt8.self) == 0x23 { return false } // `# comment` (austin, inferno)
            skippedLines += 1
            if firstSkipped == nil {
                let text = String(decoding: UnsafeRawBufferPointer(start: p + start, count: min(end - start, 60)), as: UTF8.self)
                firstSkipped = (lineCount, text)
            }
            return false
        }
        let after = line.after, before = line.before, stackEnd = line.stack.upperBound
        if before != nil && !differential { becomeDifferential() }
        // Bring both counts and the stored values to one fixed-point scale.
        let needed = max(after.decimals, before?.decimals ?? 0)
        if needed > decimals { rescale(to: needed) }
        guard let afterValue = scaled(after.mantissa, after.decimals),
              let beforeValue = before.map({ scaled($0.mantissa, $0.decimals) }) ?? 0 else {
            fail(.limitExceeded("line \(lineCount): the count does not fit in 64 bits at the precision of the file's fractional counts"))
            return false
        }

        // A stack seen before (same bytes) only adds its counts: its frames are not looked up again.
        let stackBytes = UnsafeRawBufferPointer(start: p + start, count: stackEnd - start)
        var hash: UInt64 = 0
        if !keepOrder {
            if let hashed {
                hash = hashed.hash
            } else {
                hash = ByteInterner.hash(stackBytes)
            }
            if partition(of: hash) != partition { return false } // another partition's stack
        }
        ownStackLines += 1
        if !keepOrder {
            if let existing = distinct.find(hash: hash, where: { spells($0, stackBytes) }) {
                add(afterValue, base: beforeValue, to: existing)
                return false
            }
        }
        // Split on `;` like inferno: empty names between (or after) separators are frames too.
        var frameStart = start
        let firstFrame = stackFrames.count
        // Stacks new in a row often share their first frames (sorted input, one parent of many
        // leaves): those are checked against the last new stack's before being looked up.
        var sharedPrefix = counts.count > 0 ? stackStart[counts.count - 1]..<stackStart[counts.count] : 0..<0
        var previous: Int32 = -1 // the frame before (none for the first)
        while stackEnd > start && frameStart <= stackEnd {
            let frameEnd = Self.separator(in: p, from: frameStart, to: stackEnd)
            guard frameEnd - frameStart <= ImportLimits.maxNameBytes, stackFrames.count - firstFrame < ImportLimits.maxStackDepth else {
                stackFrames.removeSubrange(firstFrame...)
                fail(.limitExceeded(frameEnd - frameStart > ImportLimits.maxNameBytes
                    ? "a frame name of \(frameEnd - frameStart) bytes exceeds the limit of \(ImportLimits.maxNameBytes)"
                    : "a stack deeper than \(ImportLimits.maxStackDepth) frames"))
                return false
            }
            let name = UnsafeRawBufferPointer(start: p + frameStart, count: frameEnd - frameStart)
            if !sharedPrefix.isEmpty {
                let id = stackFrames[sharedPrefix.lowerBound]
                if interner.matches(id, name) {
                    stackFrames.append(id)
                    previous = id
                    sharedPrefix = (sharedPrefix.lowerBound + 1)..<sharedPrefix.upperBound
                    frameStart = frameEnd + 1
                    continue
                }
                sharedPrefix = 0..<0
            }
            let id: Int32
            if let hashed, frameStart == hashed.leafStart && frameEnd == stackEnd {
                id = interner.intern(name, hash: hashed.leafHash)
            } else {
                // A caller mostly calls what it called before: the frame that followed the last
                // one the previous time is checked before the name is hashed and looked up,
                // while such guesses mostly hit (else one frame in 16 keeps trying them).
                if callees.score >= 0 || stackFrames.count & 15 == 0 {
                    let guess = callees.guess(after: previous)
                    if guess >= 0 && interner.matches(guess, name) {
                        id = guess
                        callees.hit()
                    } else {
                        id = interner.intern(name)
                        callees.missed(id, after: previous)
                    }
                } else {
                    id = interner.intern(name)
                }
            }
            stackFrames.append(id)
            previous = id
            frameStart = frameEnd + 1
        }
        if stackFrames.count - firstFrame > 1 { ownDeepStackLines += 1 }
        addStack(from: firstFrame, count: afterValue, base: beforeValue, hash: hash, known: true)
        return true
    }

    /// Where the first `;` at or after `start` is, or `end`: short names (most) are scanned 8
    /// bytes at a time here, long ones by `memchr`.
    @inline(__always)
    private static func separator(in p: UnsafeRawPointer, from start: Int, to end: Int) -> Int {
        var i = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        while i + 8 <= end && i < start + 32 {
            let word = p.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ (ones &* 0x3B)
            let found = (word &- ones) & ~word & (ones &* 0x80)
            if found != 0 { return i + found.trailingZeroBitCount / 8 }
            i += 8
        }
        if i + 8 <= end { return memchr(p + i, 0x3B, end - i).map { UnsafeRawPointer($0) - p } ?? end }
        while i < end && p.load(fromByteOffset: i, as: UInt8.self) != 0x3B { i += 1 }
        return i
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
            fail(.limitExceeded("line \(lineCount): the counts of one stack add up to more than 2^63-1"))
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
        if overflow { fail(.limitExceeded("line \(lineCount): a count does not fit in 64 bits at the precision of the file's fractional counts")) }
        return product
    }

    private mutating func becomeDifferential() {
        differential = true
        // Earlier one-column lines have no "before": treat them as unchanged.
        baseCounts = counts
    }

    /// Puts the partitions together in this parser: its stacks, then each partner's (no stack
    /// is in two partitions). A partner's name already in an earlier partition takes that
    /// name's id, looked up on two threads first; the others are appended without a lookup.
    /// For the end of the input: once merged, the parser takes no more lines.
    public mutating func mergePartitions() {
        guard !partners.isEmpty else { return }
        let others = partners
        partners = []
        let found = Self.whereNamesAreFirst(others, after: interner)
        var globalIds: [[Int32]] = [[]] // per partition after the first: its names' ids here
        for (k, other) in others.enumerated() {
            let names = other.interner
            var ids = [Int32](repeating: -1, count: names.count)
            interner.reserveStorage(names: interner.count + names.count, bytes: interner.byteCount + names.byteCount)
            for id in ids.indices {
                let (partition, local) = found[k][id]
                if partition < 0 {
                    ids[id] = names.withBytes(Int32(id)) { interner.appendUnindexed($0) }
                } else {
                    ids[id] = partition == 0 ? local : globalIds[Int(partition)][Int(local)]
                }
            }
            append(partner: other, names: ids)
            globalIds.append(ids)
        }
    }

    /// For each name of each partner: the first partition that has it (0 for `first`, k + 1 for
    /// `partners[k]`) and its id there, or -1 when it is new; found on two threads.
    private static func whereNamesAreFirst(_ partners: [FoldedParser], after first: ByteInterner) -> [[(partition: Int32, id: Int32)]] {
        let tables = [first] + partners.map(\.interner)
        return partners.indices.map { k in
            let names = tables[k + 1]
            var found = [(partition: Int32, id: Int32)](repeating: (-1, -1), count: names.count)
            found.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let found = buffer
                let halves = names.count >= 4096 ? 2 : 1
                DispatchQueue.concurrentPerform(iterations: halves) { half in
                    for id in (names.count * half / halves)..<(names.count * (half + 1) / halves) {
                        let hash = names.hash(of: Int32(id))
                        for j in 0...k {
                            guard let local = names.withBytes(Int32(id), { tables[j].find($0, hash: hash) }) else { continue }
                            found[id] = (Int32(j), local)
                            break
                        }
                    }
                }
            }
            return found
        }
    }

    /// Appends the stacks of `other`, a partner, whose names have the ids `names` here, with
    /// its line counters.
    private mutating func append(partner other: FoldedParser, names remap: [Int32]) {
        ownStackLines += other.ownStackLines
        ownDeepStackLines += other.ownDeepStackLines
        if other.ownLimitError != nil && (ownLimitError == nil || other.limitLine < limitLine) {
            ownLimitError = other.ownLimitError
            limitLine = other.limitLine
        }
        if other.decimals > decimals { rescale(to: other.decimals) }
        var factor: Int64 = 1
        for _ in other.decimals..<decimals { factor *= 10 }
        if other.differential && !differential { becomeDifferential() }
        stackFrames.reserveCapacity(stackFrames.count + other.stackFrames.count)
        for f in other.stackFrames { stackFrames.append(remap[Int(f)]) }
        stackStart.reserveCapacity(stackStart.count + other.counts.count)
        let offset = stackStart[stackStart.count - 1]
        for start in other.stackStart.dropFirst() { stackStart.append(start + offset) }
        counts.reserveCapacity(counts.count + other.counts.count)
        for s in other.counts.indices {
            let count = multiplied(other.counts[s], factor)
            counts.append(count)
            if differential { baseCounts.append(other.differential ? multiplied(other.baseCounts[s], factor) : count) }
        }
    }

    /// The profile read so far (call `finish` first). One sample type (`samples/count`), or two
    /// for differential input.
    public func profile() -> Profile {
        guard partners.isEmpty else {
            var whole = self
            whole.mergePartitions()
            return whole.profile()
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
