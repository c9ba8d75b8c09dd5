import Foundation

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
    /// "Before" self values.
    private var baseSelf: [Int64] = [0]
    /// For differential trees: the "before" self value of each node.
    public var baseSelfValue: [Int64]? { baseTotal == nil ? nil : baseSelf }
    /// What a value is: its sample type and unit.
    public var sampleType: SampleType
    /// Values are fixed-point with this divisor (1 for integer data).
    public var valueDivisor: Int64 = 1
    private var childIndex = IntMap(capacity: 4096)
    /// Set once subtrees were grafted: `childIndex` no longer knows every node.
    private var sealed = false

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
        precondition(!sealed, "a grafted tree is complete")
        let packed = UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: key))
        let (found, slot) = childIndex.find(packed)
        if let found { return found }
        let id = newNode(under: node, key: key)
        childIndex.insert(packed, id, at: slot)
        return id
    }

    /// Appends a node named `key` under `node`.
    private mutating func newNode(under node: Int32, key: Int32) -> Int32 {
        let id = Int32(nodeKey.count)
        nodeKey.append(key)
        parent.append(node)
        depth.append(depth[Int(node)] + 1)
        selfValue.append(0)
        baseSelf.append(0)
        if isChart { lastChild.append(-1) }
        return id
    }

    /// Children were created in drawing order (name order, with hidden `selfKey` nodes holding
    /// the value of the siblings too narrow to draw): layouts take them as they are.
    public private(set) var isPresorted = false

    /// Appends a new child of `node` named `key` (for trees built in drawing order).
    mutating func appendChild(of node: Int32, key: Int32) -> Int32 {
        sealed = true
        isPresorted = true
        return newNode(under: node, key: key)
    }

    /// Flame-chart trees keep samples in time order: a stack only merges with the path of the
    /// stack just before it, and self time is a hidden child (key `CallTree.selfKey`) in sequence.
    public private(set) var isChart = false
    /// Last child created under each node (flame charts).
    private var lastChild: [Int32] = []
    /// Key of the hidden children that hold a flame chart's self time.
    public static let selfKey: Int32 = -1

    /// A tree for a flame chart (see `isChart`).
    public static func chart(sampleType: SampleType) -> CallTree {
        var tree = CallTree(sampleType: sampleType)
        tree.isChart = true
        tree.lastChild = [-1]
        return tree
    }

    /// Flame charts: the last child of `node` if it is named `key`, else a new one.
    public mutating func chartChild(of node: Int32, key: Int32) -> Int32 {
        let last = lastChild[Int(node)]
        if last >= 0 && nodeKey[Int(last)] == key { return last }
        let id = newNode(under: node, key: key)
        lastChild[Int(node)] = id
        return id
    }

    /// Adds `value` (and `baseValue` for differential trees) to the self value of `leaf`.
    /// Totals are computed by `finishTotals()` once every sample is in.
    @inline(__always)
    public mutating func addSelf(_ value: Int64, base baseValue: Int64 = 0, at leaf: Int32) {
        selfValue[Int(leaf)] &+= value
        if baseValue != 0 { baseSelf[Int(leaf)] &+= baseValue }
    }

    /// Appends the nodes of `other` (built with the same keys) under the root. The root frames
    /// of the two trees must differ. Lookups by `child(of:key:)` end here: the tree is complete.
    mutating func graft(_ other: CallTree) { graft(other, under: 0) }

    /// Appends the nodes of `other` (built with the same keys) with its root standing for `node`:
    /// its root's children become children of `node`, after those `node` has.
    mutating func graft(_ other: CallTree, under node: Int32) {
        sealed = true
        let offset = Int32(nodeCount - 1), depthOffset = depth[Int(node)]
        for i in 1..<other.nodeCount {
            nodeKey.append(other.nodeKey[i])
            parent.append(other.parent[i] == 0 ? node : other.parent[i] + offset)
            depth.append(other.depth[i] + depthOffset)
            selfValue.append(other.selfValue[i])
            baseSelf.append(other.baseSelf[i])
        }
        selfValue[Int(node)] &+= other.selfValue[0]
        baseSelf[Int(node)] &+= other.baseSelf[0]
    }

    /// Sets each node's total to its self value plus its children's totals. Children are always
    /// created after their parent, so one pass from the last node to the first suffices.
    public mutating func finishTotals() {
        total = selfValue
        for i in stride(from: nodeCount - 1, through: 1, by: -1) { total[Int(parent[i])] &+= total[i] }
        if baseTotal != nil {
            var base = baseSelf
            for i in stride(from: nodeCount - 1, through: 1, by: -1) { base[Int(parent[i])] &+= base[i] }
            baseTotal = base
        }
    }

    /// The children of every node, each list sorted the way flamegraph.pl orders siblings
    /// (byte order of `name;`, which is the order of its sorted input lines).
    public func sortedChildren() -> Children {
        var children = Children(tree: self)
        let rank = nameRanks()
        for n in 0..<nodeCount { children.sort(n, by: rank, keys: nodeKey) }
        return children
    }

    /// Children lists in one flat array (`offsets[n]..<offsets[n+1]` are the children of `n`).
    public struct Children: Sendable {
        public private(set) var offsets: [Int32]
        public private(set) var list: [Int32]
        private var sorted: [Bool]

        /// Children in creation order; `sort` orders one node's children on demand.
        public init(tree: CallTree) {
            let n = tree.nodeCount
            var counts = [Int32](repeating: 0, count: n + 1)
            for i in 1..<n { counts[Int(tree.parent[i]) + 1] += 1 }
            for i in 0..<n { counts[i + 1] += counts[i] }
            offsets = counts
            var fill = counts
            list = [Int32](repeating: 0, count: max(0, n - 1))
            for i in 1..<n {
                let p = Int(tree.parent[i])
                list[Int(fill[p])] = Int32(i)
                fill[p] += 1
            }
            sorted = [Bool](repeating: false, count: n)
        }

        public subscript(node: Int) -> ArraySlice<Int32> { list[Int(offsets[node])..<Int(offsets[node + 1])] }

        /// Sorts the children of `node` by the rank of their keys.
        mutating func sort(_ node: Int, by rank: [Int32], keys: [Int32]) {
            let lo = Int(offsets[node]), hi = Int(offsets[node + 1])
            guard hi - lo > 1, !sorted[node] else { return }
            func order(_ node: Int32) -> Int32 {
                let key = keys[Int(node)]
                return key < 0 ? Int32.min : rank[Int(key)]
            }
            list[lo..<hi].sort { order($0) < order($1) }
            sorted[node] = true
        }
    }

    /// Children lists where only the nodes passing `include` have their children sorted.
    public func children(sortingOnly include: (Int) -> Bool) -> Children {
        var children = Children(tree: self)
        let rank = nameRanks()
        for n in 0..<nodeCount where include(n) { children.sort(n, by: rank, keys: nodeKey) }
        return children
    }

    /// Rank of each key in byte order of `name + ";"`.
    func nameRanks() -> [Int32] { Self.ranks(of: names) }

    /// Rank of each name in byte order of `name + ";"`.
    static func ranks<Names: RandomAccessCollection<String>>(of names: Names) -> [Int32] where Names.Index == Int {
        // Sort keys: each name's bytes followed by `;`, all in one buffer, compared with memcmp.
        var bytes: [UInt8] = [], starts: [Int] = [0]
        starts.reserveCapacity(names.count + 1)
        for name in names {
            bytes.append(contentsOf: name.utf8)
            bytes.append(0x3B)
            starts.append(bytes.count)
        }
        let order = bytes.withUnsafeBufferPointer { buffer in
            (0..<names.count).sorted { a, b in
                let x = buffer.baseAddress! + starts[a], xn = starts[a + 1] - starts[a]
                let y = buffer.baseAddress! + starts[b], yn = starts[b + 1] - starts[b]
                let c = memcmp(x, y, min(xn, yn))
                return c != 0 ? c < 0 : xn < yn
            }
        }
        var rank = Array(repeating: Int32(0), count: names.count)
        for (r, k) in order.enumerated() { rank[k] = Int32(r) }
        return rank
    }

    /// Names the keys of a tree built before it had names: the keys its nodes use are renumbered
    /// densely in node order, each named by `name` of the old key.
    mutating func nameUsedKeys(keyCount: Int, _ name: (Int32) -> String) {
        var newKey = [Int32](repeating: -1, count: keyCount)
        for n in 1..<nodeCount where nodeKey[n] != Self.selfKey {
            let old = Int(nodeKey[n])
            if newKey[old] < 0 { newKey[old] = addName(name(Int32(old))) }
            nodeKey[n] = newKey[old]
        }
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
