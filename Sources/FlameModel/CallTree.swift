/// A prefix tree of stacks: one node per distinct path from the root, with the total value of the
/// samples passing through it and the self value of those ending there.
///
/// Node 0 is the synthetic root (all samples). Nodes are named by interned keys (`names`); the
/// frames that map to the same key under the chosen granularity share a node.
public struct CallTree: Sendable {
    /// Display name of each key.
    public private(set) var names: [String] = []
    public private(set) var nodeKey: [Int32] = [-1]
    public private(set) var parent: [Int32] = [-1]
    public private(set) var depth: [Int32] = [0]
    public private(set) var total: [Int64] = [0]
    public private(set) var selfValue: [Int64] = [0]
    /// For differential trees: the "before" total of each node (`total` holds "after").
    public private(set) var baseTotal: [Int64]?
    /// What a value is: its sample type and unit.
    public var sampleType: SampleType
    /// Values are fixed-point with this divisor (1 for integer data).
    public var valueDivisor: Int64 = 1
    private var childIndex = IntMap(capacity: 4096)

    public init(sampleType: SampleType, names: [String] = [], differential: Bool = false) {
        self.sampleType = sampleType
        self.names = names
        if differential { baseTotal = [0] }
    }

    public var nodeCount: Int { nodeKey.count }
    public var isDifferential: Bool { baseTotal != nil }

    /// Adds a display name and returns its key.
    public mutating func addName(_ name: String) -> Int32 {
        names.append(name)
        return Int32(names.count - 1)
    }

    /// The child of `node` named `key`, created if absent.
    @inline(__always)
    public mutating func child(of node: Int32, key: Int32) -> Int32 {
        let packed = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: key))
        return childIndex.value(for: packed) {
            let id = Int32(nodeKey.count)
            nodeKey.append(key)
            parent.append(node)
            depth.append(depth[Int(node)] + 1)
            total.append(0)
            selfValue.append(0)
            baseTotal?.append(0)
            return id
        }
    }

    /// Adds `value` (and `baseValue` for differential trees) along the path ending at `leaf`.
    @inline(__always)
    public mutating func add(_ value: Int64, base baseValue: Int64 = 0, at leaf: Int32) {
        selfValue[Int(leaf)] &+= value
        var n = leaf
        while n >= 0 {
            total[Int(n)] &+= value
            if baseTotal != nil { baseTotal![Int(n)] &+= baseValue }
            n = parent[Int(n)]
        }
    }

    /// Adds a stack of keys (root first) with its value.
    public mutating func add<S: Sequence>(stack: S, value: Int64, base: Int64 = 0) where S.Element == Int32 {
        var node: Int32 = 0
        for key in stack { node = child(of: node, key: key) }
        add(value, base: base, at: node)
    }

    /// The children of every node, each list sorted the way flamegraph.pl orders siblings
    /// (byte order of `name;`, which is the order of its sorted input lines).
    public func sortedChildren() -> [[Int32]] {
        let rank = nameRanks()
        var children = Array(repeating: [Int32](), count: nodeCount)
        for n in 1..<nodeCount { children[Int(parent[n])].append(Int32(n)) }
        for i in children.indices where children[i].count > 1 {
            children[i].sort { rank[Int(nodeKey[Int($0)])] < rank[Int(nodeKey[Int($1)])] }
        }
        return children
    }

    /// Rank of each key in byte order of `name + ";"`.
    private func nameRanks() -> [Int32] {
        let order = names.indices.sorted { a, b in
            let x = Array(names[a].utf8) + [0x3B], y = Array(names[b].utf8) + [0x3B]
            return x.lexicographicallyPrecedes(y)
        }
        var rank = Array(repeating: Int32(0), count: names.count)
        for (r, k) in order.enumerated() { rank[k] = Int32(r) }
        return rank
    }

    /// The cumulative value of each name: the sum of `total` over its outermost nodes only, so
    /// recursion is counted once (pprof's `cum`).
    public func cumulativeByName() -> [String: Int64] {
        var cum = Array(repeating: Int64(0), count: names.count)
        var onPath = Array(repeating: Int32(0), count: names.count)
        // Depth-first walk keeping a count of each key on the current path.
        let children = sortedChildren()
        var stack: [(node: Int32, entered: Bool)] = [(0, false)]
        while let (node, entered) = stack.popLast() {
            let key = nodeKey[Int(node)]
            if entered {
                if key >= 0 { onPath[Int(key)] -= 1 }
                continue
            }
            if key >= 0 {
                if onPath[Int(key)] == 0 { cum[Int(key)] &+= total[Int(node)] }
                onPath[Int(key)] += 1
            }
            stack.append((node, true))
            for c in children[Int(node)].reversed() { stack.append((c, false)) }
        }
        var result: [String: Int64] = [:]
        for (k, v) in cum.enumerated() { result[names[k], default: 0] += v }
        return result
    }
}
