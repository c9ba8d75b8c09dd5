import FlameModel

/// pprof's call graph: one node per function (or file, or line), with flat and cumulative
/// values, and weighted caller→callee edges. Built from the samples, like `graph.newGraph`:
/// cum counts once per node per sample, edge weights once per pair per sample, flat goes to
/// the leaf; paths through nodes that are not kept become residual edges.
public struct CallGraph: Sendable {
    /// A node: its printable name and values.
    public struct Node: Sendable {
        public let name: String
        /// Function name alone (without file or line).
        public let function: String
        public var flat: Int64 = 0
        public var cum: Int64 = 0
        /// Source file and line of the node (line granularity), for `list`.
        public let file: String
        public let line: Int64
    }

    /// An edge: caller → callee.
    public struct Edge: Sendable {
        public let source: Int
        public let destination: Int
        public var weight: Int64 = 0
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
    /// Node id of every frame of the profile.
    let nodeOfFrame: [Int32]

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
            nodes.append(Node(name: name, function: frame.name, file: frame.file, line: granularity == .lines ? frame.line : 0))
            return id
        }
        self.nodes = nodes
    }

    /// Builds the graph over the samples of `profile` for value `index`, keeping only the nodes
    /// in `kept` (all when nil). Nodes with zero flat and cum are left out of `order`.
    mutating func build(profile: Profile, index: Int, kept: [Bool]?) {
        for i in nodes.indices { nodes[i].flat = 0; nodes[i].cum = 0 }
        edges = []
        var edgeIndex = IntMap(capacity: 1024)
        var seen = [Int](repeating: -1, count: nodes.count)
        for s in 0..<profile.sampleCount {
            let w = profile.value(s, index)
            if w == 0 { continue }
            var parent: Int32 = -1
            var residual = false
            for f in profile.stack(s) {
                let n = nodeOfFrame[Int(f)]
                if n == -2 { continue } // an inlined frame under --noinlines: not a frame at all
                if let kept, !kept[Int(n)] { residual = true; continue }
                if seen[Int(n)] != s {
                    seen[Int(n)] = s
                    nodes[Int(n)].cum &+= w
                }
                if parent >= 0 && n != parent {
                    let key = UInt64(UInt32(parent)) << 32 | UInt64(UInt32(n))
                    let e = Int(edgeIndex.value(for: key) {
                        edges.append(Edge(source: Int(parent), destination: Int(n)))
                        return Int32(edges.count - 1)
                    })
                    if edges[e].lastSample != s {
                        edges[e].lastSample = s
                        edges[e].weight &+= w
                        if residual { edges[e].residual = true }
                        if !profile.frames[f].isInlined { edges[e].inline = false }
                    }
                }
                parent = n
                residual = false
            }
            if parent >= 0 && !residual { nodes[Int(parent)].flat &+= w }
        }
        order = nodes.indices.filter { (kept?[$0] ?? true) && (nodes[$0].flat != 0 || nodes[$0].cum != 0) }
        inEdges = nil
    }

    /// Sum of flat over the nodes in the graph.
    public var flatSum: Int64 { order.reduce(0) { $0 &+ nodes[$1].flat } }

    /// pprof's text sort: by |flat| (or |cum|), then name, then the other value.
    mutating func sort(byCum: Bool) {
        order.sort { a, b in
            let l = nodes[a], r = nodes[b]
            let (l1, r1, l2, r2) = byCum ? (abs(l.cum), abs(r.cum), abs(l.flat), abs(r.flat)) : (abs(l.flat), abs(r.flat), abs(l.cum), abs(r.cum))
            if l1 != r1 { return l1 > r1 }
            if l.name != r.name { return l.name < r.name }
            if l2 != r2 { return l2 > r2 }
            return a < b
        }
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
        inEdges = nil
        return dropped
    }

    private var inEdges: [[Int]]?

    /// Edges out of each node.
    public func edgesOutOf(_ node: Int) -> [Edge] {
        edges.filter { $0.source == node }
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
        if inEdges == nil {
            var lists = [[Int]](repeating: [], count: nodes.count)
            for (i, e) in edges.enumerated() { lists[e.destination].append(i) }
            inEdges = lists
        }
        return inEdges![node].map { edges[$0] }
    }

    /// ` (inline)` when every in-edge is inline, ` (partial-inline)` when some are.
    mutating func inlineLabel(_ node: Int) -> String {
        var inline = false, notInline = false
        for e in edgesInto(node) { if e.inline { inline = true } else { notInline = true } }
        return inline ? (notInline ? " (partial-inline)" : " (inline)") : ""
    }
}
