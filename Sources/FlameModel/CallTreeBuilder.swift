import CPrefetch
import Foundation

/// How to turn a profile into a call tree.
public struct TreeOptions: Sendable {
    /// `--sample-index`: a number or a type name; nil for the profile's default.
    public var sampleIndex: String?
    public var filter = StackFilter()
    /// flamegraph.pl's `--reverse`: every stack leaf first, so the graph grows from the leaves.
    public var reverse = false
    /// flamegraph.pl's `--flamechart`: samples in input order, x is time; nothing is sorted.
    public var flameChart = false
    /// For flame graphs: the smallest value a drawn frame can have, given the root's total.
    /// Subtrees below it are not built (each run of such siblings becomes one hidden node that
    /// keeps their width), so the drawing is the same as the full tree's at a fraction of the work.
    public var minimumDrawnValue: (@Sendable (Int64) -> Double)?
    /// Differential flame graphs: widths come from the "before" values (`--negate`).
    public var widthFromBase = false

    public init(sampleIndex: String? = nil, filter: StackFilter = StackFilter(), reverse: Bool = false) {
        self.sampleIndex = sampleIndex
        self.filter = filter
        self.reverse = reverse
    }
}

extension CallTree {
    /// Builds the call tree of `profile` for one sample index, after filtering.
    /// Frames with the same name share nodes (pprof's "functions" granularity).
    ///
    /// With a `base` profile (or two-column folded input) the tree is differential: `total`
    /// holds the profile's values and `baseTotal` the base's.
    public static func build(from profile: Profile, base: Profile? = nil, options: TreeOptions = TreeOptions()) throws(ProfileError) -> CallTree {
        if options.flameChart { return try chart(from: profile, options: options) }
        let index = try profile.sampleIndex(named: options.sampleIndex)
        let baseline = options.sampleIndex == nil ? profile.baselineSampleIndex : nil
        if let minimum = options.minimumDrawnValue, base == nil {
            let filtered = try profile.filtered(by: options.filter)
            let columns = Columns(value: index, baseline: baseline, widthFromBaseline: options.widthFromBase && baseline != nil)
            if let tree = visible(filtered, columns: columns, reverse: options.reverse, minimum: minimum) { return tree }
        }
        let baseIndex = try base?.sampleIndex(named: options.sampleIndex ?? profile.sampleTypes[index].type)
        var tree = CallTree(sampleType: profile.sampleTypes[index], differential: baseline != nil || base != nil)
        tree.valueDivisor = profile.valueDivisor

        var keyOfName: [String: Int32] = [:]
        func add(_ source: Profile, index: Int, asBase: Bool) throws(ProfileError) {
            // Filters may add frames (label frames, inlined calls that became outermost).
            let filtered = try source.filtered(by: options.filter)
            let frameKey = tree.keys(for: filtered.frames, sharing: &keyOfName)
            // Big inputs without a base: build the subtrees of disjoint sets of root frames on
            // two threads and graft them together (same tree, node numbering aside).
            if base == nil, filtered.sampleCount >= 50_000, ProcessInfo.processInfo.activeProcessorCount > 1,
               !options.reverse, let groups = Self.balancedRootGroups(filtered, frameKey: frameKey) {
                var parts = [CallTree](repeating: CallTree(sampleType: tree.sampleType, differential: tree.isDifferential), count: 2)
                parts.withUnsafeMutableBufferPointer { buffer in
                    nonisolated(unsafe) let out = buffer
                    DispatchQueue.concurrentPerform(iterations: 2) { part in
                        out[part].insert(filtered, index: index, baseline: baseline, asBase: false, reverse: false, frameKey: frameKey) { groups[$0] == part }
                    }
                }
                tree.graft(parts[0])
                tree.graft(parts[1])
                return
            }
            tree.insert(filtered, index: index, baseline: baseline, asBase: asBase, reverse: options.reverse, frameKey: frameKey) { _ in true }
        }
        try add(profile, index: index, asBase: false)
        if let base, let baseIndex { try add(base, index: baseIndex, asBase: true) }
        tree.finishTotals()
        return tree
    }

    /// Adds the samples of `profile` whose root key passes `include`.
    mutating func insert(_ profile: Profile, index: Int, baseline: Int?, asBase: Bool, reverse: Bool, frameKey: [Int32], include: (Int32) -> Bool) {
        profile.withSamples { frames, starts, values, width in
            frameKey.withUnsafeBufferPointer { keys in
                for s in 0..<(starts.count - 1) {
                    var value = values[s * width + index]
                    var before = baseline.map { values[s * width + $0] } ?? 0
                    if asBase { (value, before) = (0, value) }
                    if value == 0 && before == 0 { continue }
                    let lo = starts[s], hi = starts[s + 1]
                    if !include(lo < hi ? keys[Int(frames[reverse ? hi - 1 : lo])] : -1) { continue }
                    var node: Int32 = 0
                    if reverse {
                        for i in (lo..<hi).reversed() { node = child(of: node, key: keys[Int(frames[i])]) }
                    } else {
                        for i in lo..<hi { node = child(of: node, key: keys[Int(frames[i])]) }
                    }
                    addSelf(value, base: before, at: node)
                }
            }
        }
    }

    /// The sample columns a flame graph reads: the value, and for differential input the
    /// baseline ("before"); widths come from one of them.
    struct Columns {
        var value: Int
        var baseline: Int?
        var widthFromBaseline = false
    }

    /// The tree of what a flame graph draws: samples are grouped by their frame at each depth,
    /// in name order, and only groups whose width reaches `minimum(total)` become nodes (the
    /// others become one hidden node per run that keeps their values). Nil when a value is
    /// negative (totals would not shrink toward the leaves).
    static func visible(_ profile: Profile, columns: Columns, reverse: Bool, minimum: (Int64) -> Double) -> CallTree? {
        var tree = CallTree(sampleType: profile.sampleTypes[columns.value], differential: columns.baseline != nil)
        tree.valueDivisor = profile.valueDivisor
        // Keys: frame ids when every frame has its own name (the tree is named once built, with
        // the names it draws only), else one per distinct name.
        let frameKey: [Int32]
        let nameOrder: NameOrder
        let distinctNames = profile.frames.namesAreDistinct
        if distinctNames {
            frameKey = Array(0..<Int32(profile.frames.count))
            let frames = profile.frames
            nameOrder = NameOrder(frameKey: frameKey) { CallTree.ranks(of: (0..<Int32(frames.count)).lazy.map { frames[$0].name }) }
        } else {
            var keyOfName: [String: Int32] = [:]
            frameKey = tree.keys(for: profile.frames, sharing: &keyOfName)
            let names = tree.names
            nameOrder = NameOrder(frameKey: frameKey) { CallTree.ranks(of: names) }
        }
        let keyCount = distinctNames ? profile.frames.count : tree.names.count
        if profile.sampleCount >= CallTree.parallelSamples && keyCount * 4 <= profile.sampleCount
            && ProcessInfo.processInfo.activeProcessorCount > 1 {
            // Big trees of few names (to their samples) nearly always need the name order: it is
            // sorted on the other core while this one groups the first levels, which are not
            // split between threads. With about as many names as samples (a million leaves
            // under one parent), the sort would cost more than the tree, and the levels of those
            // names are seldom wide enough to need it.
            DispatchQueue.global().async { _ = nameOrder.ranking }
        }
        let fitsKey = profile.sampleCount <= Int(UInt32.max)
        let index = columns.value, baseIndex = columns.baseline ?? columns.value
        let widthIndex = columns.widthFromBaseline ? baseIndex : index
        let differential = columns.baseline != nil
        let built: CallTree? = profile.withSamples { frames, starts, sampleValues, width -> CallTree? in
            // The samples with a value; nil when a value is negative.
            var order: [UInt64] = []
            var total: Int64 = 0
            for s in 0..<(starts.count - 1) {
                let v = sampleValues[s * width + index], b = differential ? sampleValues[s * width + baseIndex] : 0
                if v < 0 || b < 0 || !fitsKey { return nil }
                if v != 0 || b != 0 { order.append(UInt64(s)); total &+= sampleValues[s * width + widthIndex] }
            }
            let threshold = minimum(total)
            frameKey.withUnsafeBufferPointer { k in
                order.withUnsafeMutableBufferPointer { o in
                    let grouper = SampleGrouper(order: o, key: k, frames: frames, starts: starts, values: sampleValues,
                                                width: width, columns: columns, reverse: reverse, threshold: threshold,
                                                nameOrder: nameOrder)
                    grouper.build(&tree)
                }
            }
            tree.finishTotals()
            return tree
        }
        guard var named = built else { return nil }
        if distinctNames { named.nameUsedKeys(keyCount: frameKey.count) { profile.frames[$0].name } }
        return named
    }

    /// The name order of keys and frames, sorted the first time a level needs it (one with a
    /// drawn run beside others): a tree whose wide levels hold only runs too narrow to draw never
    /// sorts their names. Safe to ask from several threads.
    private final class NameOrder: @unchecked Sendable {
        /// Each key's rank in name order, each frame's (its key's), and the key of each rank.
        struct Ranking {
            var ofKey: [Int32]
            var ofFrame: [Int32]
            var keyOfRank: [Int32]
        }

        private let lock = NSLock()
        private var computed: Ranking?
        private let frameKey: [Int32]
        private let rankKeys: () -> [Int32]

        init(frameKey: [Int32], rankKeys: @escaping () -> [Int32]) {
            self.frameKey = frameKey
            self.rankKeys = rankKeys
        }

        var ranking: Ranking {
            lock.lock()
            defer { lock.unlock() }
            if let computed { return computed }
            let rank = rankKeys()
            var keyOfRank = [Int32](repeating: 0, count: rank.count)
            for (key, r) in rank.enumerated() { keyOfRank[Int(r)] = Int32(key) }
            let ranking = Ranking(ofKey: rank, ofFrame: frameKey.map { rank[Int($0)] }, keyOfRank: keyOfRank)
            computed = ranking
            return ranking
        }
    }

    /// Drawn trees of at least this many samples are built on two threads.
    public static let parallelSamples = 20_000

    /// Builds the drawn tree from samples ordered in place: depth-first over (range of samples
    /// sharing a visible prefix, depth, node). A range is ordered by its samples' frame at
    /// `depth` only when it is taken from the stack, so samples under a prefix too narrow to
    /// draw are never looked at below it. Big trees are built on two threads (the same tree,
    /// numbered differently).
    private struct SampleGrouper {
        let order: UnsafeMutableBufferPointer<UInt64>
        let key: UnsafeBufferPointer<Int32>
        let frames: UnsafeBufferPointer<Int32>
        let starts: UnsafeBufferPointer<Int>
        let values: UnsafeBufferPointer<Int64>
        let width: Int
        let columns: Columns
        let reverse: Bool
        let threshold: Double
        let nameOrder: NameOrder

        typealias Item = (lo: Int, hi: Int, depth: Int, node: Int32)

        /// A run of samples with the same frame at one depth: drawn (a node), or hidden (one
        /// node holding the values of consecutive runs too narrow to draw).
        enum Run {
            case drawn(lo: Int, hi: Int, key: Int32)
            case hidden(Pair)
        }

        /// A run before it is put in name order: its samples, frame key, sums and whether it is drawn.
        struct Piece {
            var lo: Int, hi: Int, key: Int32, sum: Pair, drawn: Bool
        }

        /// Buffers reused from one group to the next.
        struct Scratch {
            var runs: [Run] = []
            var pieces: [Piece] = []
            var sort = SortScratch()
            /// Once a level needed the name order: samples are then grouped by rank, so runs
            /// come out in name order.
            var ranking: NameOrder.Ranking?
        }

        func build(_ tree: inout CallTree) {
            guard !order.isEmpty else { return }
            var pending: [Item] = [(0, order.count, 0, 0)]
            guard order.count >= CallTree.parallelSamples, ProcessInfo.processInfo.activeProcessorCount > 1 else {
                drain(&tree, &pending)
                return
            }
            // Expand the widest subtree here until none holds more than 1/16 of the samples; the
            // rest are tasks for two threads, each task a tree of its own, grafted under its node.
            var scratch = Scratch()
            let limit = order.count / 16
            for _ in 0..<1024 {
                guard let widest = pending.indices.max(by: { pending[$0].hi - pending[$0].lo < pending[$1].hi - pending[$1].lo }),
                      pending[widest].hi - pending[widest].lo > limit else { break }
                let item = skipStem(pending.remove(at: widest), &tree)
                let ended = group(item, scratch: &scratch)
                tree.addSelf(ended.value, base: ended.base, at: item.node)
                attach(scratch.runs[...], under: item.node, depth: item.depth, to: &tree, work: &pending)
            }
            let tasks = pending.sorted { ($0.hi - $0.lo, $1.lo) > ($1.hi - $1.lo, $0.lo) }
            var shares: [[Int]] = [[], []], load = [0, 0]
            for (i, task) in tasks.enumerated() {
                let thread = load[0] <= load[1] ? 0 : 1
                shares[thread].append(i)
                load[thread] += task.hi - task.lo
            }
            let threadTasks = shares
            var parts = [CallTree](repeating: CallTree(sampleType: tree.sampleType, differential: tree.isDifferential), count: tasks.count)
            parts.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let out = buffer
                nonisolated(unsafe) let grouper = self
                DispatchQueue.concurrentPerform(iterations: 2) { thread in
                    for i in threadTasks[thread] {
                        var work: [Item] = [(tasks[i].lo, tasks[i].hi, tasks[i].depth, 0)]
                        grouper.drain(&out[i], &work)
                    }
                }
            }
            for (i, task) in tasks.enumerated() { tree.graft(parts[i], under: task.node) }
        }

        private func drain(_ tree: inout CallTree, _ work: inout [Item]) {
            var scratch = Scratch()
            while let popped = work.popLast() {
                let item = skipStem(popped, &tree)
                let ended = group(item, scratch: &scratch)
                tree.addSelf(ended.value, base: ended.base, at: item.node)
                attach(scratch.runs[...], under: item.node, depth: item.depth, to: &tree, work: &work)
            }
        }

        /// For a drawn range whose samples all go on with the same frames for a while (the long
        /// stems of deep profiles): the nodes of those frames, made from one pass over the
        /// samples instead of one per depth. Returns the item at the end of the stem (`item`
        /// itself when its samples part at once, or it is small).
        private func skipStem(_ item: Item, _ tree: inout CallTree) -> Item {
            let (lo, hi, d) = (item.lo, item.hi, item.depth)
            guard d > 0, hi - lo >= 256 else { return item }
            let o = order
            let reference = Int(truncatingIfNeeded: o[lo] & 0xFFFF_FFFF)
            // The frame of sample `s` at depth `depth`, which it is known to have.
            func frame(_ s: Int, _ depth: Int) -> Int32 { frames[reverse ? starts[s + 1] - 1 - depth : starts[s] + depth] }
            // How many frames from depth d sample `s` shares with the reference, up to `limit`.
            func shared(_ s: Int, _ limit: Int) -> Int {
                let available = min(limit, starts[s + 1] - starts[s] - d)
                var j = 0
                while j < available {
                    let a = frame(s, d + j), b = frame(reference, d + j)
                    if a != b && key[Int(a)] != key[Int(b)] { break }
                    j += 1
                }
                return j
            }
            var stem = starts[reference + 1] - starts[reference] - d
            // A few samples spread over the range first: most ranges part at once.
            for k in stride(from: lo, to: hi, by: (hi - lo) / 16) {
                stem = shared(Int(truncatingIfNeeded: o[k] & 0xFFFF_FFFF), stem)
                if stem < 2 { return item }
            }
            for k in lo..<hi {
                if k + 8 < hi { flamegen_prefetch(starts.baseAddress! + Int(truncatingIfNeeded: o[k + 8] & 0xFFFF_FFFF)) }
                stem = shared(Int(truncatingIfNeeded: o[k] & 0xFFFF_FFFF), stem)
                if stem < 2 { return item }
            }
            var node = item.node
            for j in 0..<stem { node = tree.appendChild(of: node, key: key[Int(frame(reference, d + j))]) }
            return (lo, hi, d + stem, node)
        }

        /// Creates the nodes of `runs` under `node`, in order; the drawn ones are pushed on `work`
        /// to be taken first to last.
        private func attach(_ runs: ArraySlice<Run>, under node: Int32, depth: Int, to tree: inout CallTree, work: inout [Item]) {
            let first = work.count
            for run in runs {
                switch run {
                case .drawn(let lo, let hi, let key):
                    work.append((lo, hi, depth + 1, tree.appendChild(of: node, key: key)))
                case .hidden(let sum):
                    tree.addSelf(sum.value, base: sum.base, at: tree.appendChild(of: node, key: CallTree.selfKey))
                }
            }
            work[first...].reverse()
        }

        /// Groups the samples of `item` by their frame at its depth and cuts them into runs in
        /// name order (`scratch.runs`): returns the values of the samples whose stack ends above
        /// that depth.
        private func group(_ item: Item, scratch: inout Scratch) -> Pair {
            let (lo, hi) = (item.lo, item.hi)
            if let ranking = scratch.ranking {
                ranking.ofFrame.withUnsafeBufferPointer { order(item, by: $0, scratch: &scratch.sort) }
            } else {
                order(item, by: key, scratch: &scratch.sort)
            }
            var first = lo
            while first < hi && order[first] >> 32 == 0 { first += 1 }
            let ended = sums(lo, first)
            scratch.runs.removeAll(keepingCapacity: true)
            if let ranking = scratch.ranking {
                // Runs come in name order: consecutive narrow ones make one hidden node.
                var gap = Pair()
                forEachRun(first, hi) { lo, hi, sortKey, sum, drawn in
                    if drawn {
                        if !gap.isZero { scratch.runs.append(.hidden(gap)); gap = Pair() }
                        scratch.runs.append(.drawn(lo: lo, hi: hi, key: ranking.keyOfRank[Int(sortKey - 1)]))
                    } else {
                        gap.add(sum)
                    }
                }
                if !gap.isZero { scratch.runs.append(.hidden(gap)) }
                return ended
            }
            // Runs come in key order. Runs too narrow to draw take their place between drawn ones,
            // so the name order matters only when a run is drawn beside others.
            var runCount = 0, anyDrawn = false, all = Pair()
            forEachRun(first, hi) { _, _, _, sum, drawn in
                runCount += 1
                anyDrawn = anyDrawn || drawn
                all.add(sum)
            }
            if !anyDrawn {
                if !all.isZero { scratch.runs.append(.hidden(all)) }
                return ended
            }
            if runCount == 1 {
                scratch.runs.append(.drawn(lo: first, hi: hi, key: Int32(order[first] >> 32) - 1))
                return ended
            }
            let ranking = nameOrder.ranking
            scratch.ranking = ranking
            scratch.pieces.removeAll(keepingCapacity: true)
            forEachRun(first, hi) { lo, hi, sortKey, sum, drawn in
                scratch.pieces.append(Piece(lo: lo, hi: hi, key: Int32(sortKey) - 1, sum: sum, drawn: drawn))
            }
            scratch.pieces.sort { ranking.ofKey[Int($0.key)] < ranking.ofKey[Int($1.key)] }
            var gap = Pair()
            for piece in scratch.pieces {
                if piece.drawn {
                    if !gap.isZero { scratch.runs.append(.hidden(gap)); gap = Pair() }
                    scratch.runs.append(.drawn(lo: piece.lo, hi: piece.hi, key: piece.key))
                } else {
                    gap.add(piece.sum)
                }
            }
            if !gap.isZero { scratch.runs.append(.hidden(gap)) }
            return ended
        }

        /// Writes each sample's key at `depth` (0 when its stack ends above) in the high half of
        /// its slot `from..<to` of `order`: whether they come in order, and the smallest and
        /// largest key.
        private func packKeys(_ from: Int, _ to: Int, depth d: Int, by sortKey: UnsafeBufferPointer<Int32>) -> (sorted: Bool, smallest: UInt64, largest: UInt64) {
            let o = order
            var sorted = true
            var previous: UInt64 = 0
            var smallest = UInt64.max, largest: UInt64 = 0
            for k in from..<to {
                // Samples lie anywhere in memory: their start is asked for 16 samples ahead, the
                // frame read at this depth 8 ahead.
                if k + 16 < to { flamegen_prefetch(starts.baseAddress! + Int(truncatingIfNeeded: o[k + 16] & 0xFFFF_FFFF)) }
                if k + 8 < to {
                    let ahead = Int(truncatingIfNeeded: o[k + 8] & 0xFFFF_FFFF)
                    flamegen_prefetch(frames.baseAddress! + (reverse ? starts[ahead + 1] - 1 - d : starts[ahead] + d))
                }
                let s = Int(truncatingIfNeeded: o[k] & 0xFFFF_FFFF)
                let first = starts[s], end = starts[s + 1]
                var key: UInt64 = 0
                if d < end - first { key = UInt64(sortKey[Int(frames[reverse ? end - 1 - d : first + d])]) + 1 }
                let packed = key << 32 | UInt64(s)
                if packed < previous { sorted = false }
                previous = packed
                smallest = min(smallest, key)
                largest = max(largest, key)
                o[k] = packed
            }
            return (sorted, smallest, largest)
        }

        /// Orders the samples of `item` by `sortKey` of their frame at its depth (0 for a stack
        /// that ends above it, else the frame's sort key + 1, in each sample's high 32 bits).
        @inline(__always)
        private func order(_ item: Item, by sortKey: UnsafeBufferPointer<Int32>, scratch: inout SortScratch) {
            let (lo, hi) = (item.lo, item.hi)
            var (sorted, smallest, largest) = (true, UInt64.max, UInt64(0))
            if hi - lo < 1 << 16 || ProcessInfo.processInfo.activeProcessorCount < 2 {
                (sorted, smallest, largest) = packKeys(lo, hi, depth: item.depth, by: sortKey)
            } else {
                // The keys of big ranges (the first levels of big trees, which are not split
                // between threads) are read on two threads, a half each.
                let mid = lo + (hi - lo) / 2
                nonisolated(unsafe) var halves = [(sorted: Bool, smallest: UInt64, largest: UInt64)](repeating: (true, .max, 0), count: 2)
                nonisolated(unsafe) let grouper = self
                nonisolated(unsafe) let sortKey = sortKey
                halves.withUnsafeMutableBufferPointer { out in
                    nonisolated(unsafe) let results = out
                    DispatchQueue.concurrentPerform(iterations: 2) { half in
                        results[half] = half == 0 ? grouper.packKeys(lo, mid, depth: item.depth, by: sortKey)
                                                  : grouper.packKeys(mid, hi, depth: item.depth, by: sortKey)
                    }
                }
                sorted = halves[0].sorted && halves[1].sorted && order[mid - 1] <= order[mid]
                smallest = min(halves[0].smallest, halves[1].smallest)
                largest = max(halves[0].largest, halves[1].largest)
            }
            let o = order
            guard !sorted else { return }
            // Only the key groups the runs (sums do not depend on the order within a run), so
            // few distinct keys are put in order by counting.
            if hi - lo < 64 {
                o[lo..<hi].sort()
            } else if largest - smallest < UInt64(hi - lo) {
                scratch.countingSort(UnsafeMutableBufferPointer(rebasing: o[lo..<hi]), keysFrom: smallest, to: largest)
            } else {
                scratch.radixSort(UnsafeMutableBufferPointer(rebasing: o[lo..<hi]), keysFrom: smallest, to: largest)
            }
        }

        /// Calls `body` with each run of ordered samples from `lo` to `hi` with one sort key: its
        /// range, sort key, sums and whether it is wide enough to draw.
        @inline(__always)
        private func forEachRun(_ lo: Int, _ hi: Int, _ body: (Int, Int, UInt64, Pair, Bool) -> Void) {
            var k = lo
            while k < hi {
                let key = order[k] >> 32
                var end = k
                while end < hi && order[end] >> 32 == key { end += 1 }
                let sum = sums(k, end)
                let drawnWidth = columns.widthFromBaseline ? sum.base : sum.value
                body(k, end, key, sum, drawnWidth > 0 && Double(drawnWidth) >= threshold)
                k = end
            }
        }

        /// Both columns' sums of samples lo..<hi (the baseline's 0 without one).
        private func sums(_ lo: Int, _ hi: Int) -> Pair {
            let index = columns.value, baseIndex = columns.baseline ?? columns.value
            var sum = Pair()
            for k in lo..<hi {
                let row = Int(truncatingIfNeeded: order[k] & 0xFFFF_FFFF) * width
                sum.value &+= values[row + index]
                if columns.baseline != nil { sum.base &+= values[row + baseIndex] }
            }
            return sum
        }
    }

    /// Reused buffers of a counting sort by the high 32 bits (the key) of packed samples.
    fileprivate struct SortScratch {
        private var copy: [UInt64] = []
        private var counts: [Int] = []

        /// Orders `items` by key, keys being `smallest...largest`; items with one key keep
        /// their order.
        mutating func countingSort(_ items: UnsafeMutableBufferPointer<UInt64>, keysFrom smallest: UInt64, to largest: UInt64) {
            let keyCount = Int(largest - smallest) + 1
            if copy.count < items.count { copy = [UInt64](repeating: 0, count: items.count) }
            if counts.count < keyCount + 1 { counts = [Int](repeating: 0, count: keyCount + 1) }
            copy.withUnsafeMutableBufferPointer { copy in
                counts.withUnsafeMutableBufferPointer { counts in
                    for i in 0...keyCount { counts[i] = 0 }
                    for (i, item) in items.enumerated() {
                        copy[i] = item
                        counts[Int((item >> 32) - smallest) + 1] += 1
                    }
                    for k in 0..<keyCount { counts[k + 1] += counts[k] }
                    for i in 0..<items.count {
                        let item = copy[i]
                        let k = Int((item >> 32) - smallest)
                        items[counts[k]] = item
                        counts[k] += 1
                    }
                }
            }
        }

        /// Orders `items` by key, keys being `smallest...largest`, a byte of the key at a time
        /// (least significant first, each pass stable): for many keys over a wide range.
        mutating func radixSort(_ items: UnsafeMutableBufferPointer<UInt64>, keysFrom smallest: UInt64, to largest: UInt64) {
            let range = largest - smallest
            if copy.count < items.count { copy = [UInt64](repeating: 0, count: items.count) }
            if counts.count < 257 { counts = [Int](repeating: 0, count: 257) }
            copy.withUnsafeMutableBufferPointer { copy in
                counts.withUnsafeMutableBufferPointer { counts in
                    var source = items, target = UnsafeMutableBufferPointer(rebasing: copy[..<items.count])
                    var shift: UInt64 = 0
                    while shift < 64 && range >> shift != 0 {
                        for i in 0...256 { counts[i] = 0 }
                        for item in source { counts[Int(((item >> 32) - smallest) >> shift & 0xFF) + 1] += 1 }
                        for k in 0..<256 { counts[k + 1] += counts[k] }
                        for item in source {
                            let k = Int(((item >> 32) - smallest) >> shift & 0xFF)
                            target[counts[k]] = item
                            counts[k] += 1
                        }
                        swap(&source, &target)
                        shift += 8
                    }
                    if source.baseAddress != items.baseAddress { _ = items.update(fromContentsOf: source) }
                }
            }
        }
    }

    /// A value and its baseline.
    fileprivate struct Pair {
        var value: Int64 = 0
        var base: Int64 = 0
        var isZero: Bool { value == 0 && base == 0 }

        mutating func add(_ other: Pair) {
            value &+= other.value
            base &+= other.base
        }
    }

    /// Splits root keys into two groups of similar work (frames under them); nil when one root
    /// dominates too much for a split to pay. Samples without frames go to group 0.
    static func balancedRootGroups(_ profile: Profile, frameKey: [Int32]) -> [Int32: Int]? {
        var work: [Int32: Int] = [-1: 0]
        profile.withSamples { frames, starts, _, _ in
            for s in 0..<(starts.count - 1) where starts[s] < starts[s + 1] {
                work[frameKey[Int(frames[starts[s]])], default: 0] += starts[s + 1] - starts[s]
            }
        }
        let total = work.values.reduce(0, +)
        var groups: [Int32: Int] = [:]
        var load = [0, 0]
        for (key, w) in work.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            let g = key == -1 ? 0 : (load[0] <= load[1] ? 0 : 1)
            groups[key] = g
            load[g] += w
        }
        return min(load[0], load[1]) * 4 >= total ? groups : nil
    }

    /// A flame chart of `profile`: each stack merges only with its neighbour; self time keeps
    /// its place in the sequence.
    static func chart(from profile: Profile, options: TreeOptions) throws(ProfileError) -> CallTree {
        let index = try profile.sampleIndex(named: options.sampleIndex)
        var tree = CallTree.chart(sampleType: profile.sampleTypes[index])
        tree.valueDivisor = profile.valueDivisor
        var keyOfName: [String: Int32] = [:]
        let filtered = try profile.filtered(by: options.filter)
        let frameKey = tree.keys(for: filtered.frames, sharing: &keyOfName)
        // Like flamegraph.pl, read the lines last to first so that time runs left to right.
        for s in (0..<filtered.sampleCount).reversed() {
            let value = filtered.value(s, index)
            if value == 0 { continue }
            var node: Int32 = 0
            let stack = filtered.stack(s)
            for f in options.reverse ? Array(stack.reversed()) : Array(stack) { node = tree.chartChild(of: node, key: frameKey[Int(f)]) }
            tree.addSelf(value, at: tree.chartChild(of: node, key: CallTree.selfKey))
        }
        tree.finishTotals()
        return tree
    }

    /// The key of each frame: frames with the same name share a key (names added as needed).
    mutating func keys(for frames: FrameTable, sharing keyOfName: inout [String: Int32]) -> [Int32] {
        var keys: [Int32] = []
        keys.reserveCapacity(frames.count)
        keyOfName.reserveCapacity(keyOfName.count + frames.count)
        for frame in frames.frames {
            if let k = keyOfName[frame.name] { keys.append(k); continue }
            let k = addName(frame.name)
            keyOfName[frame.name] = k
            keys.append(k)
        }
        return keys
    }
}
