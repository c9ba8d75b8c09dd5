import FlameModel
import FlameTrace
import Foundation

/// Reads profile files of any supported format, sniffing the format from the content
/// (gzip magic, protobuf shape, text lines), never from the file name.
public struct ProfileLoader: Sendable {
    /// Inputs that decompress to more than this many bytes are refused (gzip bombs).
    public var maxDecompressedBytes: Int
    /// How goroutine dumps become stacks.
    public var goroutines = GoroutineDumpParser()
    /// Keep each folded line as its own sample in input order (flame charts) instead of summing
    /// identical stacks.
    public var keepSampleOrder = false
    /// How `perf script` and DTrace text is collapsed into stacks.
    public var collapse = CollapseOptions()
    /// Which profile a Go execution trace gives; nil: its CPU samples if it has any, else `sync`.
    public var traceProfile: TraceProfileKind?

    public init(maxDecompressedBytes: Int = 4 << 30, goroutines: GoroutineDumpParser = GoroutineDumpParser()) {
        self.maxDecompressedBytes = maxDecompressedBytes
        self.goroutines = goroutines
    }

    
    /// A failure to load one file: the path and the reason, printed as one line.
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let reason: ImportError
        public var description: String { "\(path): \(reason)" }
    }

    /// Loads one file (`-` is standard input).
    public func load(path: String) throws(Failure) -> Profile {
        try load(paths: [path])
    }

    /// Loads several files. Folded files are concatenated (as flamegraph.pl reads several inputs);
    /// pprof files and goroutine dumps are merged (as pprof does); folded files cannot be mixed
    /// with the others.
    public func load(paths: [String]) throws(Failure) -> Profile {
        var folded = FoldedParser()
        folded.keepOrder = keepSampleOrder
        var sawFolded = false
        var pprofs: [Profile] = []
        for path in paths {
            do {
                let before = (folded.stackLines, folded.skippedLines, folded.deepStackLines)
                folded.startFile()
                guard let whole = try ingest(path, folded: &folded) else {
                    guard pprofs.isEmpty else { throw ImportError.unreadable("cannot mix pprof and folded inputs") }
                    folded.finish()
                    if let limit = folded.limitError { throw limit }
                    try Self.checkFolded(stacks: folded.stackLines - before.0, skipped: folded.skippedLines - before.1,
                                         deep: folded.deepStackLines - before.2, first: folded.firstSkipped)
                    sawFolded = true
                    continue
                }
                guard !sawFolded else { throw ImportError.unreadable("cannot mix pprof and folded inputs") }
                switch whole {
                case .pprof(let data):
                    guard PprofDecoder.looksLikeProfile(data) else { throw ImportError.unrecognizedFormat }
                    pprofs.append(try PprofDecoder.decode(data))
                case .heapText(let data): pprofs.append(try GoHeapTextParser.parse(data))
                case .goroutineDump(let data): pprofs.append(try goroutines.parse(data))
                case .trace(let data): pprofs.append(try traceProfile(of: Trace.streaming(data)))
                case .traceFile: pprofs.append(try traceProfile(of: try traceEvents(path: path)))
                case .gzippedTrace(let compressed): pprofs.append(try traceProfile(of: try gzippedTraceEvents(compressed)))
                case .folded, .collapsible: throw ImportError.unrecognizedFormat
                }
            } catch let error as ImportError {
                throw Failure(path: path, reason: error)
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure(path: path, reason: .unrecognizedFormat)
            }
        }
        let profile: Profile
        do {
            if pprofs.isEmpty { folded.mergePartitions() }
            profile = pprofs.isEmpty ? folded.profile() : pprofs.count == 1 ? pprofs[0] : try Profile.merge(pprofs)
            try profile.checkValueRange()
        } catch {
            throw Failure(path: paths.joined(separator: ", "), reason: .unreadable(error.description))
        }
        return profile
    }

    /// Folded input must really be `frames count` lines. It is no profile (the first bad line
    /// is named) when a third of its lines or more are not stacks, or when some are not and no
    /// stack has two frames (prose and `key: 12` files end lines in numbers too); otherwise bad
    /// lines are skipped with a note on standard error, as flamegraph.pl does.
    static func checkFolded(stacks: Int, skipped: Int, deep: Int, first: (line: Int, text: String)?) throws(ImportError) {
        let where_ = first.map { "line \($0.line) is not `frames count`: \"\(Self.printable($0.text))\"" } ?? ""
        if stacks == 0 { throw skipped > 0 ? .unreadable("not a profile: \(where_)") : .unreadable("no stacks found") }
        if skipped * 3 >= stacks + skipped || (skipped > 0 && deep == 0) {
            throw .unreadable("not a profile (\(skipped) of \(stacks + skipped) lines are not stacks): \(where_)")
        }
        if skipped > 0 { ImportWarnings.emit("skipped \(skipped) lines that are not `frames count`; the first: \(where_)") }
    }

    /// Text for a one-line message: control characters shown as `\xNN` (`TerminalText`).
    static func printable(_ s: String) -> String { TerminalText.escaped(s) }

    /// The events of a Go execution trace, checked to start like one. A file is read a chunk
    /// at a time each time the events are asked for, so it is never held whole; standard input
    /// is read into memory first, and a gzipped trace is decompressed a piece at a time.
    public func traceEvents(path: String) throws(Failure) -> Trace.EventSource {
        let input = try InputFile(path: path, limit: maxDecompressedBytes)
        let head = try input.next(1 << 16)
        if path != "-" && !Gzip.isGzip(head) {
            guard !head.isEmpty else { throw Failure(path: path, reason: .empty) }
            guard Trace.looksLikeTrace(head[...]) else { throw Failure(path: path, reason: Self.notATrace) }
            let limit = maxDecompressedBytes
            return Trace.streaming(size: input.size) { () throws(TraceError) -> Trace.Chunks in
                let file: InputFile
                do { file = try InputFile(path: path, limit: limit) } catch let failure as Failure { throw .input(failure.reason.description) } catch { throw .input("\(error)") }
                return { () throws(TraceError) -> [UInt8] in
                    do { return try file.next(1 << 22) } catch let failure as Failure { throw .input(failure.reason.description) } catch { throw .input("\(error)") }
                }
            }
        }
        var bytes = head
        while true {
            let more = try input.next(1 << 24)
            if more.isEmpty { break }
            bytes += more
        }
        guard !bytes.isEmpty else { throw Failure(path: path, reason: .empty) }
        guard Gzip.isGzip(bytes) else {
            guard Trace.looksLikeTrace(bytes[...]) else { throw Failure(path: path, reason: Self.notATrace) }
            return Trace.streaming(bytes)
        }
        do { return try gzippedTraceEvents(bytes) } catch { throw Failure(path: path, reason: error) }
    }

    /// The events of a gzipped trace, decompressed as they are read, on each reading: its
    /// header is checked from the first bytes, and no more than a piece of it is ever held.
    func gzippedTraceEvents(_ compressed: [UInt8]) throws(ImportError) -> Trace.EventSource {
        let limit = maxDecompressedBytes
        let first = try GzipReader(compressed, limit: limit).next(64)
        guard !first.isEmpty else { throw ImportError.empty }
        guard Trace.looksLikeTrace(first[...]) else { throw Self.notATrace }
        return Trace.streaming(size: nil) { () throws(TraceError) -> Trace.Chunks in
            let reader: GzipReader
            do throws(ImportError) { reader = try GzipReader(compressed, limit: limit) } catch { throw .input(error.description) }
            return { () throws(TraceError) -> [UInt8] in
                do throws(ImportError) { return try reader.next(1 << 22) } catch { throw .input(error.description) }
            }
        }
    }

    static let notATrace = ImportError.unreadable("not a Go execution trace (it has no `go 1.NN trace` header)")

    /// The profile of a Go execution trace that `traceProfile` asks for.
    func traceProfile(of source: @escaping Trace.EventSource) throws(ImportError) -> Profile {
        // The events are streamed into the profile, never all kept.
        var final: Trace?
        let counted: Profile
        do {
            counted = try Trace.profile(traceProfile ?? .sync, events: { consume throws(TraceError) in
                let trace = try source(consume)
                final = trace
                return trace
            })
        } catch {
            throw .unreadable(error.description)
        }
        guard let trace = final else { throw .unreadable("empty trace") }
        if let cut = trace.truncation { ImportWarnings.emit("trace: \(cut)") }
        let kind = traceProfile ?? (trace.cpuSamples.isEmpty ? .sync : .cpu)
        if traceProfile == nil {
            ImportWarnings.emit("trace: the \(kind.rawValue) profile (\(kind.summary)); choose another with --trace-profile \(TraceProfileKind.allCases.map(\.rawValue).joined(separator: "|"))")
        }
        if keepSampleOrder && kind != .cpu {
            ImportWarnings.emit("trace: a flame chart of the \(kind.rawValue) profile shows its stacks in the order each first blocked; the CPU samples (--trace-profile cpu) are in time order")
        }
        return kind == .cpu ? trace.cpuProfile(inTimeOrder: keepSampleOrder) : counted
    }

    enum Sniffed { case pprof([UInt8]), folded, goroutineDump([UInt8]), heapText([UInt8]), trace([UInt8]), traceFile, gzippedTrace([UInt8]), collapsible(StreamCollapser.Kind) }

    /// What a file is, from its first bytes (decompressed); nil when it is none of the formats.
    static func kind(of head: [UInt8]) -> Sniffed? {
        if Trace.looksLikeTrace(head[...]) { return .trace([]) }
        if looksLikeText(head) {
            if GoHeapTextParser.looksLikeHeapText(head) { return .heapText([]) }
            if GoroutineDumpParser.looksLikeDump(head) { return .goroutineDump([]) }
            if PerfScriptCollapser.looksLikePerfScript(head) { return .collapsible(.perfScript) }
            if DTraceCollapser.looksLikeDTrace(head) { return .collapsible(.dtrace) }
            return .folded
        }
        return PprofDecoder.mayStartProfile(head) ? .pprof([]) : nil
    }

    /// Feeds `head`, then the rest of `input`, to `collapser`.
    private func feedAll(_ input: InputFile, after head: [UInt8], to collapser: inout StreamCollapser) throws {
        var failure: ImportError?
        try input.forEachChunk(after: head) { chunk in
            do throws(ImportError) { try collapser.feed(chunk) } catch { failure = error }
            return failure == nil
        }
        if let failure { throw failure }
    }

    /// Reads one input. Folded stacks are streamed into `folded` as they are read or
    /// decompressed (nil is returned); other formats are returned whole. The format is decided
    /// from the first bytes, so anything else (zeros, a gzip bomb of noise) is refused after
    /// reading a few megabytes, not the whole input.
    func ingest(_ path: String, folded: inout FoldedParser) throws(Failure) -> Sniffed? {
        let input = try InputFile(path: path, limit: maxDecompressedBytes)
        let parts = ProcessInfo.processInfo.activeProcessorCount
        let head = try input.next(1 << 22)
        guard !head.isEmpty else { throw Failure(path: path, reason: .empty) }
        if Gzip.isGzip(head) {
            var compressed = head
            while true {
                let more = try input.next(1 << 22)
                if more.isEmpty { break }
                compressed += more
            }
            var kind: Sniffed?
            var buffer: [UInt8] = []
            var collapser: StreamCollapser?
            func decide() throws(ImportError) {
                guard let k = Self.kind(of: buffer) else { throw .unrecognizedFormat }
                kind = k
                if case .folded = k {
                    buffer.withUnsafeBytes { folded.feed($0, parts: parts) }
                    buffer = []
                } else if case .collapsible(let c) = k {
                    collapser = StreamCollapser(kind: c, options: collapse)
                    try collapser!.feed(buffer)
                    buffer = []
                }
            }
            do {
                try Gzip.inflate(compressed, limit: maxDecompressedBytes) { (chunk: UnsafeRawBufferPointer) throws(ImportError) -> Bool in
                    if case .folded = kind {
                        folded.feed(chunk, parts: parts)
                        return folded.limitError == nil
                    }
                    if collapser != nil {
                        try collapser!.feed(chunk)
                        return true
                    }
                    buffer.append(contentsOf: chunk)
                    if kind == nil && buffer.count >= 1 << 16 { try decide() }
                    // A trace is decompressed again as it is read (`gzippedTraceEvents`).
                    if case .trace = kind { return false }
                    return true
                }
                if kind == nil {
                    guard !buffer.isEmpty else { throw ImportError.empty }
                    try decide()
                }
                if var collapser { try finishCollapsing(&collapser, into: &folded, parts: parts) }
            } catch {
                throw Failure(path: path, reason: error as? ImportError ?? .unrecognizedFormat)
            }
            switch kind {
            case .folded, .collapsible: return nil
            case .pprof: return .pprof(buffer)
            case .heapText: return .heapText(buffer)
            case .goroutineDump: return .goroutineDump(buffer)
            case .trace, .traceFile, .gzippedTrace: return .gzippedTrace(compressed)
            case nil: throw Failure(path: path, reason: .unrecognizedFormat)
            }
        }
        guard let kind = Self.kind(of: head) else { throw Failure(path: path, reason: .unrecognizedFormat) }
        if case .collapsible(let c) = kind {
            var collapser = StreamCollapser(kind: c, options: collapse)
            do {
                try feedAll(input, after: head, to: &collapser)
                try finishCollapsing(&collapser, into: &folded, parts: parts)
            } catch let error as ImportError {
                throw Failure(path: path, reason: error)
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure(path: path, reason: .unrecognizedFormat)
            }
            return nil
        }
        if case .folded = kind {
            let big = input.size >= Progress.threshold
            if big { Progress.note("parsing \(path) (\(Progress.size(input.size)))…") }
            folded.expectedBytes = input.size
            try input.forEachChunk(after: head) { (chunk: UnsafeRawBufferPointer, next: ReadAhead) -> Bool in
                folded.feed(chunk, parts: parts, readAhead: next)
                return folded.limitError == nil
            }
            folded.finish()
            if big { Progress.note("parsed \(folded.sampleCount) distinct stacks; building the graph…") }
            return nil
        }
        // A trace file is read again, a chunk at a time, as its events are needed.
        if case .trace = kind, path != "-" { return .traceFile }
        var whole = head
        while true {
            let more = try input.next(1 << 22)
            if more.isEmpty { break }
            whole += more
        }
        switch kind {
        case .pprof: return .pprof(whole)
        case .heapText: return .heapText(whole)
        case .goroutineDump: return .goroutineDump(whole)
        case .trace: return .trace(whole)
        case .folded, .collapsible, .traceFile, .gzippedTrace: return nil
        }
    }

    /// Ends a `perf script` or DTrace input: notes on what was skipped, and its stacks handed to
    /// the folded parser as `stack count` lines.
    func finishCollapsing(_ collapser: inout StreamCollapser, into folded: inout FoldedParser, parts: Int) throws(ImportError) {
        let stacks = try collapser.finish()
        for note in stacks.notes(format: collapser.formatName) { ImportWarnings.emit(note) }
        guard !stacks.counts.isEmpty else { throw .unreadable("\(collapser.formatName): no samples") }
        stacks.foldedText().withUnsafeBytes { folded.feed($0, parts: parts) }
    }

    /// The folded stacks of one `perf script` or DTrace input (`flamegen collapse`), or nil when
    /// the file is of another format.
    public func collapsed(path: String) throws(Failure) -> CollapsedStacks? {
        let input = try InputFile(path: path, limit: maxDecompressedBytes)
        var head = try input.next(1 << 22)
        guard !head.isEmpty else { throw Failure(path: path, reason: .empty) }
        var rest: [UInt8] = []
        if Gzip.isGzip(head) {
            var compressed = head
            while true {
                let more = try input.next(1 << 22)
                if more.isEmpty { break }
                compressed += more
            }
            do {
                try Gzip.inflate(compressed, limit: maxDecompressedBytes) { (chunk: UnsafeRawBufferPointer) throws(ImportError) -> Bool in
                    rest.append(contentsOf: chunk)
                    return true
                }
            } catch {
                throw Failure(path: path, reason: error)
            }
            head = rest
            rest = []
        }
        guard case .collapsible(let c)? = Self.kind(of: head) else { return nil }
        var collapser = StreamCollapser(kind: c, options: collapse)
        do {
            try feedAll(input, after: head, to: &collapser)
            let stacks = try collapser.finish()
            for note in stacks.notes(format: collapser.formatName) { ImportWarnings.emit(note) }
            return stacks
        } catch let error as ImportError {
            throw Failure(path: path, reason: error)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(path: path, reason: .unrecognizedFormat)
        }
    }

    /// Text has no NUL and few control bytes (tab, newline, CR and form feed aside) in its head;
    /// protobuf is full of them. A stray control character in a frame name stays text.
    static func looksLikeText(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(4096)
        var control = 0
        for b in head where b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C {
            if b == 0 { return false }
            control += 1
        }
        return control * 50 <= head.count
    }
}
