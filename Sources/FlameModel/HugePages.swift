import Foundation

/// Big tables read at random (hash tables of millions of slots) are asked to be backed by
/// 2 MiB pages where the kernel allows it (transparent huge pages): one TLB entry then covers
/// 512 times the memory, and filling them takes 512 times fewer page faults.
public enum HugePages {
    /// Below this, a table is within the reach of the TLB's few thousand 4 KiB entries, and huge
    /// pages (zeroed 2 MiB at a time, compacted for) cost more than they save.
    public static let threshold = 16 << 20

    /// `count` zeros, in memory advised to be huge pages before it is touched when big.
    public static func zeroed(count: Int) -> [UInt64] {
        [UInt64](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress {
                advise(UnsafeMutableRawPointer(base), bytes: count * MemoryLayout<UInt64>.stride)
                memset(base, 0, count * MemoryLayout<UInt64>.stride)
            }
            initialized = count
        }
    }

    /// Advises the 2 MiB-aligned pages inside `bytes` bytes at `start` to be huge pages, when
    /// at least `threshold` bytes (a buffer written from start to end, like an output, pays
    /// from a few MiB: its pages fault in 2 MiB at a time instead of 4 KiB).
    public static func advise(_ start: UnsafeMutableRawPointer, bytes: Int, threshold: Int = threshold) {
        guard bytes >= threshold else { return }
        let huge = 2 << 20
        let first = (Int(bitPattern: start) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: start) + bytes) & ~(huge - 1)
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(aligned, end - first, MADV_HUGEPAGE)
    }

    /// Advises the capacity `array` has reserved beyond its elements (at least 4 MiB of it) to
    /// be huge pages: an array sized for a whole input then faults in 2 MiB at a time as it is
    /// appended to, and a reservation that was an overestimate costs only the pages touched.
    public static func adviseSpareCapacity<Element>(of array: inout [Element]) {
        let capacity = array.capacity
        array.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let spare = UnsafeMutableRawPointer(base + buffer.count)
            advise(spare, bytes: UnsafeMutableRawPointer(base + capacity) - spare, threshold: 4 << 20)
        }
    }
}
