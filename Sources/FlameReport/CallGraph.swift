import FlameModel
import Foundation

/// pprof's call graph: one node per function (or file, or line), with flat and cumulative
/// values, and weighted caller→callee edges. Built from the samples, like `graph.newGraph`:
/// cum counts once per node per sample, edge weights once per pair per sample, flat goes to
/// the leaf; paths through nodes that are not kept become residual edges.
public struct CallGraph: Sendable {
    /// How `--mean` divides values by the sample count (value column 0): not at all, or per
    /// node, edge and tag (Σvalue / Σcount, as pprof's graphs do).
    enum MeanDivisor: Sendable {
        case none
        case perNode(column: Int)
    }

    /// A node: its printable name and values.
    public struct Node: Sendable {
        public let name: String
        /// Function name alone (without file or line).
        public let function: String
        public var flat: Int64 = 0
        public var cum: Int64 = 0
        /// Sums of the `--mean` divisor (the count) over the samples in `flat` and `cum`.
        public var flatDiv: Int64 = 0
        public var cumDiv: Int64 = 0
        /// The value printed for flat: the mean under `--mean`, else `flat` (pprof's `FlatValue`).
        public var flatValue: Int64 { flatDiv == 0 ? flat : flat / flatDiv }
        /// The value printed for cum (pprof's `CumValue`).
        public var cumValue: Int64 { cumDiv == 0 ? cum : cum / cumDiv }
        /// Source file and line of the node (line granularity), for `list`.
        public let file: String
        public let line: Int64
        /// First line of the function, 0 when unknown (where `list` starts).
        public let startLine: Int64
    }

    /// An edge: caller → callee.
    public struct Edge: Sendable {
        public let source: Int
        public let destination: Int
        public var weight: Int64 = 0
        /// Sum of the `--mean` divisor over the samples in `weight`.
        public var weightDiv: Int64 = 0
        /// The weight printed on call graphs (pprof's `WeightValue`).
        public var weightValue: Int64 { weightDiv == 0 ? weight : weight / weightDiv }
        /// Goes over nodes that were not kept.
        public var residual = false
        /// Every occurrence is an inlined call.
        public var inline = true
        var lastSample = -1
    }

    /// All possible nodes (indexed by node id); `kept` says which are in the graph.
    public private(set) var nodes: [Node]
    public private(set) var edges: [Edge] = []
    /// Node ids in the graph, in report order once sorted.
    public var order: [Int] = []
    /// Label tags of each node (pprof's nodelets: string labels and byte sizes), with the flat
    /// and cum value of the samples carrying them; only collected for call graphs.
    var tags: [[String: NodeTag]] = []
    /// Node id of every frame of the profile.
    let nodeOfFrame: [Int32]
    /// Whether every frame is an inlined call.
    let frameIsInlined: [Bool]

    /// Assigns node ids to the frames of `profile` at `granularity`.
    init(profile: Profile, granularity: Granularity, noInlines: Bool) {
        var ids: [String: Int32] = [:]
        var nodes: [Node] = []
        nodeOfFrame = profile.frames.frames.map { frame in
            if noInlines && frame.isInlined { return -2 }
            let name = granularity.printableName(frame)
            if let id = ids[name] { return id }
            let id = Int32(nodes.count)
            ids[name] = id
            nodes.append(Node(name: name, function: frame.name, file: frame.file, line: granularity == .lines ? frame.line : 0, startLine: frame.startLine))
            return id
        }
        self.nodes = nodes
        frameIsInlined = profile.frames.frames.map(\.isInlined)
    }

    /// Builds the graph over the samples of `profile` for value `index`, keeping only the nodes
    /// in `kept` (all when nil). Nodes with zero flat and cum are left out of `order`.
    /// `mean` gives the divisor column of `--mean` and where it applies.
    /// Nodes that some inlined frame belongs to: only edges into them can be inline.
    var nodesWithInlinedFrames: [Bool] {
        var marked = [Bool](repeating: false, count: nodes.count)
        for (f, inlined) in frameIsInlined.enumerated() where inlined && nodeOfFrame[f] >= 0 { marked[Int(nodeOfFrame[f])] = true }
        return marked
    }

    /// Sums flat and cum per node and, `withEdges`, the weight of each caller → callee edge
    /// (into the `edgeTargets` nodes only, when given). Edges are most of the work on big profiles.
    mutating func build(profile: Profile, index: Int, mean: MeanDivisor = .none, kept: [Bool]?, withTags: Bool = false,
                        withEdges: Bool = true, edgeTargets: [Bool]? = nil) {
        var flat = [Int64](repeating: 0, count: nodes.count), flatDiv = flat
        var cum = [Int64](repeating: 0, count: nodes.count), cumDiv = cum
        var edges: [Edge] = []
        tags = withTags ? Array(repeating: [:], count: nodes.count) : []
        var sampleTags: [(String, NodeTag)] = []
        var edgeIndex = IntMap(capacity: 1024)
        var seen = [Int](repeating: -1, count: nodes.count)
        profile.withSamples { frames, starts, values, width in
            for s in 0..<(starts.count - 1) {
                let w = values[s * width + index]
                var d: Int64 = 0
                if case .perNode(let column) = mean { d = values[s * width + column] }
                if w == 0 && d == 0 { continue }
                var parent: Int32 = -1
                var residual = false
                if withTags { sampleTags = NodeTag.tags(of: profile.labels[s] ?? []) }
                for i in starts[s]..<starts[s + 1] {
                    let f = Int(frames[i])
                    let n = nodeOfFrame[f]
                    if n == -2 { continue } // an inlined frame under --noinlines: not a frame at all
                    if let kept, !kept[Int(n)] { residual = true; continue }
                    if seen[Int(n)] != s {
                        seen[Int(n)] = s
                        cum[Int(n)] &+= w
                        cumDiv[Int(n)] &+= d
                        for (key, t) in sampleTags {
                            tags[Int(n)][key, default: t].cum &+= w
                            tags[Int(n)][key, default: t].cumDiv &+= d
                        }
                    }
                    if withEdges && parent >= 0 && n != parent && edgeTargets?[Int(n)] ?? true {
                        let key = UInt64(UInt32(parent)) << 32 | UInt64(UInt32(n))
                        let (found, slot) = edgeIndex.find(key)
                        let e: Int
                        if let found {
                            e = Int(found)
                        } else {
                            e = edges.count
                            edges.append(Edge(source: Int(parent), destination: Int(n)))
                            edgeIndex.insert(key, Int32(e), at: slot)
                        }
                        if edges[e].lastSample != s {
                            edges[e].lastSample = s
                            edges[e].weight &+= w
                            edges[e].weightDiv &+= d
                            if residual { edges[e].residual = true }
                            if !frameIsInlined[f] { edges[e].inline = false }
                        }
                    }
                    parent = n
                    residual = false
                }
                if parent >= 0 && !residual {
                    flat[Int(parent)] &+= w
                    flatDiv[Int(parent)] &+= d
                    for (key, t) in sampleTags {
                        tags[Int(parent)][key, default: t].flat &+= w
                        tags[Int(parent)][key, default: t].flatDiv &+= d
                    }
                }
            }
        }
        for i in nodes.indices {
            nodes[i].flat = flat[i]
            nodes[i].cum = cum[i]
            nodes[i].flatDiv = flatDiv[i]
            nodes[i].cumDiv = cumDiv[i]
        }
        self.edges = edges
        order = nodes.indices.filter { (kept?[$0] ?? true) && (nodes[$0].flat != 0 || nodes[$0].cum != 0) }
        adjacency = nil
    }

    /// pprof's `countTags` after `TrimLowFrequencyTags`: tags with non-zero flat among those
    /// whose |flat| or |cum| reaches `cutoff`, at most 4 per node.
    func nodeletCount(_ n: Int, cutoff: Int64) -> Int {
        min(keptTags(n, cutoff: cutoff).filter { $0.flat != 0 }.count, NodeTag.maxNodelets)
    }

    /// The tags of node `n` that pprof's `TrimLowFrequencyTags` keeps: |flat| or |cum| ≥ cutoff.
    func keptTags(_ n: Int, cutoff: Int64) -> [NodeTag] {
        guard n < tags.count else { return [] }
        return tags[n].values.filter { abs($0.flat) >= cutoff || abs($0.cum) >= cutoff }
    }

    /// Sum of flat over the nodes in the graph.
    public var flatSum: Int64 { order.reduce(0) { $0 &+ nodes[$1].flat } }

    /// Sum of the printed flat values (pprof's `graphTotal`): the means under `--mean`.
    public var flatValueSum: Int64 { order.reduce(0) { $0 &+ nodes[$1].flatValue } }

    /// pprof's sorts: by |flat| (or |cum|), then name, then the other value; or, for call
    /// graphs, by entropy score (pass-through nodes last), then name, then |flat|.
    mutating func sort(byCum: Bool, entropy: Bool = false) {
        if entropy {
            var score = [Int64](repeating: 0, count: nodes.count)
            for n in order { score[n] = entropyScore(n) }
            // Go's abs64 leaves the most negative value negative.
            func magnitude(_ v: Int64) -> Int64 { v == .min ? .min : abs(v) }
            order.sort { a, b in
                if magnitude(score[a]) != magnitude(score[b]) { return magnitude(score[a]) > magnitude(score[b]) }
                if nodes[a].name != nodes[b].name { return nodes[a].name < nodes[b].name }
                if abs(nodes[a].flat) != abs(nodes[b].flat) { return abs(nodes[a].flat) > abs(nodes[b].flat) }
                return a < b
            }
            return
        }
        order.sort { a, b in
            let l = nodes[a], r = nodes[b]
            let (l1, r1, l2, r2) = byCum ? (abs(l.cum), abs(r.cum), abs(l.flat), abs(r.flat)) : (abs(l.flat), abs(r.flat), abs(l.cum), abs(r.cum))
            if l1 != r1 { return l1 > r1 }
            if l.name != r.name { return l.name < r.name }
            if l2 != r2 { return l2 > r2 }
            return a < b
        }
    }

    /// `int64(score·cum) + flat`, where score adds the entropy of the in-edge weights (1 for an
    /// entry node) and of the out-edge weights plus the node's own flat (1 for a leaf).
    mutating func entropyScore(_ n: Int) -> Int64 {
        func entropy(_ weights: [Int64], _ own: Int64) -> Double {
            // In Double: edge weights of recursive stacks can add up past 64 bits.
            var total = Double(own)
            for w in weights where w > 0 { total += Double(w) }
            guard total != 0 else { return 0 }
            var score = 0.0
            for w in weights {
                // A zero-weight edge gives 0·log2(0) = NaN, as in pprof (see entropyScore).
                let f = Double(w.magnitude) / total
                score -= f * log2(f)
            }
            if own > 0 {
                let f = Double(own) / total
                score -= f * log2(f)
            }
            return score
        }
        let ins = edgesInto(n).map(\.weight), outs = edgesOutOf(n).map(\.weight)
        var score = 0.0
        score += ins.isEmpty ? 1 : entropy(ins, 0)
        score += outs.isEmpty ? 1 : entropy(outs, nodes[n].flat)
        // pprof converts NaN (a diff's zero-weight edge) to int64 the way amd64 does, giving the
        // most negative value, which sorts the node last; do the same so node numbers match.
        let product = score * Double(nodes[n].cum)
        let scaled: Int64 = product.isFinite && abs(product) < 9.2e18 ? Int64(product) : .min
        return scaled &+ nodes[n].flat
    }

    /// pprof's `RemoveRedundantEdges`: walking nodes from last to first, drop a node's lightest
    /// residual in-edges while their source still reaches the node another way.
    mutating func removeRedundantEdges() {
        var removed = Set<Int>()
        let ins = edgeLists().ins
        for n in order.reversed() {
            let sortedIns = sortedIndices(ins[n])
            for e in sortedIns.reversed() {
                if !edges[e].residual { break }
                if reachable(from: edges[e].source, to: n, without: e, ins: ins, removed: removed) { removed.insert(e) }
            }
        }
        edges = edges.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        adjacency = nil
    }

    private func sortedIndices(_ list: [Int]) -> [Int] {
        list.sorted { a, b in
            let x = edges[a], y = edges[b]
            if x.weight != y.weight { return abs(x.weight) > abs(y.weight) }
            if nodes[x.source].name != nodes[y.source].name { return nodes[x.source].name < nodes[y.source].name }
            return nodes[x.destination].name < nodes[y.destination].name
        }
    }

    /// Breadth-first search backwards from `target` over in-edges, skipping `skip`.
    private func reachable(from source: Int, to target: Int, without skip: Int, ins: [[Int]], removed: Set<Int>) -> Bool {
        var seen: Set<Int> = [target]
        var queue = [target]
        var head = 0
        while head < queue.count {
            let n = queue[head]
            head += 1
            for e in ins[n] where e != skip && !removed.contains(e) {
                let s = edges[e].source
                if seen.contains(s) { continue }
                if s == source { return true }
                seen.insert(s)
                queue.append(s)
            }
        }
        return false
    }

    /// Removes edges lighter than `cutoff` (visiting the in-edges of graph nodes); returns how many.
    mutating func trimEdges(below cutoff: Int64) -> Int {
        var inGraph = [Bool](repeating: false, count: nodes.count)
        for n in order { inGraph[n] = true }
        var dropped = 0
        edges.removeAll { e in
            guard inGraph[e.destination], abs(e.weight) < cutoff else { return false }
            dropped += 1
            return true
        }
        adjacency = nil
        return dropped
    }

    /// Indices of the edges into and out of each node, built when first needed after a change.
    private var adjacency: (ins: [[Int]], outs: [[Int]])?

    private mutating func edgeLists() -> (ins: [[Int]], outs: [[Int]]) {
        if let adjacency { return adjacency }
        var ins = [[Int]](repeating: [], count: nodes.count), outs = ins
        for (i, e) in edges.enumerated() {
            ins[e.destination].append(i)
            outs[e.source].append(i)
        }
        adjacency = (ins, outs)
        return (ins, outs)
    }

    /// Edges out of each node.
    public mutating func edgesOutOf(_ node: Int) -> [Edge] {
        edgeLists().outs[node].map { edges[$0] }
    }

    /// pprof's edge order: heaviest first, then by source and destination name.
    public func sorted(_ list: [Edge]) -> [Edge] {
        list.sorted { a, b in
            if a.weight != b.weight { return abs(a.weight) > abs(b.weight) }
            let (s1, s2) = (nodes[a.source].name, nodes[b.source].name)
            if s1 != s2 { return s1 < s2 }
            return nodes[a.destination].name < nodes[b.destination].name
        }
    }

    /// Edges into each node.
    public mutating func edgesInto(_ node: Int) -> [Edge] {
        edgeLists().ins[node].map { edges[$0] }
    }

    /// ` (inline)` when every in-edge is inline, ` (partial-inline)` when some are.
    mutating func inlineLabel(_ node: Int) -> String {
        var inline = false, notInline = false
        for e in edgesInto(node) { if e.inline { inline = true } else { notInline = true } }
        return inline ? (notInline ? " (partial-inline)" : " (inline)") : ""
    }
}
