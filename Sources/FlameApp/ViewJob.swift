import FlameImport
import FlameLayout
import FlameModel
import FlameRender
import FlameReport
import Foundation

/// `flamegen view` (and `-o x.html`): one self-contained HTML file with the interactive viewer.
/// Every sample type, the base (if any), the call graph and the annotated source travel in it.
public struct ViewJob: Sendable {
    public var inputs: ReportInputs
    public var output: String
    /// The sample type shown first.
    public var sampleIndex: String?
    /// The filters the viewer opens with (the user can change them in the page).
    public var filter = StackFilter()
    public var title: String?
    /// `--source-path` (with `--trim-path`): annotated source of the heaviest functions is included.
    public var sourcePath: [String] = []
    public var trimPath: String?
    /// A Go execution trace's timeline and goroutine analysis, shown in their own tabs.
    public var timelineSVG: String?
    public var goroutineTable: [[String]] = []
    /// How many functions get their source included.
    public static let sourceFunctions = 40
    /// The most frames of the static flame graph a page holds.
    static let staticFrames = 20_000

    public init(inputs: ReportInputs, output: String) {
        self.inputs = inputs
        self.output = output
    }

    public func run() throws(AppError) {
        try OutputFile.write(try render(), to: output)
    }

    /// The finished page. `graph` is a call graph already laid out (the report's), nil to lay
    /// one out here.
    public func render(summaryHTML: String = "", graph laidOut: String?? = nil,
                       loaded: (sources: [Profile], bases: [Profile])? = nil) throws(AppError) -> [UInt8] {
        var inputs = self.inputs
        // Goroutine states become labels: the viewer groups by them (so dumps are read again).
        if inputs.goroutines.state == .root && inputs.goroutines.waitBuckets.isEmpty { inputs.goroutines.state = .label }
        let reuse = loaded.map { !($0.sources + $0.bases).contains { $0.source == .goroutineDump } } ?? false
        let (sources, bases) = try reuse ? loaded! : inputs.load()
        let where_ = inputs.inputs.joined(separator: ", ")
        let profile: Profile, base: Profile?
        do {
            if let first = sources.first { try first.checkValueRange(alongside: Array(sources.dropFirst()) + bases) }
            profile = sources.count == 1 ? sources[0] : try Profile.merge(sources)
            base = bases.isEmpty ? nil : try Profile.merge(bases)
        } catch {
            throw AppError("\(where_): \(error)")
        }
        var options = ReportOptions()
        options.sampleIndex = sampleIndex
        let context = try inputs.context(options: options, sources: sources, bases: bases)

        var document = ViewerDocument(profile: profile, base: base)
        var flame = FlameJob(inputs: inputs.inputs, output: "-")
        flame.base = inputs.base + inputs.diffBase
        flame.tree.sampleIndex = sampleIndex
        flame.interactive = false
        let prepared = try flame.prepare(profile: profile, base: base)
        document.title = title ?? prepared.options.title
        document.subtitle = prepared.options.subtitle ?? ""
        document.header = context.profileLabels()
        document.defaultType = context.index
        document.initialFilter = filter
        if profile.source == .goroutineDump && inputs.goroutines.state == .label { document.initialGroup = "wait_state" }
        document.graphSVG = laidOut ?? graph(context)
        document.sources = sourcesOf(context)
        document.timelineSVG = timelineSVG
        document.goroutineTable = goroutineTable
        let data: [UInt8]
        do { data = try document.encode() } catch { throw AppError("\(where_): \(error)") }
        // The static flame graph is for readers without scripts: its widest frames are enough.
        var fallback = prepared
        fallback.options.maxFrames = Self.staticFrames
        fallback.warnOmitted = false
        let page = ViewerPage(title: document.title, subtitle: document.subtitle, summaryHTML: summaryHTML,
                              staticFlameSVG: String(decoding: try flame.render(fallback, to: "-"), as: UTF8.self),
                              top: TopReport(context: context))
        return page.render(data: data)
    }

    /// The call graph's SVG, or nil when it cannot be laid out (the viewer says so).
    private func graph(_ context: ReportContext) -> String? {
        var options = context.options
        options.nodeCount = 80
        guard let graphContext = try? context.with(options),
              let svg = try? GraphJob(context: graphContext, output: "graph.svg").render(to: ["graph.svg"]).first
        else { return nil }
        return String(decoding: svg, as: UTF8.self)
    }

    /// `flamegen list` of the heaviest functions, when a source path is given.
    private func sourcesOf(_ context: ReportContext) -> [(function: String, text: String)] {
        guard !sourcePath.isEmpty else { return [] }
        var options = context.options
        options.nodeFraction = 0
        options.cumulative = true
        guard let all = try? context.with(options) else { return [] }
        var result: [(function: String, text: String)] = []
        for row in TopReport(context: all).rows.prefix(Self.sourceFunctions) {
            var report = ListReport(context: context, pattern: "^" + NameRegex.quoted(row.name) + "$")
            report.sourcePath = sourcePath
            report.trimPath = trimPath
            if let text = try? report.text(), !text.contains("No source information") { result.append((row.name, text)) }
        }
        return result
    }
}
