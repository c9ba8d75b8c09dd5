import Foundation
import FlameModel

/// Feeds raw `perf script` or DTrace text, chunk by chunk, to its collapser one line at a time.
/// `perf script` text is cut at blank lines (sample boundaries) and collapsed on two threads once
/// the event type to keep is known; the parts' stacks are added up at the end.
struct StreamCollapser {
    enum Kind: Sendable { case perfScript, dtrace }

    let kind: Kind
    private let options: CollapseOptions
    private var perf: PerfScriptCollapser
    private var helper: PerfScriptCollapser?
    private var dtrace: DTraceCollapser
    private var carry: [UInt8] = []
    /// A line longer than this is refused (bounded memory on input without newlines).
    static let maxLine = 1 << 24
    /// Pieces smaller than this are collapsed on one thread.
    static let parallelThreshold = 1 << 20

    init(kind: Kind, options: CollapseOptions) {
        self.kind = kind
        self.options = options
        perf = PerfScriptCollapser(options: options)
        dtrace = DTraceCollapser(options: options)
    }

    var formatName: String { kind == .perfScript ? "perf script" : "DTrace" }

    mutating func feed(_ chunk: UnsafeRawBufferPointer) throws(ImportError) {
        guard kind == .perfScript else { try feed(Array(chunk)); return }
        try feedPerf(chunk.assumingMemoryBound(to: UInt8.self))
    }

    mutating func feed(_ bytes: [UInt8]) throws(ImportError) {
        guard kind == .dtrace else {
            var failure: ImportError?
            bytes.withUnsafeBufferPointer { buffer in
                do throws(ImportError) { try feedPerf(buffer) } catch { failure = error }
            }
            if let failure { throw failure }
            return
        }
        carry += bytes
        try feedLines(upToLastNewline: true)
    }

    /// Collapses the complete lines of `chunk` where they lie (after the unfinished line carried
    /// from the previous chunk); whole samples in the middle go to two threads.
    private mutating func feedPerf(_ chunk: UnsafeBufferPointer<UInt8>) throws(ImportError) {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
        var body = chunk[...]
        if !carry.isEmpty {
            guard let nl = memchr(base, 0x0A, chunk.count) else {
                carry += chunk
                guard carry.count <= Self.maxLine else { throw .unreadable("\(formatName): a line longer than \(Self.maxLine >> 20) MiB") }
                return
            }
            let end = UnsafeRawPointer(nl) - UnsafeRawPointer(base) + 1
            carry += chunk[..<end]
            try Self.lines(carry[...], into: &perf)
            carry.removeAll(keepingCapacity: true)
            body = chunk[end...]
        }
        guard let lastNewline = body.lastIndex(of: 0x0A) else {
            carry += body
            return
        }
        carry += chunk[(lastNewline + 1)...]
        guard carry.count <= Self.maxLine else { throw .unreadable("\(formatName): a line longer than \(Self.maxLine >> 20) MiB") }
        var rest = chunk[body.startIndex...lastNewline]
        // Finish the sample in progress, and the samples read until the event type is known,
        // on this thread.
        repeat {
            let first = Self.firstBlankLineEnd(rest, from: rest.startIndex) ?? rest.endIndex
            try Self.lines(UnsafeBufferPointer(rebasing: rest[..<first]), into: &perf)
            rest = rest[first...]
        } while perf.knownEventFilter == nil && !rest.isEmpty
        guard rest.count >= Self.parallelThreshold, let wholeEnd = Self.lastBlankLineEnd(rest) else {
            try Self.lines(UnsafeBufferPointer(rebasing: rest), into: &perf)
            return
        }
        try collapseOnTwoThreads(rest[..<wholeEnd])
        try Self.lines(UnsafeBufferPointer(rebasing: rest[wholeEnd...]), into: &perf)
    }

    /// Feeds the complete lines of `carry` to the sequential collapser.
    private mutating func feedLines(upToLastNewline: Bool) throws(ImportError) {
        guard let last = carry.lastIndex(of: 0x0A) else {
            guard carry.count <= Self.maxLine else { throw .unreadable("\(formatName): a line longer than \(Self.maxLine >> 20) MiB") }
            return
        }
        switch kind {
        case .perfScript: try Self.lines(carry[...last], into: &perf)
        case .dtrace: try Self.lines(carry[...last], into: &dtrace)
        }
        carry.removeSubrange(...last)
    }

    /// The end of the first `\n\n` at or after `from`.
    static func firstBlankLineEnd<C: Collection<UInt8>>(_ bytes: C, from: Int) -> Int? where C.Index == Int {
        var i = from
        while i + 1 < bytes.endIndex {
            if bytes[i] == 0x0A && bytes[i + 1] == 0x0A { return i + 2 }
            i += 1
        }
        return nil
    }

    /// The end of the last `\n\n` (a blank line) in `bytes`.
    static func lastBlankLineEnd<C: Collection<UInt8>>(_ bytes: C) -> Int? where C.Index == Int {
        var i = bytes.endIndex - 1
        while i > bytes.startIndex {
            if bytes[i] == 0x0A && bytes[i - 1] == 0x0A { return i + 1 }
            i -= 1
        }
        return nil
    }

    /// Splits `bytes` (whole samples) at a blank line near the middle: the first half is
    /// collapsed here, the second on another thread by a helper keeping the same event type.
    private mutating func collapseOnTwoThreads(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) throws(ImportError) {
        let middle = bytes.startIndex + bytes.count / 2
        guard let cut = Self.lastBlankLineEnd(bytes[..<middle]) else { try Self.lines(UnsafeBufferPointer(rebasing: bytes), into: &perf); return }
        if helper == nil { helper = PerfScriptCollapser(options: options, eventFilter: perf.knownEventFilter) }
        nonisolated(unsafe) var second = helper!
        nonisolated(unsafe) var secondError: ImportError?
        nonisolated(unsafe) let secondHalf = UnsafeBufferPointer(rebasing: bytes[cut...])
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            do { try Self.lines(secondHalf, into: &second) } catch { secondError = error as? ImportError ?? .unrecognizedFormat }
        }
        var firstError: ImportError?
        do { try Self.lines(UnsafeBufferPointer(rebasing: bytes[..<cut]), into: &perf) } catch { firstError = error }
        group.wait()
        helper = second
        if let error = firstError ?? secondError { throw error }
    }

    private static func lines(_ bytes: ArraySlice<UInt8>, into collapser: inout PerfScriptCollapser) throws(ImportError) {
        var failure: ImportError?
        bytes.withUnsafeBufferPointer { buffer in
            do throws(ImportError) { try lines(buffer, into: &collapser) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    private static func lines(_ buffer: UnsafeBufferPointer<UInt8>, into collapser: inout PerfScriptCollapser) throws(ImportError) {
        guard let base = buffer.baseAddress else { return }
        var start = 0
        while start < buffer.count, let nl = memchr(base + start, 0x0A, buffer.count - start) {
            let end = UnsafeRawPointer(nl) - UnsafeRawPointer(base)
            try collapser.line(bytes: buffer[start..<end])
            start = end + 1
        }
        if start < buffer.count { try collapser.line(bytes: buffer[start...]) }
    }

    private static func lines(_ bytes: ArraySlice<UInt8>, into collapser: inout DTraceCollapser) throws(ImportError) {
        var start = bytes.startIndex
        while let nl = bytes[start...].firstIndex(of: 0x0A) {
            try collapser.line(bytes[start..<nl])
            start = nl + 1
        }
        if start < bytes.endIndex { try collapser.line(bytes[start...]) }
    }

    /// The collapsed stacks, once the input has ended.
    mutating func finish() throws(ImportError) -> CollapsedStacks {
        switch kind {
        case .perfScript:
            if !carry.isEmpty { try Self.lines(carry[...], into: &perf) }
            if let helper {
                var h = helper
                try h.finish()
                try perf.absorb(h.result)
            }
            try perf.finish()
            return perf.result
        case .dtrace:
            if !carry.isEmpty { try Self.lines(carry[...], into: &dtrace) }
            try dtrace.finish()
            return dtrace.result
        }
    }
}
