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
        if let minimum = options.minimumDrawnValue, base == nil, baseline == nil {
            let filtered = try profile.filtered(by: options.filter)
            if let tree = visible(filtered, index: index, reverse: options.reverse, minimum: minimum) { return tree }
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

    /// The tree of what a flame graph draws: stacks sorted by the name order of their frames, so
    /// that every prefix is a range whose total is a difference of running sums; only ranges
    /// that reach `minimum(total)` become nodes. Nil when a value is negative (totals would not
    /// shrink toward the leaves).
    static func visible(_ profile: Profile, index: Int, reverse: Bool, minimum: (Int64) -> Double) -> CallTree? {
        var tree = CallTree(sampleType: profile.sampleTypes[index])
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
        // Each sample's frame ranks, root first, flattened; and its value.
        var ranks: [Int32] = [], starts: [Int] = [0], values: [Int64] = []
        var negative = false
        profile.withSamples { frames, sampleStarts, sampleValues, width in
            for s in 0..<(sampleStarts.count - 1) {
                let v = sampleValues[s * width + index]
                if v < 0 { negative = true }
                if v == 0 { continue }
                let lo = sampleStarts[s], hi = sampleStarts[s + 1]
                if reverse {
                    for i in (lo..<hi).reversed() { ranks.append(rank[Int(frameKey[Int(frames[i])])]) }
                } else {
                    for i in lo..<hi { ranks.append(rank[Int(frameKey[Int(frames[i])])]) }
                }
                starts.append(ranks.count)
                values.append(v)
            }
        }
        if negative { return nil }
        let count = values.count
        var order = Array(0..<count)
        ranks.withUnsafeBufferPointer { r in
            order.sort { a, b in
                var i = starts[a], j = starts[b]
                let ea = starts[a + 1], eb = starts[b + 1]
                while i < ea && j < eb {
                    if r[i] != r[j] { return r[i] < r[j] }
                    i += 1; j += 1
                }
                if (i == ea) != (j == eb) { return i == ea }
                return a < b
            }
        }
        var running = [Int64](repeating: 0, count: count + 1)
        for (k, s) in order.enumerated() { running[k + 1] = running[k] &+ values[s] }
        let threshold = minimum(running[count])
        var keyOfRank = [Int32](repeating: 0, count: rank.count)
        for (key, r) in rank.enumerated() { keyOfRank[Int(r)] = Int32(key) }
        func rankAt(_ k: Int, _ d: Int) -> Int32? {
            let s = order[k]
            return starts[s] + d < starts[s + 1] ? ranks[starts[s] + d] : nil
        }
        // Depth-first over (range of sorted samples, depth, node).
        var work: [(lo: Int, hi: Int, depth: Int, node: Int32)] = count > 0 ? [(0, count, 0, 0)] : []
        while let (lo, hi, d, node) = work.popLast() {
            var k = lo
            while k < hi && rankAt(k, d) == nil { k += 1 }
            tree.addSelf(running[k] - running[lo], at: node)
            var gap: Int64 = 0
            var children: [(Int, Int, Int32)] = []
            while k < hi {
                let r = rankAt(k, d)!
                var end = k + 1
                while end < hi && rankAt(end, d) == r { end += 1 }
                let sum = running[end] - running[k]
                if sum > 0 && Double(sum) >= threshold {
                    if gap > 0 { tree.addSelf(gap, at: tree.appendChild(of: node, key: CallTree.selfKey)); gap = 0 }
                    children.append((k, end, tree.appendChild(of: node, key: keyOfRank[Int(r)])))
                } else {
                    gap &+= sum
                }
                k = end
            }
            if gap > 0 { tree.addSelf(gap, at: tree.appendChild(of: node, key: CallTree.selfKey)) }
            for (a, b, child) in children.reversed() { work.append((a, b, d + 1, child)) }
        }
        tree.finishTotals()
        return tree
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
