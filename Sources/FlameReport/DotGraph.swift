import FlameModel
import Foundation

/// pprof's call graph, selected and styled exactly as `go tool pprof -dot` does (§3 of the
/// reference): entropy-ordered nodes N1…, labels `pkg / Func / flat (pct) / of cum (pct)`, font
/// 8–24 by √flat, red–grey–green colours by cum, edges weighted, pen width 1–6, residual edges
/// dotted, and the legend box.
public struct DotGraph: Sendable {
    /// A box of the graph.
    public struct Node: Sendable {
        public let id: Int
        /// Full printable name.
        public let name: String
        /// Label lines (name parts, then values).
        public let lines: [String]
        public let fontSize: Int
        public let color: String
        public let fillColor: String
        public let tooltip: String
        public let flat: Int64
        public let cum: Int64
    }

    /// An arrow between two boxes.
    public struct Edge: Sendable {
        public let from: Int
        public let to: Int
        /// Label lines: the value, and ` (inline)` for inlined calls.
        public let lines: [String]
        public let weight: Int
        public let penWidth: Int
        public let color: String
        public let tooltip: String
        public let residual: Bool
        public let value: Int64
    }

    /// A label box hanging off a node (pprof's nodelet): string labels or a range of sizes.
    public struct Nodelet: Sendable {
        /// `N3_0` (string labels) or `NN3_0` (sizes), and the box or node it hangs off.
        public let id: String
        public let parent: String
        /// Id of the graph node it belongs to.
        public let node: Int
        public let label: String
        /// Formatted weight: the edge label and the tooltip.
        public let weight: String
        /// Drawn dotted: a cumulative weight that differs from the flat one.
        public let dotted: Bool
    }

    public let title: String
    public let legend: [String]
    public let nodes: [Node]
    public let edges: [Edge]
    public let nodelets: [Nodelet]

    /// Names longer than this are cut in labels and tooltips: Graphviz refuses quoted strings
    /// beyond 16 KiB, and nobody reads such a box.
    static let maxName = 1000

    public init(context: ReportContext) {
        var context = context
        let trimmed = TrimmedGraph(context: context, sortByCum: false, visual: true)
        var graph = trimmed.graph
        context.selectUnit(for: graph)
        let total = context.total
        title = context.profile.mainBinary.isEmpty ? "unnamed" : context.profile.mainBinary
        // Profile comments and file names reach the legend: cut and cleaned like names, so that
        // `dot` accepts them (no NUL, no string over its 16 KiB limit).
        var legend = TopReport.labels(context: context, graph: graph, trimmed: trimmed, dotEdges: true).map(Self.safe)
        legend.append("")
        legend.append("See https://git.io/JfYMW for how to read the graph")

        var ids = [Int](repeating: 0, count: graph.nodes.count)
        var maxFlat = graph.order.first.map { abs(graph.nodes[$0].flatValue) } ?? 0
        for (i, n) in graph.order.enumerated() {
            ids[n] = i + 1
            maxFlat = max(maxFlat, abs(graph.nodes[n].flatValue))
        }
        let granularity = context.options.granularity
        var nodes: [Node] = []
        for n in graph.order {
            let node = graph.nodes[n]
            let flat = node.flatValue, cum = node.cumValue
            var lines = Self.nameLines(node, granularity: granularity)
            let flatText = context.format(flat)
            var values = flat != 0 ? "\(flatText) (\(Self.pct(flat, total)))" : "0"
            var cumText = flatText
            if cum != flat {
                cumText = context.format(cum)
                let of = "of \(cumText) (\(Self.pct(cum, total)))"
                if flat != 0 { lines.append(values); values = of } else { values += " " + of }
            }
            lines.append(values)
            var fontSize = 8
            if maxFlat != 0 && flat != 0 && abs(flat) <= maxFlat {
                fontSize += Int((16 * (Double(abs(flat)) / Double(maxFlat)).squareRoot()).rounded(.up))
            }
            let score = total == 0 ? 0 : Double(cum) / Double(abs(total))
            nodes.append(Node(id: ids[n], name: node.name, lines: lines, fontSize: fontSize,
                              color: Self.color(score, background: false), fillColor: Self.color(score, background: true),
                              tooltip: "\(Self.safe(node.name)) (\(cumText))", flat: flat, cum: cum))
        }
        self.nodes = nodes

        // Nodelets, as pprof's addNodelets: leaves show cumulative tag weights, others flat ones.
        var nodelets: [Nodelet] = []
        for n in graph.order {
            let id = ids[n]
            let tags = graph.keptTags(n, cutoff: trimmed.nodeCutoff)
            let flatTags = !graph.edgesOutOf(n).isEmpty
            func numeric(_ nts: [NodeTag], source: String) {
                for (j, t) in NodeTag.collapsed(nts, count: NodeTag.maxNodelets, flat: flatTags).enumerated() {
                    let plain = flatTags || t.flatValue == t.cumValue
                    let w = plain ? t.flatValue : t.cumValue
                    if w == 0 { continue }
                    nodelets.append(Nodelet(id: "N\(source)_\(j)", parent: source, node: id, label: Self.safeLines(t.name),
                                            weight: context.format(w), dotted: !plain))
                }
            }
            let labelTags = NodeTag.sorted(tags.filter { !$0.numeric }, flat: flatTags).prefix(NodeTag.maxNodelets)
            for (i, t) in labelTags.enumerated() {
                let w = flatTags ? t.flatValue : t.cumValue
                if w == 0 { continue }
                nodelets.append(Nodelet(id: "N\(id)_\(i)", parent: "N\(id)", node: id, label: Self.safeLines(t.name),
                                        weight: context.format(w), dotted: false))
                let grouped = tags.filter { $0.numeric && $0.labels == t.name }
                if !grouped.isEmpty { numeric(grouped, source: "N\(id)_\(i)") }
            }
            let plain = tags.filter { $0.numeric && $0.labels.isEmpty }
            if !plain.isEmpty { numeric(plain, source: "N\(id)") }
        }
        self.nodelets = nodelets

        var edges: [Edge] = []
        for e in graph.sorted(graph.edges) where ids[e.source] != 0 && ids[e.destination] != 0 {
            let value = e.weightValue
            let w = context.format(value)
            var weight = 1, pen = 1
            var color = ""
            if total != 0 {
                weight = 1 + Int(min(abs(value.multipliedReportingOverflow(by: 100).partialValue / total), 100))
                pen = 1 + Int(min(abs(value.multipliedReportingOverflow(by: 5).partialValue / total), 5))
                color = Self.color(Double(value) / Double(abs(total)), background: false)
            }
            let arrow = e.residual ? "..." : "->"
            let tooltip = "\(Self.safe(graph.nodes[e.source].name)) \(arrow) \(Self.safe(graph.nodes[e.destination].name)) (\(w))"
            edges.append(Edge(from: ids[e.source], to: ids[e.destination], lines: e.inline ? [" " + w, " (inline)"] : [" " + w],
                              weight: weight, penWidth: pen, color: color, tooltip: tooltip, residual: e.residual, value: value))
        }
        // Graphviz's layout time grows steeply with edges (80 nodes and 6,000 edges never
        // finish): beyond the budget, keep each node's heaviest edge in and out, then the
        // heaviest of the rest, and say how many were dropped.
        if edges.count > Self.maxEdges {
            var keep = [Bool](repeating: false, count: edges.count)
            var hasIn = Set<Int>(), hasOut = Set<Int>()
            for (i, e) in edges.enumerated() {
                if hasIn.insert(e.to).inserted { keep[i] = true }
                if hasOut.insert(e.from).inserted { keep[i] = true }
            }
            var kept = keep.filter { $0 }.count
            for i in edges.indices where !keep[i] && kept < Self.maxEdges {
                keep[i] = true
                kept += 1
            }
            let dropped = edges.count - kept
            edges = edges.indices.filter { keep[$0] }.map { edges[$0] }
            legend.insert("Dropped \(dropped) edges to keep the graph drawable (at most \(Self.maxEdges))", at: max(0, legend.count - 2))
        }
        self.legend = legend
        self.edges = edges
    }

    /// The most edges handed to Graphviz.
    public static let maxEdges = 150

    static func pct(_ v: Int64, _ total: Int64) -> String {
        Units.percentage(v, of: total).trimmingCharacters(in: .whitespaces)
    }

    /// Names cut to `maxName` characters, control characters replaced.
    static func safe(_ name: String) -> String {
        var s = name.count > maxName ? String(name.prefix(maxName)) + "…" : name
        if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            s = String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\u{FFFD}" : $0 }))
        }
        return s
    }

    /// A label of several lines (`\n`), each cut and cleaned like a name: a box wider than
    /// Graphviz can lay out (edges over 65535 points) is never made.
    static func safeLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { safe(String($0)) }.joined(separator: "\n")
    }

    /// pprof's `multilinePrintableName`: the short name split at `::` and `.`, then the file
    /// position at line granularity.
    static func nameLines(_ node: CallGraph.Node, granularity: Granularity) -> [String] {
        // Frames without a function are named after their binary (`[libc.so]`) or `<unknown>`.
        if node.file.isEmpty && (node.function == "<unknown>" || (node.function.hasPrefix("[") && node.function.hasSuffix("]"))) {
            return [safe(node.function)]
        }
        if node.function.isEmpty && (granularity == .functions || node.file.isEmpty) { return ["<unknown>"] }
        var name = safe(ShortName.shorten(node.function))
        name = name.replacingOccurrences(of: "::", with: "\n").replacingOccurrences(of: "[...]", with: "[…]")
            .replacingOccurrences(of: ".", with: "\n")
        var lines = name.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let file = (node.file as NSString).lastPathComponent
        switch granularity {
        case .lines where node.line != 0: lines.append("\(file):\(node.line)")
        case .filefunctions where !file.isEmpty: lines.append(file)
        case .files: lines = [file.isEmpty ? name : file]
        default: break
        }
        return lines
    }

    /// pprof's `dotColor`: red for positive, green for negative, grey near zero.
    public static func color(_ score: Double, background: Bool) -> String {
        var saturation = background ? 0.1 : 1.0
        let value = background ? 0.93 : 0.7
        var score = max(-1, min(1, score))
        if abs(score) < 0.2 { saturation *= abs(score) / 0.2 }
        if score > 0 { score = pow(score, 0.3) }
        if score < 0 { score = -pow(-score, 0.3) }
        var r: Double, g: Double
        if score < 0 { g = value; r = value * (1 + saturation * score) } else { r = value; g = value * (1 - saturation * score) }
        let b = value * (1 - saturation)
        func byte(_ x: Double) -> String {
            let v = UInt8(clamping: Int((x * 255).rounded(.towardZero)))
            return String(v, radix: 16).count == 1 ? "0" + String(v, radix: 16) : String(v, radix: 16)
        }
        return "#" + byte(r) + byte(g) + byte(b)
    }

    /// Graphviz's scanner refuses a quoted string of 16 KiB or more ("longer than 16384?").
    static let maxQuoted = 16_000

    /// An escaped string between quotes, cut below `maxQuoted` bytes at a whole character
    /// (never inside an escape) and ended with `…` when it was longer.
    static func quoted(_ escaped: String) -> String {
        guard escaped.utf8.count > maxQuoted else { return "\"" + escaped + "\"" }
        var out = "", bytes = 0
        for ch in escaped {
            bytes += ch.utf8.count
            if bytes > maxQuoted - 3 { break }
            out.append(ch)
        }
        // An odd run of backslashes at the end would escape the closing quote.
        if out.reversed().prefix(while: { $0 == "\\" }).count % 2 == 1 { out.removeLast() }
        return "\"" + out + "…\""
    }

    /// The graph in Graphviz's language, as pprof writes it (minus nodelets). Every string goes
    /// through `quoted`: names, labels (tags of any length), tooltips, legend and title.
    public func dotText() -> String {
        /// pprof's `escapeForDot`: backslashes and quotes escaped, newlines as left-justified breaks.
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\l")
        }
        let q = Self.quoted
        var out = "digraph \(q(esc(title))) {\nnode [style=filled fillcolor=\"#f8f8f8\"]\n"
        if let first = legend.first {
            let label = legend.map { esc($0) }.joined(separator: "\\l") + "\\l"
            out += "subgraph cluster_L { \(q(esc(first))) [shape=box fontsize=16 label=\(q(label))"
            out += title == "unnamed" ? "] }\n" : " tooltip=\(q(esc(title)))] }\n"
        }
        var nodeletsOf: [Int: [Nodelet]] = [:]
        for t in nodelets { nodeletsOf[t.node, default: []].append(t) }
        for n in nodes {
            let label = n.lines.map(esc).joined(separator: "\\n")
            out += "N\(n.id) [label=\(q(label)) id=\"node\(n.id)\" fontsize=\(n.fontSize) shape=box tooltip=\(q(esc(n.tooltip))) color=\"\(n.color)\" fillcolor=\"\(n.fillColor)\"]\n"
            for t in nodeletsOf[n.id] ?? [] {
                // Several labels of one nodelet are separate lines (`\n`), each escaped.
                let label = t.label.split(separator: "\n", omittingEmptySubsequences: false).map { esc(String($0)) }.joined(separator: "\\n")
                let weight = q(esc(t.weight))
                out += "\(t.id) [label = \(q(label)) id=\"\(t.id)\" fontsize=8 shape=box3d tooltip=\(weight)]\n"
                out += "\(t.parent) -> \(t.id) [label=\(q(" " + esc(t.weight))) weight=100 tooltip=\(weight) labeltooltip=\(weight)\(t.dotted ? " style=\"dotted\"" : "")]\n"
            }
        }
        for e in edges {
            var attr = "label=\(q(e.lines.map(esc).joined(separator: "\\n")))"
            if e.weight > 1 { attr += " weight=\(e.weight)" }
            if e.penWidth > 1 { attr += " penwidth=\(e.penWidth)" }
            if !e.color.isEmpty { attr += " color=\"\(e.color)\"" }
            attr += " tooltip=\(q(esc(e.tooltip))) labeltooltip=\(q(esc(e.tooltip)))"
            if e.residual { attr += " style=\"dotted\"" }
            if nodeletsOf[e.from] != nil { attr += " minlen=2" }
            out += "N\(e.from) -> N\(e.to) [\(attr)]\n"
        }
        return out + "}\n"
    }
}
