/// An open-addressing hash map from `UInt64` keys to `Int32` values: the hot lookup of tree
/// building ("child of node P with frame F"), several times faster than `Dictionary` there.
public struct IntMap: Sendable {
    private var keys: [UInt64]
    private var vals: [Int32]
    private var mask: Int
    public private(set) var count = 0

    private static let empty = UInt64.max

    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: Self.empty, count: size)
        vals = Array(repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29) & mask
    }

    /// Where `key` stands: its value, or the free slot to `insert` it at.
    /// `key` must not be `UInt64.max`.
    @inline(__always)
    public func find(_ key: UInt64) -> (value: Int32?, slot: Int) {
        var i = Self.slot(key, mask)
        while true {
            let k = keys[i]
            if k == key { return (vals[i], i) }
            if k == Self.empty { return (nil, i) }
            i = (i + 1) & mask
        }
    }

    /// Stores `value` under `key` at the free `slot` that `find` just returned for it.
    @inline(__always)
    public mutating func insert(_ key: UInt64, _ value: Int32, at slot: Int) {
        keys[slot] = key
        vals[slot] = value
        count += 1
        if count * 2 > keys.count { grow() }
    }

    private mutating func grow() {
        let oldKeys = keys, oldVals = vals
        let size = keys.count * 2
        keys = Array(repeating: Self.empty, count: size)
        vals = Array(repeating: 0, count: size)
        mask = size - 1
        for (k, v) in zip(oldKeys, oldVals) where k != Self.empty {
            var i = Self.slot(k, mask)
            while keys[i] != Self.empty { i = (i + 1) & mask }
            keys[i] = k
            vals[i] = v
        }
    }
}
