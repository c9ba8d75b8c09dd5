/// An open-addressing hash set of samples keyed by a 64-bit hash of their stack: finds the
/// sample that holds an identical stack (the caller says what identical means) without a
/// dictionary of arrays.
struct StackTable {
    private var slots: [Int32] = Array(repeating: -1, count: 1024)
    private var hashes: [UInt64] = Array(repeating: 0, count: 1024)
    private var count = 0

    /// The sample with hash `hash` for which `isSame` holds, if any.
    @inline(__always)
    func find(hash: UInt64, where isSame: (Int) -> Bool) -> Int? {
        let mask = slots.count - 1
        var i = Int(hash & UInt64(mask))
        while slots[i] >= 0 {
            if hashes[i] == hash && isSame(Int(slots[i])) { return Int(slots[i]) }
            i = (i + 1) & mask
        }
        return nil
    }

    mutating func insert(hash: UInt64, sample: Int) {
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Int(hash & UInt64(mask))
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(truncatingIfNeeded: sample)
        hashes[i] = hash
        count += 1
    }

    private mutating func grow() {
        let oldSlots = slots, oldHashes = hashes
        slots = Array(repeating: -1, count: oldSlots.count * 2)
        hashes = Array(repeating: 0, count: oldSlots.count * 2)
        count = 0
        for (i, s) in oldSlots.enumerated() where s >= 0 { insert(hash: oldHashes[i], sample: Int(s)) }
    }
}
