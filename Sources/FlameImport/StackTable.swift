/// An open-addressing hash set of stacks (frame-id sequences) stored elsewhere in CSR form:
/// finds the sample that holds an identical stack without a dictionary of arrays.
struct StackTable {
    private var slots: [Int32] = Array(repeating: -1, count: 1024)
    private var hashes: [UInt64] = Array(repeating: 0, count: 1024)
    private var count = 0

    /// A 64-bit hash of frame ids (FNV-1a over the ids, then a final mix).
    static func hash(_ frames: ArraySlice<Int32>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for f in frames { h = (h ^ UInt64(UInt32(bitPattern: f))) &* 0x0000_0100_0000_01b3 }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        return h ^ (h >> 33) ^ UInt64(frames.count)
    }

    /// The sample whose stack (`frames[starts[s]..<starts[s+1]]`) equals `stack`, if any.
    func find(hash: UInt64, matching stack: ArraySlice<Int32>, in frames: [Int32], starts: [Int]) -> Int? {
        let mask = slots.count - 1
        var i = Int(hash & UInt64(mask))
        while slots[i] >= 0 {
            if hashes[i] == hash {
                let s = Int(slots[i])
                if frames[starts[s]..<starts[s + 1]].elementsEqual(stack) { return s }
            }
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
