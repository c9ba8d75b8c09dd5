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
        let frameKey: [Int32]
        if profile.frames.namesAreDistinct {
            for frame in profile.frames.frames { _ = tree.addName(frame.name) }
            frameKey = Array(0..<Int32(profile.frames.count))
        } else {
            var keyOfName: [String: Int32] = [:]
            frameKey = tree.keys(for: profile.frames, sharing: &keyOfName)
        }
        let rank = tree.nameRanks()
        let frameRank = frameKey.map { rank[Int($0)] }
        var keyOfRank = [Int32](repeating: 0, count: rank.count)
        for (key, r) in rank.enumerated() { keyOfRank[Int(r)] = Int32(key) }
        let fitsKey = profile.sampleCount <= Int(UInt32.max)
        let index = columns.value, baseIndex = columns.baseline ?? columns.value
        let widthIndex = columns.widthFromBaseline ? baseIndex : index
        let differential = columns.baseline != nil
        return profile.withSamples { frames, starts, sampleValues, width -> CallTree? in
            // The samples with a value; nil when a value is negative.
            var order: [UInt64] = []
            var total: Int64 = 0
            for s in 0..<(starts.count - 1) {
                let v = sampleValues[s * width + index], b = differential ? sampleValues[s * width + baseIndex] : 0
                if v < 0 || b < 0 || !fitsKey { return nil }
                if v != 0 || b != 0 { order.append(UInt64(s)); total &+= sampleValues[s * width + widthIndex] }
            }
            let threshold = minimum(total)
            // Depth-first over (range of samples sharing a visible prefix, depth, node). A range
            // is ordered by its samples' frame at `depth` only when it is taken from the stack,
            // so samples under a prefix too narrow to draw are never looked at below it.
            var work: [(lo: Int, hi: Int, depth: Int, node: Int32)] = order.isEmpty ? [] : [(0, order.count, 0, 0)]
            var children: [(Int, Int, Int32)] = []
            frameRank.withUnsafeBufferPointer { r in
                order.withUnsafeMutableBufferPointer { o in
                    while let (lo, hi, d, node) = work.popLast() {
                        // Key: 0 for a stack that ends above this depth, else its frame's rank + 1.
                        var sorted = true
                        var previous: UInt64 = 0
                        for k in lo..<hi {
                            let s = Int(truncatingIfNeeded: o[k] & 0xFFFF_FFFF)
                            let first = starts[s], end = starts[s + 1]
                            var key: UInt64 = 0
                            if d < end - first { key = UInt64(r[Int(frames[reverse ? end - 1 - d : first + d])]) + 1 }
                            let packed = key << 32 | UInt64(s)
                            if packed < previous { sorted = false }
                            previous = packed
                            o[k] = packed
                        }
                        if !sorted { o[lo..<hi].sort() }
                        // Both columns' sums of samples lo..<hi (the baseline's 0 without one).
                        func sums(_ lo: Int, _ hi: Int) -> Pair {
                            var sum = Pair()
                            for k in lo..<hi {
                                let row = Int(truncatingIfNeeded: o[k] & 0xFFFF_FFFF) * width
                                sum.value &+= sampleValues[row + index]
                                if differential { sum.base &+= sampleValues[row + baseIndex] }
                            }
                            return sum
                        }
                        var k = lo
                        while k < hi && o[k] >> 32 == 0 { k += 1 }
                        let ended = sums(lo, k)
                        tree.addSelf(ended.value, base: ended.base, at: node)
                        var gap = Pair()
                        children.removeAll(keepingCapacity: true)
                        while k < hi {
                            let key = o[k] >> 32
                            var end = k
                            while end < hi && o[end] >> 32 == key { end += 1 }
                            let sum = sums(k, end)
                            let drawnWidth = columns.widthFromBaseline ? sum.base : sum.value
                            if drawnWidth > 0 && Double(drawnWidth) >= threshold {
                                if !gap.isZero { tree.addSelf(gap.value, base: gap.base, at: tree.appendChild(of: node, key: CallTree.selfKey)); gap = Pair() }
                                children.append((k, end, tree.appendChild(of: node, key: keyOfRank[Int(key - 1)])))
                            } else {
                                gap.value &+= sum.value
                                gap.base &+= sum.base
                            }
                            k = end
                        }
                        if !gap.isZero { tree.addSelf(gap.value, base: gap.base, at: tree.appendChild(of: node, key: CallTree.selfKey)) }
                        for (a, b, child) in children.reversed() { work.append((a, b, d + 1, child)) }
                    }
                }
            }
            tree.finishTotals()
            return tree
        }
    }

    /// A value and its baseline.
    private struct Pair {
        var value: Int64 = 0
        var base: Int64 = 0
        var isZero: Bool { value == 0 && base == 0 }
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
