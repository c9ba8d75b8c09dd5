import FlameModel

/// pprof's `-peek REGEX` (and `-tree`): for each matching node, its callers with edge weights,
/// the node's own values, and its callees; edge percentages are against the node's cum.
/// Under `--mean` nodes show means but edges their raw weight, as pprof prints them.
public struct PeekReport: Sendable {
    public let context: ReportContext
    /// Only nodes whose name matches are printed; nil prints every node (`-tree`).
    public let pattern: String?

    static let separator = "----------------------------------------------------------+-------------"
    static let legend = "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t "

    public init(context: ReportContext, pattern: String?) {
        self.context = context
        self.pattern = pattern
    }

    public func text() throws(ProfileError) -> String {
        let regex = try pattern.map { p throws(ProfileError) in try NameRegex(p) }
        var context = self.context
        let trimmed = TrimmedGraph(context: context, sortByCum: context.options.cumulative)
        var graph = trimmed.graph
        context.selectUnit(for: graph)
        var out = TopReport.labels(context: context, graph: graph, trimmed: trimmed, dotEdges: false).joined(separator: "\n") + "\n"
        out += Self.separator + "\n" + Self.legend + "\n"
        let total = context.total
        var flatSum: Int64 = 0
        var matched = 0
        func edgeLine(_ weight: Int64, _ cum: Int64, _ name: String, _ inline: Bool) -> String {
            pad(context.format(weight), 50) + " " + Units.percentage(weight, of: cum) + " |   " + TerminalText.escaped(name) + (inline ? " (inline)" : "") + "\n"
        }
        for n in graph.order {
            let node = graph.nodes[n]
            let flat = node.flatValue, cum = node.cumValue
            if let regex, !regex.matches(node.name) { continue }
            matched += 1
            out += Self.separator + "\n"
            for e in graph.sorted(graph.edgesInto(n)) {
                out += edgeLine(e.weight, cum, graph.nodes[e.source].name, e.inline)
            }
            flatSum &+= flat
            out += pad(context.format(flat), 10) + " " + Units.percentage(flat, of: total) + " "
            out += Units.percentage(flatSum, of: total) + " " + pad(context.format(cum), 10) + " "
            out += Units.percentage(cum, of: total) + "                | " + TerminalText.escaped(node.name) + "\n"
            for e in graph.sorted(graph.edgesOutOf(n)) {
                out += edgeLine(e.weight, cum, graph.nodes[e.destination].name, e.inline)
            }
        }
        if !graph.order.isEmpty { out += Self.separator + "\n" }
        if regex != nil && matched == 0 { throw .badRegex("no matches found for regexp: \(pattern ?? "")") }
        return out
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
}
