import FlameModel
import Foundation

/// pprof's `-top` report: one row per function with flat, flat%, sum%, cum, cum%.
public struct TopReport: Sendable {
    /// One row of the report.
    public struct Row: Codable, Sendable {
        public let name: String
        public let inline: String
        public let flat: Int64
        public let cum: Int64
        public let flatText: String
        public let cumText: String
        public let flatPercent: Double
        public let sumPercent: Double
        public let cumPercent: Double
        public let file: String
    }

    public let header: [String]
    public let rows: [Row]
    public let total: Int64
    /// The unit values are printed in (`s`, `MB`).
    public let unit: String
    /// The unit of the raw values (`nanoseconds`, `bytes`, `count`).
    public let sampleUnit: String
    /// The sample type (`mean_delay` under `--mean`).
    public let sampleType: String
    public let totalText: String

    public init(context: ReportContext) {
        var context = context
        let trimmed = TrimmedGraph(context: context, sortByCum: context.options.cumulative, labelsOnly: true)
        var graph = trimmed.graph
        context.selectUnit(for: graph)
        header = Self.labels(context: context, graph: graph, trimmed: trimmed, dotEdges: false)
        var rows: [Row] = []
        var flatSum: Int64 = 0
        let total = context.total
        func pct(_ v: Int64) -> Double { total == 0 ? 0 : 100 * Double(v) / Double(abs(total)) }
        for n in graph.order {
            let node = graph.nodes[n]
            let flat = node.flatValue, cum = node.cumValue
            flatSum &+= flat
            rows.append(Row(name: node.name, inline: graph.inlineLabel(n), flat: flat, cum: cum,
                            flatText: context.format(flat), cumText: context.format(cum),
                            flatPercent: pct(flat), sumPercent: pct(flatSum), cumPercent: pct(cum),
                            file: node.file))
        }
        self.rows = rows
        self.total = total
        unit = context.outputUnit
        sampleUnit = context.sampleUnit
        sampleType = context.sampleTypeName
        totalText = context.format(total)
    }

    /// The lines above the table (pprof's `reportLabels`).
    static func labels(context: ReportContext, graph: CallGraph, trimmed: TrimmedGraph, dotEdges: Bool) -> [String] {
        let o = context.options
        var lines = context.profileLabels()
        lines += context.activeFilters()
        let flatSum = graph.flatValueSum
        let pct = Units.percentage(flatSum, of: context.total).trimmingCharacters(in: .whitespaces)
        lines.append("Showing nodes accounting for \(context.format(flatSum)), \(pct) of \(context.format(context.total)) total")
        if context.total != 0 {
            func dropped(_ n: Int, _ what: String, _ measure: String, _ fraction: Double) -> String {
                let cut = context.format(Checked.goAbs(Checked.goInt64(Double(context.total) * fraction)))
                return "Dropped \(n) \(what)\(n > 1 ? "s" : "") (\(measure) <= \(cut))"
            }
            if trimmed.droppedNodes > 0 { lines.append(dropped(trimmed.droppedNodes, "node", "cum", o.nodeFraction)) }
            if dotEdges && trimmed.droppedEdges > 0 { lines.append(dropped(trimmed.droppedEdges, "edge", "freq", o.edgeFraction)) }
            if !graph.order.isEmpty && graph.order.count < trimmed.originalCount {
                lines.append("Showing top \(graph.order.count) nodes out of \(trimmed.originalCount)")
            }
        }
        return lines
    }

    /// The report as `go tool pprof -top` prints it.
    public func text() -> String {
        var out = header.joined(separator: "\n") + "\n"
        out += "      flat  flat%   sum%        cum   cum%\n"
        var flatSum: Int64 = 0
        for r in rows {
            flatSum &+= r.flat
            out += pad(r.flatText, 10) + " " + Units.percentage(r.flat, of: total) + " " + Units.percentage(flatSum, of: total)
            out += " " + pad(r.cumText, 10) + " " + Units.percentage(r.cum, of: total) + "  " + TerminalText.escaped(r.name) + r.inline + "\n"
        }
        return out
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    /// The report as a version-1 JSON document, for pipelines (docs/json.md).
    public func json() -> String {
        struct Document: Encodable {
            let schema = JSONSchemaVersion.current
            let kind = "top"
            let header: [String]
            let sampleType: String
            let unit: String
            let displayUnit: String
            let total: Int64
            let totalText: String
            let rows: [Row]
        }
        return JSONSchemaVersion.encode(Document(header: header, sampleType: sampleType, unit: sampleUnit, displayUnit: unit,
                                                 total: total, totalText: totalText, rows: rows))
    }
}
