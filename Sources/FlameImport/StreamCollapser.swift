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
        try feed(Array(chunk))
    }

    mutating func feed(_ bytes: [UInt8]) throws(ImportError) {
        carry += bytes
        guard kind == .perfScript, let end = Self.lastBlankLineEnd(carry[...]) else {
            try feedLines(upToLastNewline: true)
            return
        }
        var whole = carry[..<end]
        // The first sample decides the event type to keep: collapse it before splitting the work.
        while perf.knownEventFilter == nil, let first = whole.firstIndex(of: 0x0A).flatMap({ Self.firstBlankLineEnd(whole, from: $0) }) {
            try Self.lines(whole[..<first], into: &perf)
            whole = whole[first...]
        }
        if perf.knownEventFilter == nil || whole.count < Self.parallelThreshold {
            try Self.lines(whole, into: &perf)
        } else {
            try collapseOnTwoThreads(whole)
        }
        carry.removeSubrange(..<end)
        guard carry.count <= Self.maxLine else { throw .unreadable("\(formatName): a line longer than \(Self.maxLine >> 20) MiB") }
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
    static func firstBlankLineEnd(_ bytes: ArraySlice<UInt8>, from: Int) -> Int? {
        var i = from
        while i + 1 < bytes.endIndex {
            if bytes[i] == 0x0A && bytes[i + 1] == 0x0A { return i + 2 }
            i += 1
        }
        return nil
    }

    /// The end of the last `\n\n` (a blank line) in `bytes`.
    static func lastBlankLineEnd(_ bytes: ArraySlice<UInt8>) -> Int? {
        var i = bytes.endIndex - 1
        while i > bytes.startIndex {
            if bytes[i] == 0x0A && bytes[i - 1] == 0x0A { return i + 1 }
            i -= 1
        }
        return nil
    }

    /// Splits `bytes` (whole samples) at a blank line near the middle: the first half is
    /// collapsed here, the second on another thread by a helper keeping the same event type.
    private mutating func collapseOnTwoThreads(_ bytes: ArraySlice<UInt8>) throws(ImportError) {
        let middle = bytes.startIndex + bytes.count / 2
        guard let cut = Self.lastBlankLineEnd(bytes[..<middle]) else { try Self.lines(bytes, into: &perf); return }
        if helper == nil { helper = PerfScriptCollapser(options: options, eventFilter: perf.knownEventFilter) }
        nonisolated(unsafe) var second = helper!
        nonisolated(unsafe) var secondError: ImportError?
        let secondHalf = Array(bytes[cut...])
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            do { try Self.lines(secondHalf[...], into: &second) } catch { secondError = error as? ImportError ?? .unrecognizedFormat }
        }
        var firstError: ImportError?
        do { try Self.lines(bytes[..<cut], into: &perf) } catch { firstError = error }
        group.wait()
        helper = second
        if let error = firstError ?? secondError { throw error }
    }

    private static func lines(_ bytes: ArraySlice<UInt8>, into collapser: inout PerfScriptCollapser) throws(ImportError) {
        var start = bytes.startIndex
        while let nl = bytes[start...].firstIndex(of: 0x0A) {
            try collapser.line(bytes[start..<nl])
            start = nl + 1
        }
        if start < bytes.endIndex { try collapser.line(bytes[start...]) }
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
