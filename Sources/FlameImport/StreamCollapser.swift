import FlameModel

/// Feeds raw `perf script` or DTrace text, chunk by chunk, to its collapser one line at a time.
struct StreamCollapser {
    enum Kind: Sendable { case perfScript, dtrace }

    let kind: Kind
    private var perf: PerfScriptCollapser
    private var dtrace: DTraceCollapser
    private var carry: [UInt8] = []
    /// A line longer than this is refused (bounded memory on input without newlines).
    static let maxLine = 1 << 24

    init(kind: Kind, options: CollapseOptions) {
        self.kind = kind
        perf = PerfScriptCollapser(options: options)
        dtrace = DTraceCollapser(options: options)
    }

    var formatName: String { kind == .perfScript ? "perf script" : "DTrace" }

    mutating func feed(_ chunk: UnsafeRawBufferPointer) throws(ImportError) {
        try feed(Array(chunk))
    }

    mutating func feed(_ bytes: [UInt8]) throws(ImportError) {
        var start = 0
        for i in 0..<bytes.count where bytes[i] == 0x0A {
            if carry.isEmpty {
                try line(bytes[start..<i])
            } else {
                carry.append(contentsOf: bytes[start..<i])
                try line(carry[...])
                carry.removeAll(keepingCapacity: true)
            }
            start = i + 1
        }
        carry.append(contentsOf: bytes[start..<bytes.count])
        guard carry.count <= Self.maxLine else { throw .unreadable("\(formatName): a line longer than \(Self.maxLine >> 20) MiB") }
    }

    private mutating func line(_ l: ArraySlice<UInt8>) throws(ImportError) {
        switch kind {
        case .perfScript: try perf.line(l)
        case .dtrace: try dtrace.line(l)
        }
    }

    /// The collapsed stacks, once the input has ended.
    mutating func finish() throws(ImportError) -> CollapsedStacks {
        if !carry.isEmpty { try line(carry[...]) }
        switch kind {
        case .perfScript: try perf.finish(); return perf.result
        case .dtrace: try dtrace.finish(); return dtrace.result
        }
    }
}
