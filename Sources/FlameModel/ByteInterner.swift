import CPrefetch
import Foundation

/// Interns byte strings (frame names read straight from input bytes) without creating a `String`
/// per occurrence: each distinct byte string is copied once into an arena and given a dense id.
public struct ByteInterner: Sendable {
    @usableFromInline var arena: [UInt8] = []
    @usableFromInline var starts: [Int] = []
    @usableFromInline var lengths: [Int32] = []
    /// Open addressing: 0 for an empty slot, else the hash's high 32 bits over `id + 1`, so
    /// that a probe passes other names without reading anything else.
    @usableFromInline var table: [UInt64]
    @usableFromInline var mask: Int
    /// Set when names were added by `appendUnindexed`: `table` lacks them until the next `intern`.
    @usableFromInline var unindexed = false

    public init(capacity: Int = 4096) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    @inlinable @inline(__always)
    static func slot(hash: UInt64, id: Int) -> UInt64 { hash & 0xFFFF_FFFF_0000_0000 | UInt64(id + 1) }

    @inlinable public var count: Int { starts.count }

    /// The bytes of all names together.
    public var byteCount: Int { arena.count }

    /// A fast 64-bit hash of `bytes`: FNV-1a-style steps over 8-byte words in four independent
    /// lanes for long inputs (32 bytes a step, so stacks and long names hash at four times the
    /// speed of one chain), two for the last 16, then a final mix of the lanes, the tail and
    /// the length.
    @inlinable @inline(__always)
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let prime: UInt64 = 0x100_0000_01b3
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var g: UInt64 = 0x8422_2325_cbf2_9ce4
        var u: UInt64 = 0x9e37_79b9_7f4a_7c15
        var v: UInt64 = 0x7f4a_7c15_9e37_79b9
        let n = bytes.count
        var tail: UInt64 = 0
        if let p = bytes.baseAddress {
            var i = 0
            while i + 32 <= n {
                h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* prime
                g = (g ^ p.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* prime
                u = (u ^ p.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)) &* prime
                v = (v ^ p.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) &* prime
                h ^= h >> 29
                g ^= g >> 29
                u ^= u >> 29
                v ^= v >> 29
                i += 32
            }
            if i + 16 <= n {
                h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* prime
                g = (g ^ p.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* prime
                h ^= h >> 29
                g ^= g >> 29
                i += 16
            }
            if i + 8 <= n {
                h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* prime
                h ^= h >> 29
                i += 8
            }
            if i < n {
                if n >= 8 {
                    // The last n - i bytes, read as the high end of the word that ends the input.
                    tail = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) >> UInt64(8 * (8 - (n - i)))
                } else {
                    for k in 0..<n { tail |= UInt64(p.load(fromByteOffset: k, as: UInt8.self)) << UInt64(8 * k) }
                }
            }
        }
        h = (h ^ tail ^ UInt64(n)) &* prime
        h ^= (g << 32 | g >> 32)
        if n >= 32 {
            h = (h ^ (u << 16 | u >> 48)) &* prime
            h ^= (v << 48 | v >> 16)
        }
        h ^= h >> 32
        h = h &* 0xd6e8_feb8_6659_fd93
        h ^= h >> 32
        return h
    }

    /// The id of `bytes`, adding it if new.
    @inlinable @inline(__always)
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        intern(bytes, hash: Self.hash(bytes))
    }

    /// The id of `bytes`, whose `hash(_:)` is `h`, adding it if new.
    @inlinable @inline(__always)
    public mutating func intern(_ bytes: UnsafeRawBufferPointer, hash h: UInt64) -> Int32 {
        if unindexed { index() }
        let tag = h & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = table[i]
            if slot == 0 { break }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                if equals(id, bytes) { return Int32(id) }
            }
            i = (i + 1) & mask
        }
        let id = starts.count
        starts.append(arena.count)
        lengths.append(Int32(bytes.count))
        arena.append(contentsOf: bytes)
        table[i] = Self.slot(hash: h, id: id)
        if starts.count * 2 > table.count { grow() }
        return Int32(id)
    }

    /// The id of `bytes`, whose `hash(_:)` is `h`, if it was interned (not appended unindexed).
    public func find(_ bytes: UnsafeRawBufferPointer, hash h: UInt64) -> Int32? {
        precondition(!unindexed, "find on names appended unindexed")
        let tag = h & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: h) & mask
        while table[i] != 0 {
            let slot = table[i]
            if slot & 0xFFFF_FFFF_0000_0000 == tag, equals(Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1, bytes) {
                return Int32(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
            }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds `bytes`, known not to be here yet, without placing it in the table: names put
    /// together from tables that are already distinct cost no lookup. The table is rebuilt at
    /// the next `intern`.
    public mutating func appendUnindexed(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let id = starts.count
        starts.append(arena.count)
        lengths.append(Int32(bytes.count))
        arena.append(contentsOf: bytes)
        unindexed = true
        return Int32(id)
    }

    /// Places every name in a table big enough for them.
    @usableFromInline mutating func index() {
        var size = table.count
        while size < starts.count * 2 { size <<= 1 }
        rehash(size: size)
    }

    /// The hash of `id`'s bytes (`hash(_:)`), computed again: keeping 8 bytes per name for
    /// the few times a table is rebuilt would cost more memory than the hashing costs time.
    public func hash(of id: Int32) -> UInt64 { withBytes(id) { Self.hash($0) } }

    /// Starts loading the table slot where a name of hash `hash` is looked for first.
    @inlinable @inline(__always)
    public func prefetch(hash: UInt64) {
        if unindexed { return }
        table.withUnsafeBufferPointer { flamegen_prefetch($0.baseAddress! + (Int(truncatingIfNeeded: hash) & mask)) }
    }

    /// The length in bytes of `id`.
    @inlinable @inline(__always)
    public func length(_ id: Int32) -> Int { Int(lengths[Int(id)]) }

    /// Whether `id`'s bytes are exactly `bytes`.
    @inlinable @inline(__always)
    public func matches(_ id: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool { equals(Int(id), bytes) }

    /// Whether the names `ids`, joined by `separator`, are exactly `bytes`.
    @inlinable
    public func spells(_ ids: UnsafeBufferPointer<Int32>, separator: UInt8, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !ids.isEmpty, let given = bytes.baseAddress else { return ids.isEmpty && bytes.isEmpty }
        return starts.withUnsafeBufferPointer { starts in
            lengths.withUnsafeBufferPointer { lengths in
                arena.withUnsafeBytes { arena in
                    let n = bytes.count
                    var position = 0
                    for k in ids.indices {
                        if k > 0 {
                            guard position < n, given.load(fromByteOffset: position, as: UInt8.self) == separator else { return false }
                            position += 1
                        }
                        let id = Int(ids[k])
                        let length = Int(lengths[id])
                        guard length <= n - position else { return false }
                        if length > 0 && !Self.same(arena.baseAddress! + starts[id], given + position, length) { return false }
                        position += length
                    }
                    return position == n
                }
            }
        }
    }

    /// Whether the `n` (> 0) bytes at `a` and `b` are the same: 8 at a time, the last word
    /// overlapping, for short names (nearly all).
    @inlinable @inline(__always)
    static func same(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        if n > 64 { return memcmp(a, b, n) == 0 }
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i += 8
            }
            return a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        for i in 0..<n where a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        return true
    }

    @inlinable @inline(__always)
    func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard Int(lengths[id]) == bytes.count else { return false }
        let start = starts[id]
        return arena.withUnsafeBytes { a in
            guard bytes.count > 0, let stored = a.baseAddress.map({ $0 + start }), let given = bytes.baseAddress else { return true }
            return Self.same(stored, given, bytes.count)
        }
    }

    /// Makes room for `names` names of `bytes` bytes in all without growing step by step.
    public mutating func reserve(names: Int, bytes: Int) {
        reserveStorage(names: names, bytes: bytes)
        var size = table.count
        while size < names * 2 { size <<= 1 }
        if size > table.count { rehash(size: size) }
    }

    /// Makes room for the bytes and ids of `names` names of `bytes` bytes in all, not for their
    /// table slots (for `appendUnindexed`).
    public mutating func reserveStorage(names: Int, bytes: Int) {
        arena.reserveCapacity(bytes)
        starts.reserveCapacity(names)
        lengths.reserveCapacity(names)
    }


    @usableFromInline mutating func grow() { rehash(size: table.count * 2) }

    private mutating func rehash(size: Int) {
        table = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for id in 0..<starts.count {
            let hash = hash(of: Int32(id))
            var i = Int(truncatingIfNeeded: hash) & mask
            while table[i] != 0 { i = (i + 1) & mask }
            table[i] = Self.slot(hash: hash, id: id)
        }
        unindexed = false
    }

    /// Whether every name is ASCII (then every name is valid UTF-8 on its own).
    public var isASCII: Bool {
        arena.withUnsafeBytes { bytes in
            var i = 0
            var high: UInt64 = 0
            while i + 8 <= bytes.count {
                high |= bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i += 8
            }
            while i < bytes.count { high |= UInt64(bytes[i]); i += 1 }
            return high & 0x8080_8080_8080_8080 == 0
        }
    }

    /// Calls `body` with the bytes of `id`.
    @inlinable
    public func withBytes<R>(_ id: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = starts[Int(id)], length = Int(lengths[Int(id)])
        return arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<start + length])) }
    }

    /// The bytes of `id` as a `String`; invalid UTF-8 is replaced by U+FFFD.
    public func string(_ id: Int32) -> String {
        let start = starts[Int(id)], length = Int(lengths[Int(id)])
        return String(decoding: arena[start..<start + length], as: UTF8.self)
    }
}
