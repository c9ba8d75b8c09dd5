import FlameImport
import FlameLayout
import FlameModel
import FlameRender
import FlameReport
import Foundation

/// `flamegen report`: one folder with everything a postmortem or CI job needs — `index.html`,
/// `summary.md`, `summary.json`, `top.txt`, and the flame and call graphs as SVG and PNG.
public struct ReportBundle: Sendable {
    public var inputs: ReportInputs
    public var directory: String
    public var sampleIndex: String?
    public var title: String?
    public static let topCount = 20

    public init(inputs: ReportInputs, directory: String) {
        self.inputs = inputs
        self.directory = directory
    }

    /// One row of the summary tables.
    struct Row: Encodable {
        let name: String
        let flat: Int64
        let cum: Int64
        let flatText: String
        let cumText: String
        let flatPercent: Double
        let cumPercent: Double
    }

    /// `summary.json`: a version-1 document of kind `summary` (docs/json.md).
    struct Summary: Encodable {
        let schema = JSONSchemaVersion.current
        let kind = "summary"
        let title: String
        let inputs: [String]
        let base: [String]
        let sampleType: String
        /// Unit of the raw values (`nanoseconds`, `bytes`, `count`).
        let unit: String
        let durationNanos: Int64
        let total: Int64
        let totalText: String
        /// With a base: the base's total, and the profile's own total (before subtraction).
        let baseTotal: Int64?
        let baseTotalText: String?
        let profileTotal: Int64?
        let profileTotalText: String?
        /// `profileTotal - baseTotal`, signed (`+7.37MB`).
        let changeText: String?
        let top: [Row]
        let grew: [Row]
        let shrank: [Row]
    }

    /// Builds the report in a new folder beside `directory`, then puts it in place: a failure
    /// leaves no half-made report and an earlier report untouched. A picture that cannot be
    /// made (a PNG too large, a graph too dense to lay out) is left out with a note.
    public func run() throws(AppError) {
        var options = ReportOptions()
        options.sampleIndex = sampleIndex
        // The inputs are read once, for every part of the report.
        let loaded = try inputs.load()
        let context = try inputs.context(options: options, sources: loaded.sources, bases: loaded.bases)
        let isDiff = !inputs.base.isEmpty || !inputs.diffBase.isEmpty
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        try Self.checkReplaceable(target)
        let work = target.deletingLastPathComponent().appendingPathComponent(".fg-report-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        } catch {
            throw AppError("\(directory): cannot create the report folder: \((error as NSError).localizedDescription)", exitCode: 1)
        }
        do throws(AppError) {
            try build(context: context, loaded: loaded, isDiff: isDiff, in: work.path)
            try Self.swap(work, into: target)
        } catch {
            try? FileManager.default.removeItem(at: work)
            throw error
        }
    }

    /// The files a report folder holds; an existing folder with anything else is not replaced.
    static let files = ["index.html", "summary.md", "summary.json", "top.txt", "flame.svg", "flame.png", "graph.svg", "graph.png"]

    static func checkReplaceable(_ target: URL) throws(AppError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw AppError("\(target.path): exists and is not a folder") }
        let present = (try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? []
        // A report's own names count only as regular files (not a folder or link named index.html).
        let foreign = present.filter { name in
            var info = stat()
            let path = target.appendingPathComponent(name).path
            return !files.contains(name) || lstat(path, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG
        }
        guard foreign.isEmpty else {
            throw AppError("\(target.path): holds files that are not part of a report (\(foreign.prefix(3).joined(separator: ", "))); choose an empty or new folder")
        }
    }

    /// Moves the finished folder into place (the old report, if any, is removed after).
    static func swap(_ work: URL, into target: URL) throws(AppError) {
        let old = target.deletingLastPathComponent().appendingPathComponent(".fg-old-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let hadOld = FileManager.default.fileExists(atPath: target.path)
        if hadOld, rename(target.path, old.path) != 0 {
            throw AppError("\(target.path): cannot replace: \(String(cString: strerror(errno)))", exitCode: 1)
        }
        if rename(work.path, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            if hadOld { rename(old.path, target.path) }
            throw AppError("\(target.path): cannot write: \(reason)", exitCode: 1)
        }
        if hadOld { try? FileManager.default.removeItem(at: old) }
    }

    private func build(context: ReportContext, loaded: (sources: [Profile], bases: [Profile]), isDiff: Bool, in directory: String) throws(AppError) {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        var notes: [String: String] = [:]

        // Pictures: one call tree for the three flame graphs, one layout for both call graphs.
        var flame = FlameJob(inputs: inputs.inputs, output: path("flame.svg"))
        flame.base = inputs.base + inputs.diffBase
        flame.tree.sampleIndex = sampleIndex
        flame.goroutines = inputs.goroutines
        flame.collapse = inputs.collapse
        flame.maxInputBytes = inputs.maxInputBytes
        let prepared: FlameJob.Prepared
        do {
            let profile = loaded.sources.count == 1 ? loaded.sources[0] : try Profile.merge(loaded.sources)
            let base = loaded.bases.isEmpty ? nil : try Profile.merge(loaded.bases)
            prepared = try flame.prepare(profile: profile, base: base)
        } catch let error as AppError {
            throw error
        } catch {
            throw AppError("\(inputs.inputs.joined(separator: ", ")): \(error)")
        }
        try OutputFile.write(try flame.render(prepared, to: path("flame.svg")), to: path("flame.svg"))
        do throws(AppError) {
            try OutputFile.write(try flame.render(prepared, to: path("flame.png")), to: path("flame.png"))
        } catch {
            notes["flame.png"] = "flame.png was left out: " + Self.reason(error)
        }
        var graphOptions = ReportOptions()
        graphOptions.sampleIndex = sampleIndex
        graphOptions.nodeCount = 80
        var graphSVG: String?
        do throws(AppError) {
            let graphs = try GraphJob(context: try derived(context, graphOptions), output: path("graph.svg"))
                .render(to: [path("graph.svg"), path("graph.png")])
            try OutputFile.write(graphs[0], to: path("graph.svg"))
            graphSVG = String(decoding: graphs[0], as: UTF8.self)
            try OutputFile.write(graphs[1], to: path("graph.png"))
        } catch {
            let note = (graphSVG != nil ? "graph.png was left out: " : "the call graph was left out: ") + Self.reason(error)
            notes[graphSVG != nil ? "graph.png" : "graph"] = note
        }

        // Tables.
        let top = TopReport(context: context)
        try OutputFile.write(Array(top.text().utf8), to: path("top.txt"))
        var allOptions = context.options
        allOptions.nodeFraction = 0
        allOptions.edgeFraction = 0
        let all = TopReport(context: try derived(context, allOptions))
        func row(_ r: TopReport.Row) -> Row {
            Row(name: r.name, flat: r.flat, cum: r.cum, flatText: r.flatText, cumText: r.cumText,
                flatPercent: r.flatPercent, cumPercent: r.cumPercent)
        }
        let grew = isDiff ? all.rows.filter { $0.flat > 0 }.sorted { $0.flat > $1.flat }.prefix(10).map(row) : []
        let shrank = isDiff ? all.rows.filter { $0.flat < 0 }.sorted { $0.flat < $1.flat }.prefix(10).map(row) : []
        let type = context.profile.sampleTypes[context.index]
        let name = title ?? Self.defaultTitle(context: context, inputs: inputs, isDiff: isDiff)
        let baseTotal = isDiff ? prepared.tree.baseTotal?.first : nil
        let profileTotal = isDiff ? prepared.tree.total.first : nil
        let summary = Summary(title: name, inputs: inputs.inputs, base: inputs.base + inputs.diffBase, sampleType: type.type,
                              unit: type.unit, durationNanos: context.profile.durationNanos, total: context.total,
                              totalText: context.format(context.total), baseTotal: baseTotal, baseTotalText: baseTotal.map(context.format),
                              profileTotal: profileTotal, profileTotalText: profileTotal.map(context.format),
                              changeText: profileTotal.map { after in
                                  let delta = after &- (baseTotal ?? 0)
                                  return (delta > 0 ? "+" : "") + context.format(delta)
                              },
                              top: top.rows.prefix(Self.topCount).map(row), grew: grew, shrank: shrank)
        try OutputFile.write(Array(JSONSchemaVersion.encode(summary).utf8), to: path("summary.json"))
        let present = Self.files.filter { $0 == "index.html" || $0 == "summary.md" || FileManager.default.fileExists(atPath: path($0)) }
        try OutputFile.write(Array(markdown(summary, header: top.header, present: present, notes: notes).utf8), to: path("summary.md"))
        var viewer = ViewJob(inputs: inputs, output: path("index.html"))
        viewer.sampleIndex = sampleIndex
        viewer.title = name
        let page = try viewer.render(summaryHTML: summaryHTML(summary, header: top.header, present: present, notes: notes),
                                     graph: .some(graphSVG), loaded: loaded)
        try OutputFile.write(page, to: path("index.html"))
        for note in notes.values.sorted() { ImportWarnings.emit(note) }
    }

    /// An error's message without the path it names (the note says which picture).
    static func reason(_ error: AppError) -> String {
        guard let colon = error.message.range(of: ": ") else { return error.message }
        return String(error.message[colon.upperBound...])
    }

    /// `context`'s profile under other options, without loading it again.
    private func derived(_ context: ReportContext, _ options: ReportOptions) throws(AppError) -> ReportContext {
        do { return try context.with(options) } catch { throw AppError("\(inputs.inputs.joined(separator: ", ")): \(error)") }
    }

    static func defaultTitle(context: ReportContext, inputs: ReportInputs, isDiff: Bool) -> String {
        let names = inputs.inputs.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
        if isDiff {
            return "\(names) vs \((inputs.base + inputs.diffBase).map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))"
        }
        return "\(names): \(context.profile.sampleTypes[context.index].type)"
    }

    // MARK: Markdown

    func markdown(_ s: Summary, header: [String], present: [String], notes: [String: String]) -> String {
        /// A name as a code span in a table cell: no backtick, pipe, line break or control
        /// character can end the span, the cell or the row.
        func cell(_ text: String) -> String {
            "`" + TerminalText.escaped(text).replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "|", with: "\\|") + "`"
        }
        var md = "# \(Self.markdownEscaped(s.title))\n\n"
        if let change = Self.beforeAfter(s) { md += "- Total: \(Self.markdownEscaped(change))\n" }
        for line in header { md += "- \(Self.markdownEscaped(line))\n" }
        md += "\n"
        if !s.grew.isEmpty || !s.shrank.isEmpty {
            md += "## Biggest changes\n\n| change (flat) | function |\n|---:|:---|\n"
            for r in s.grew { md += "| +\(r.flatText.hasPrefix("-") ? String(r.flatText.dropFirst()) : r.flatText) | \(cell(r.name)) |\n" }
            for r in s.shrank { md += "| \(r.flatText) | \(cell(r.name)) |\n" }
            md += "\n"
        }
        md += "## Top \(s.top.count) functions\n\n| flat | flat% | cum | cum% | function |\n|---:|---:|---:|---:|:---|\n"
        for r in s.top {
            md += "| \(r.flatText) | \(String(format: "%.2f%%", r.flatPercent)) | \(r.cumText) | \(String(format: "%.2f%%", r.cumPercent)) | \(cell(r.name)) |\n"
        }
        md += "\n## Flame graph\n\n"
        // Each picture links to its full-size (interactive) file.
        md += present.contains("flame.png") ? "[![Flame graph](flame.png)](flame.svg)\n\n" : "_\(Self.markdownEscaped(notes["flame.png"] ?? ""))_\n\n"
        md += "Interactive: [flame.svg](flame.svg)\n"
        md += "\n## Call graph\n\n"
        if present.contains("graph.png") { md += present.contains("graph.svg") ? "[![Call graph](graph.png)](graph.svg)\n\n" : "![Call graph](graph.png)\n\n" }
        for key in ["graph", "graph.png"] { if let note = notes[key] { md += "_\(Self.markdownEscaped(note))_\n\n" } }
        if present.contains("graph.svg") { md += "Vector: [graph.svg](graph.svg)\n" }
        return md
    }

    /// `17.47MB → 57.26MB (+39.79MB)` for a comparison with a base; nil for a single profile.
    static func beforeAfter(_ s: Summary) -> String? {
        guard let before = s.baseTotalText, let after = s.profileTotalText, let change = s.changeText else { return nil }
        return "\(before) → \(after) (\(change))"
    }

    static func markdownEscaped(_ s: String) -> String {
        var out = ""
        for ch in TerminalText.escaped(s) {
            if "\\`*_{}[]<>()#+!|".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    // MARK: HTML

    static func html(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(u.value < 0x20 && u != "\n" && u != "\t" ? "\u{FFFD}" : u)
            }
        }
        return out
    }

    /// The summary above the viewer on `index.html`: facts, biggest changes, the folder's files.
    func summaryHTML(_ s: Summary, header: [String], present: [String], notes: [String: String]) -> String {
        func table(_ rows: [Row]) -> String {
            var t = "<table class=\"fg-table\"><tr><th>change (flat)</th><th>cum</th><th class=\"name\">function</th></tr>\n"
            for r in rows {
                let cls = r.flat > 0 ? "fg-grew" : "fg-shrank"
                t += "<tr><td class=\"\(cls)\">\(r.flat > 0 ? "+" : "")\(Self.html(r.flatText))</td><td>\(Self.html(r.cumText))</td><td class=\"name\">\(Self.html(r.name))</td></tr>\n"
            }
            return t + "</table>"
        }
        var out = "<section class=\"fg-summary\">\n<p class=\"files\">Files: "
        out += present.map { "<a href=\"\($0)\">\($0)</a>" }.joined(separator: " ") + "</p>\n"
        out += "<dl class=\"facts\">"
        if let change = Self.beforeAfter(s) { out += "<dt>Before → after</dt><dd>\(Self.html(change))</dd>" }
        for line in header {
            if let colon = line.firstIndex(of: ":"), !line.hasPrefix("Showing"), !line.hasPrefix("Dropped") {
                out += "<dt>\(Self.html(String(line[..<colon])))</dt><dd>\(Self.html(String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))</dd>"
            } else {
                out += "<dt></dt><dd>\(Self.html(line))</dd>"
            }
        }
        out += "</dl>\n"
        if !s.grew.isEmpty { out += "<h2>Biggest growths</h2>\n" + table(s.grew) + "\n" }
        if !s.shrank.isEmpty { out += "<h2>Biggest shrinks</h2>\n" + table(s.shrank) + "\n" }
        for note in notes.values.sorted() { out += "<p class=\"fg-note\">\(Self.html(note))</p>\n" }
        return out + "<h2>Explore</h2>\n</section>"
    }
}
