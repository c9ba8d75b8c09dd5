import FlameApp
import FlameImport
import FlameLayout
import FlameModel
import FlameReport
import FlameTrace

/// What each libFuzzer target does with one input. The fuzz executables (Fuzz/Fuzz*/) call these,
/// and the test suite replays every recorded crasher through them (Fixtures/crashers/TARGET/).
/// A body returns normally or traps; errors thrown by the code under test are expected.
public enum FuzzBodies {
    /// Every target by name, as `make fuzz` names them.
    public static let targets: [String: @Sendable ([UInt8]) -> Void] = [
        "FuzzPprof": pprof, "FuzzGzip": gzip, "FuzzFolded": folded, "FuzzGoroutine": goroutine, "FuzzRegex": regex,
        "FuzzTemplate": template, "FuzzProfileShapes": profileShapes, "FuzzCollapse": collapse, "FuzzTrace": trace,
    ]

    /// A pprof profile: decoded, each sample type's tree built and its report header written.
    public static func pprof(_ bytes: [UInt8]) {
        guard let profile = try? PprofDecoder.decode(bytes) else { return }
        for i in profile.sampleTypes.indices {
            _ = try? CallTree.build(from: profile, options: TreeOptions(sampleIndex: String(i)))
            guard (try? profile.checkValueRange()) != nil else { continue }
            var options = ReportOptions()
            options.sampleIndex = String(i)
            if let context = try? ReportContext(profile: profile, options: options) { _ = context.profileLabels() }
        }
    }

    public static func gzip(_ bytes: [UInt8]) {
        _ = try? Gzip.decompress(bytes, limit: 1 << 20)
        if let reader = try? GzipReader(bytes, limit: 1 << 20) { while let piece = try? reader.next(97), !piece.isEmpty {} }
    }

    public static func folded(_ bytes: [UInt8]) {
        var parser = FoldedParser()
        bytes.withUnsafeBytes { parser.parse($0) }
        _ = try? CallTree.build(from: parser.profile())
    }

    public static func goroutine(_ bytes: [UInt8]) {
        _ = try? GoroutineDumpParser().parse(bytes)
    }

    /// A pattern, a NUL, and a subject: matched by RE2 as names and as a label filter.
    public static func regex(_ bytes: [UInt8]) {
        let cut = bytes.firstIndex(of: 0) ?? bytes.count
        let pattern = String(decoding: bytes[..<cut], as: UTF8.self)
        let subject = String(decoding: bytes[min(cut + 1, bytes.count)...], as: UTF8.self)
        if let regex = try? NameRegex(pattern) {
            _ = regex.matches(subject)
            _ = regex.matches(String(repeating: subject, count: 50))
        }
        let labels = [SampleLabel(key: "k", string: subject), SampleLabel(key: "bytes", number: Int64(bytes.count) << 40, numberUnit: "bytes")]
        if let filter = try? TagFilter(pattern, flag: "tagfocus", units: ["bytes": "bytes"]) { _ = filter.matches(labels) }
    }

    /// A template and two values (split at U+0001): output never exceeds the template plus one
    /// copy of a value per placeholder (no value is expanded again).
    public static func template(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.split(separator: "\u{1}", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        let template = parts[0]
        let values = ["flame": parts.count > 1 ? parts[1] : "{{graph}}", "graph": parts.count > 2 ? parts[2] : "{{flame}}", "title": "T"]
        let out = Template.fill(template, values)
        let placeholders = template.components(separatedBy: "{{").count
        let bound = template.utf8.count + placeholders * values.values.map(\.utf8.count).max()!
        precondition(out.utf8.count <= bound, "a value was expanded again")
    }

    /// Profiles written from the fuzzer's choices (extreme ids, values, units and header
    /// fields), through every report.
    public static func profileShapes(_ bytes: [UInt8]) {
        var input = Input(bytes)
        let encoded = ShapeGenerator.profile(&input)
        guard let profile = try? PprofDecoder.decode(encoded), (try? profile.checkValueRange()) != nil else { return }
        for i in profile.sampleTypes.indices {
            _ = try? CallTree.build(from: profile, options: TreeOptions(sampleIndex: String(i)))
            var options = ReportOptions()
            options.sampleIndex = String(i)
            options.filter.tagFocus = "k=v"
            if input.bool() { options.filter.hide = "f1" }
            if input.bool() { options.nodeFraction = Double(input.number()) / 1e3 }
            guard let context = try? ReportContext(profile: profile, options: options) else { continue }
            _ = TopReport(context: context).text()
            _ = try? TracesReport(context: context).text()
            _ = TagsReport(context: context).text()
            _ = DotGraph(context: context).dotText()
            _ = try? PeekReport(context: context, pattern: ".").text()
        }
    }

    /// perf script and DTrace text; the first byte chooses the collapse options.
    public static func collapse(_ bytes: [UInt8]) {
        var options = CollapseOptions()
        if let flags = bytes.first {
            options.includePid = flags & 1 != 0
            options.includeTid = flags & 2 != 0
            options.annotateKernel = flags & 4 != 0
            options.annotateJit = flags & 8 != 0
            options.includeAddrs = flags & 16 != 0
            options.includeOffset = flags & 32 != 0
            if flags & 64 != 0 { options.skipAfter = ["main"] }
        }
        var perf = PerfScriptCollapser(options: options)
        var dtrace = DTraceCollapser(options: options)
        for line in bytes.dropFirst().split(separator: 0x0A, omittingEmptySubsequences: false) {
            try? perf.line(line)
            try? dtrace.line(line)
        }
        try? perf.finish()
        try? dtrace.finish()
        _ = perf.result.foldedText()
        _ = dtrace.result.foldedText()
        _ = perf.result.notes(format: "perf script")
        _ = PerfScriptCollapser.looksLikePerfScript(bytes)
        _ = DTraceCollapser.looksLikeDTrace(bytes)
    }

    /// A Go execution trace, read whole and a few bytes at a time, through every analysis and
    /// picture; the first byte chooses the chunk size.
    public static func trace(_ bytes: [UInt8]) {
        let chunk = Int(bytes.first ?? 0) % 61 + 1
        let chunked = Trace.streaming(size: bytes.count) { () throws(TraceError) -> Trace.Chunks in
            var offset = 0
            return { () throws(TraceError) -> [UInt8] in
                defer { offset = min(bytes.count, offset + chunk) }
                return Array(bytes[offset..<min(bytes.count, offset + chunk)])
            }
        }
        _ = try? GoroutineAnalysis(events: chunked)
        if let mmu = try? MutatorUtilization(events: chunked, rules: .goToolTrace) {
            _ = MMULayout(mmu, title: "").layout()
            _ = mmu.worstWindows(window: max(1, (mmu.end - mmu.times[0]) / 3), count: 3)
        }
        _ = try? TimelineLayout(events: chunked, options: TimelineOptions()).layout()
        guard let trace = try? Trace.parse(bytes) else { return }
        for kind in TraceProfileKind.allCases { _ = trace.profile(kind) }
        let analysis = GoroutineAnalysis(trace)
        _ = analysis.groups
        _ = AnnotationTables(trace: trace, analysis: analysis)
    }
}
