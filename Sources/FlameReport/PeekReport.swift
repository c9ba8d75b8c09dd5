import FlameModel

/// pprof's `-peek REGEX` (and `-tree`): for each matching node, its callers with edge weights,
/// the node's own values, and its callees; edge percentages are against the node's cum.
/// Under `--mean` nodes show means but edges their raw weight, as pprof prints them.
public struct PeekReport: Sendable {
    /// A caller or callee of a node.
    public struct Link: Codable, Sendable {
        public let name: String
        public let weight: Int64
        public let weightText: String
        /// Share of the node's cum.
        public let percent: Double
        public let inline: Bool
    }

    /// A matching node with its callers and callees.
    public struct Entry: Codable, Sendable {
        public let name: String
        public let flat: Int64
        public let flatText: String
        public let flatPercent: Double
        public let sumPercent: Double
        public let cum: Int64
        public let cumText: String
        public let cumPercent: Double
        public let callers: [Link]
        public let callees: [Link]
    }

    public let header: [String]
    public let entries: [Entry]
    public let total: Int64
    public let totalText: String
    public let sampleType: String
    /// The unit of the raw values (`nanoseconds`, `bytes`, `count`).
    public let unit: String
    /// The unit values are printed in.
    public let displayUnit: String

    static let separator = "----------------------------------------------------------+-------------"
    static let legend = "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t "

    /// - Parameter pattern: only nodes whose name matches are shown; nil shows every node (`-tree`).
    /// - Throws: when the pattern is not a valid regex or matches no node.
    public init(context: ReportContext, pattern: String?) throws(ProfileError) {
        let regex = try pattern.map { p throws(ProfileError) in try NameRegex(p) }
        var context = context
        let trimmed = TrimmedGraph(context: context, sortByCum: context.options.cumulative)
        var graph = trimmed.graph
        context.selectUnit(for: graph)
        header = TopReport.labels(context: context, graph: graph, trimmed: trimmed, dotEdges: false)
        let total = context.total
        func pct(_ v: Int64, _ of: Int64) -> Double { of == 0 ? 0 : 100 * Double(v) / Double(abs(of)) }
        var flatSum: Int64 = 0
        var entries: [Entry] = []
        for n in graph.order {
            let node = graph.nodes[n]
            if let regex, !regex.matches(node.name) { continue }
            let flat = node.flatValue, cum = node.cumValue
            flatSum &+= flat
            func link(_ e: CallGraph.Edge, _ other: Int) -> Link {
                Link(name: graph.nodes[other].name, weight: e.weight, weightText: context.format(e.weight),
                     percent: pct(e.weight, cum), inline: e.inline)
            }
            entries.append(Entry(name: node.name, flat: flat, flatText: context.format(flat), flatPercent: pct(flat, total),
                                 sumPercent: pct(flatSum, total), cum: cum, cumText: context.format(cum), cumPercent: pct(cum, total),
                                 callers: graph.sorted(graph.edgesInto(n)).map { link($0, $0.source) },
                                 callees: graph.sorted(graph.edgesOutOf(n)).map { link($0, $0.destination) }))
        }
        if let pattern, entries.isEmpty { throw .badRegex("no matches found for regexp: \(pattern)") }
        self.entries = entries
        self.total = total
        totalText = context.format(total)
        sampleType = context.sampleTypeName
        unit = context.sampleUnit
        displayUnit = context.outputUnit
        printsSeparatorAtEnd = !graph.order.isEmpty
    }

    /// pprof ends the table with a separator when the graph has any node, matching or not.
    private let printsSeparatorAtEnd: Bool

    /// The report as `go tool pprof -peek` prints it.
    public func text() -> String {
        var out = header.joined(separator: "\n") + "\n"
        out += Self.separator + "\n" + Self.legend + "\n"
        var flatSum: Int64 = 0
        func linkLine(_ l: Link, _ cum: Int64) -> String {
            pad(l.weightText, 50) + " " + Units.percentage(l.weight, of: cum) + " |   " + TerminalText.escaped(l.name) + (l.inline ? " (inline)" : "") + "\n"
        }
        for e in entries {
            out += Self.separator + "\n"
            for l in e.callers { out += linkLine(l, e.cum) }
            flatSum &+= e.flat
            out += pad(e.flatText, 10) + " " + Units.percentage(e.flat, of: total) + " "
            out += Units.percentage(flatSum, of: total) + " " + pad(e.cumText, 10) + " "
            out += Units.percentage(e.cum, of: total) + "                | " + TerminalText.escaped(e.name) + "\n"
            for l in e.callees { out += linkLine(l, e.cum) }
        }
        if printsSeparatorAtEnd { out += Self.separator + "\n" }
        return out
    }

    /// The report as a version-1 JSON document (docs/json.md).
    public func json() -> String {
        struct Document: Encodable {
            let schema = JSONSchemaVersion.current
            let kind = "peek"
            let header: [String]
            let sampleType: String
            let unit: String
            let displayUnit: String
            let total: Int64
            let totalText: String
            let nodes: [Entry]
        }
        return JSONSchemaVersion.encode(Document(header: header, sampleType: sampleType, unit: unit, displayUnit: displayUnit,
                                                 total: total, totalText: totalText, nodes: entries))
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
}
