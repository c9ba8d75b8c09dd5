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

    /// Faults in, on another thread, the pages of the capacity `array` has reserved beyond its
    /// elements: the thread that appends to it then finds them ready (for arrays sized for a
    /// whole input, filled for seconds). Only a hint: the array's bytes are never changed. At
    /// most the first 16 MiB: a reservation can be an overestimate.
    public static func prefaultSpareCapacity<Element>(of array: inout [Element]) {
        let capacity = array.capacity
        array.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let page = 4096
            let first = (Int(bitPattern: UnsafeMutableRawPointer(base + buffer.count)) + page - 1) & ~(page - 1)
            let end = min(first + (16 << 20), Int(bitPattern: UnsafeMutableRawPointer(base + capacity)) & ~(page - 1))
            guard end - first >= 1 << 20 else { return }
            let (start, bytes) = (first, end - first)
            DispatchQueue.global().async {
                // MADV_POPULATE_WRITE (Linux 5.14): faults the pages in as if written, keeping
                // any already written. Older kernels refuse it, and pages fault in as used.
                _ = madvise(UnsafeMutableRawPointer(bitPattern: start), bytes, 23)
            }
        }
    }
}
