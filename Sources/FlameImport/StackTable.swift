import CPrefetch
import FlameModel

/// An open-addressing hash set of samples keyed by a 64-bit hash of their stack: finds the
/// sample that holds an identical stack (the caller says what identical means) without a
/// dictionary of arrays. Samples are added in order: 0, 1, 2, …
struct StackTable {
    /// 0 for an empty slot, else the hash's high 32 bits over `sample + 1`: a probe passes
    /// other stacks without reading anything else.
    private var slots: [UInt64] = Array(repeating: 0, count: 1024)
    /// The low 32 bits of each sample's hash: with the high 32 in its slot, the whole hash is
    /// known again when the table grows, at half the memory of keeping it.
    private var lowHashes: [UInt32] = []

    /// The hash of each sample.
    var hashes: [UInt64] {
        var whole = lowHashes.map(UInt64.init)
        for slot in slots where slot != 0 { whole[Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1] |= slot & 0xFFFF_FFFF_0000_0000 }
        return whole
    }

    /// The sample with hash `hash` for which `isSame` holds, if any.
    @inline(__always)
    func find(hash: UInt64, where isSame: (Int) -> Bool) -> Int? {
        let mask = slots.count - 1
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] != 0 {
            if slots[i] & 0xFFFF_FFFF_0000_0000 == tag {
                let sample = Int(truncatingIfNeeded: slots[i] & 0xFFFF_FFFF) - 1
                if isSame(sample) { return sample }
            }
            i = (i + 1) & mask
        }
        return nil
    }

    /// The first sample whose hash has the same high 32 bits as `hash` (the one `find` most
    /// likely returns), to ask for its data before it is compared.
    @inline(__always)
    func candidate(hash: UInt64) -> Int? {
        let mask = slots.count - 1
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] != 0 {
            if slots[i] & 0xFFFF_FFFF_0000_0000 == tag { return Int(truncatingIfNeeded: slots[i] & 0xFFFF_FFFF) - 1 }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Starts loading the slot where a stack of hash `hash` is looked for first.
    @inline(__always)
    func prefetch(hash: UInt64) {
        slots.withUnsafeBufferPointer { flamegen_prefetch($0.baseAddress! + (Int(truncatingIfNeeded: hash) & (slots.count - 1))) }
    }

    /// Adds the next sample (the count so far, below 2^32 - 1) with its stack's hash.
    mutating func append(hash: UInt64) {
        if (lowHashes.count + 1) * 2 > slots.count { grow() }
        place(sample: lowHashes.count, hash: hash)
        lowHashes.append(UInt32(truncatingIfNeeded: hash))
    }

    private mutating func place(sample: Int, hash: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(sample + 1)
    }

    /// Makes room for `samples` samples without growing step by step (the hashes for `room`).
    mutating func reserve(_ samples: Int, room: Int) {
        lowHashes.reserveCapacity(max(samples, room))
        var size = slots.count
        while size < samples * 2 { size <<= 1 }
        if size > slots.count { rehash(size: size) }
    }

    private mutating func grow() { rehash(size: slots.count * 2) }

    private mutating func rehash(size: Int) {
        let old = slots
        slots = [UInt64](repeating: 0, count: size)
        for slot in old where slot != 0 {
            let sample = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
            place(sample: sample, hash: slot & 0xFFFF_FFFF_0000_0000 | UInt64(lowHashes[sample]))
        }
    }
}
