import CGraphviz
import FlameReport
import Foundation

/// Lays out pprof's call graph with Graphviz's `dot` engine, in process, and turns the result
/// into a Scene: boxes, splines with arrowheads, labels, the legend, a tooltip on each.
public struct CallGraphLayout: Sendable {
    /// Graphviz keeps global state: one layout at a time.
    private static let lock = NSLock()
    static let fontName = "DejaVu Sans"
    static let margin = 8.0
    /// Graphviz's vertical label margin in a node box (0.055 in).
    static let labelMargin = 4.0
    /// pprof draws zero-flat nodes at 8 pt; flamegen draws them at 10 so every label is readable at 100%.
    static let minimumFontSize = 10

    public init() {}

    /// A failure inside Graphviz, reported as what it is.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public func layout(_ graph: DotGraph) throws(Failure) -> Scene {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        guard let gvc = gvContext() else { throw Failure(description: "Graphviz: could not create a context") }
        defer { gvFreeContext(gvc) }
        // Graphviz's errors are kept (not printed) and turned into ours after the layout.
        _ = agreseterrors()
        let previousLevel = agseterr(AGMAX)
        defer { _ = agseterr(previousLevel) }
        // The fields of Graphviz's `Agdirected` descriptor.
        var descriptor = Agdesc_t()
        descriptor.directed = 1
        descriptor.maingraph = 1
        guard let g = Self.c("callgraph", { agopen($0, descriptor, nil) }) else {
            throw Failure(description: "Graphviz: could not create a graph")
        }
        defer { agclose(g) }
        func set(_ object: UnsafeMutableRawPointer?, _ name: String, _ value: String) {
            Self.c(name) { n in Self.c(value) { v in Self.c("") { d in _ = agsafeset(object, n, v, d) } } }
        }
        let graphObject = UnsafeMutableRawPointer(g)
        set(graphObject, "fontname", Self.fontName)
        set(graphObject, "nodesep", "0.25")
        set(graphObject, "ranksep", "0.5")

        // The legend, in its own cluster like pprof's.
        var legendNode: UnsafeMutablePointer<Agnode_t>?
        if !graph.legend.isEmpty, let sub = Self.c("cluster_L", { agsubg(g, $0, 1) }) {
            legendNode = Self.c("legend") { agnode(sub, $0, 1) }
            let node = UnsafeMutableRawPointer(legendNode)
            set(node, "shape", "box")
            set(node, "fontname", Self.fontName)
            set(node, "fontsize", "16")
            set(node, "label", graph.legend.map(Self.escapeLabel).joined(separator: "\\l") + "\\l")
        }
        var nodes: [Int: UnsafeMutablePointer<Agnode_t>] = [:]
        for n in graph.nodes {
            guard let node = Self.c("N\(n.id)", { agnode(g, $0, 1) }) else { throw Failure(description: "Graphviz: could not add node N\(n.id)") }
            nodes[n.id] = node
            let object = UnsafeMutableRawPointer(node)
            set(object, "shape", "box")
            set(object, "fontname", Self.fontName)
            set(object, "fontsize", String(max(n.fontSize, Self.minimumFontSize)))
            set(object, "label", n.lines.map(Self.escapeLabel).joined(separator: "\\n"))
        }
        // Nodelets: small boxes of label or size tags, tied to their node.
        var nodeletNodes: [(DotGraph.Nodelet, UnsafeMutablePointer<Agnode_t>)] = []
        var nodeletEdges: [(DotGraph.Nodelet, UnsafeMutablePointer<Agedge_t>)] = []
        var byName: [String: UnsafeMutablePointer<Agnode_t>] = [:]
        for (id, node) in nodes { byName["N\(id)"] = node }
        for t in graph.nodelets {
            guard let node = Self.c(t.id, { agnode(g, $0, 1) }), let parent = byName[t.parent] else { continue }
            byName[t.id] = node
            let object = UnsafeMutableRawPointer(node)
            set(object, "shape", "box")
            set(object, "fontname", Self.fontName)
            set(object, "fontsize", String(Self.minimumFontSize))
            set(object, "label", t.label.split(separator: "\n", omittingEmptySubsequences: false).map { Self.escapeLabel(String($0)) }.joined(separator: "\\n"))
            nodeletNodes.append((t, node))
            guard let edge = agedge(g, parent, node, nil, 1) else { continue }
            let edgeObject = UnsafeMutableRawPointer(edge)
            set(edgeObject, "fontname", Self.fontName)
            set(edgeObject, "fontsize", String(Self.minimumFontSize))
            set(edgeObject, "label", " " + Self.escapeLabel(t.weight))
            set(edgeObject, "weight", "100")
            nodeletEdges.append((t, edge))
        }
        var edges: [(DotGraph.Edge, UnsafeMutablePointer<Agedge_t>)] = []
        for e in graph.edges {
            guard let from = nodes[e.from], let to = nodes[e.to],
                  let edge = agedge(g, from, to, nil, 1) else { continue }
            let object = UnsafeMutableRawPointer(edge)
            set(object, "fontname", Self.fontName)
            set(object, "fontsize", "14")
            set(object, "label", e.lines.map(Self.escapeLabel).joined(separator: "\\n"))
            if e.weight > 1 { set(object, "weight", String(e.weight)) }
            if e.penWidth > 1 { set(object, "penwidth", String(e.penWidth)) }
            if graph.nodelets.contains(where: { $0.node == e.from }) { set(object, "minlen", "2") }
            edges.append((e, edge))
        }

        guard gvLayout(gvc, g, "dot") == 0 else { throw Failure(description: "Graphviz: the dot layout failed" + Self.lastError()) }
        defer { gvFreeLayout(gvc, g) }
        if agerrors() >= Int32(AGERR.rawValue) { throw Failure(description: "Graphviz: the layout failed" + Self.lastError()) }
        // Rendering to the `dot` format attaches pos/width/height/bb attributes we read back.
        var buffer: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        guard gvRenderData(gvc, g, "dot", &buffer, &length) == 0 else { throw Failure(description: "Graphviz: rendering failed") }
        gvFreeRenderData(buffer)

        func get(_ object: UnsafeMutableRawPointer?, _ name: String) -> String {
            Self.c(name) { agget(object, $0) }.map { String(cString: $0) } ?? ""
        }
        let bb = Self.numbers(get(graphObject, "bb"))
        guard bb.count == 4 else { throw Failure(description: "Graphviz: no bounding box after layout") }
        let height = bb[3]
        let m = Self.margin
        func point(_ x: Double, _ y: Double) -> Point { Point(x + m, height - y + m) }

        var scene = Scene(width: (bb[2] + 2 * m).rounded(.up), height: (height + 2 * m).rounded(.up))
        scene.background = (.white, .white)
        if let legendNode {
            scene.figures.append(box(UnsafeMutableRawPointer(legendNode), get: get, point: point, id: "legend",
                                     tooltip: graph.title, lines: graph.legend, fontSize: 16, fill: .white,
                                     stroke: .black, leftAligned: true))
        }
        for n in graph.nodes {
            guard let node = nodes[n.id] else { continue }
            scene.figures.append(box(UnsafeMutableRawPointer(node), get: get, point: point, id: "node\(n.id)",
                                     tooltip: n.tooltip, lines: n.lines, fontSize: Double(max(n.fontSize, Self.minimumFontSize)),
                                     fill: Color(hex: n.fillColor) ?? .white, stroke: Color(hex: n.color) ?? .black,
                                     leftAligned: false))
        }
        for (t, node) in nodeletNodes {
            scene.figures.append(box(UnsafeMutableRawPointer(node), get: get, point: point, id: "node" + t.id,
                                     tooltip: "\(t.label) (\(t.weight))", lines: t.label.split(separator: "\n", omittingEmptySubsequences: false).map(String.init), fontSize: Double(Self.minimumFontSize),
                                     fill: Color(248, 248, 248), stroke: .black, leftAligned: false))
        }
        for (i, (e, edge)) in edges.enumerated() {
            scene.figures.append(curve(UnsafeMutableRawPointer(edge), id: "edge\(i + 1)", lines: e.lines, fontSize: 14,
                                       color: Color(hex: e.color) ?? .black, width: Double(e.penWidth), dotted: e.residual,
                                       tooltip: e.tooltip, get: get, point: point))
        }
        for (t, edge) in nodeletEdges {
            scene.figures.append(curve(UnsafeMutableRawPointer(edge), id: "edge" + t.id, lines: [" " + t.weight],
                                       fontSize: Double(Self.minimumFontSize), color: .black, width: 1, dotted: t.dotted,
                                       tooltip: "\(t.label): \(t.weight)", get: get, point: point))
        }
        return scene
    }

    private func box(_ object: UnsafeMutableRawPointer, get: (UnsafeMutableRawPointer?, String) -> String, point: (Double, Double) -> Point,
                     id: String, tooltip: String, lines: [String], fontSize: Double, fill: Color, stroke: Color, leftAligned: Bool) -> Figure {
        let pos = Self.numbers(get(object, "pos"))
        let w = (Double(get(object, "width")) ?? 1) * 72, h = (Double(get(object, "height")) ?? 0.5) * 72
        let center = pos.count >= 2 ? point(pos[0], pos[1]) : Point(0, 0)
        let rect = Shape(.rect(x: center.x - w / 2, y: center.y - h / 2, width: w, height: h), fill: fill, stroke: stroke)
        // Graphviz sized the box from its own text metrics (a line of about 1.08 × the font size):
        // keep the lines inside it, never closer than the font size.
        let room = (h - 2 * Self.labelMargin) / Double(max(1, lines.count))
        let lineHeight = min(fontSize * 1.2, max(fontSize, room))
        var y = center.y - lineHeight * Double(lines.count) / 2 + fontSize * 0.95
        var texts: [Text] = []
        for line in lines {
            let x = leftAligned ? center.x - w / 2 + 8 : center.x
            texts.append(Text(x: x, y: y, content: line, fontSize: fontSize, anchor: leftAligned ? .start : .middle, proportional: true))
            y += lineHeight
        }
        return Figure(id: id, tooltip: tooltip, shapes: [rect], texts: texts)
    }

    private func curve(_ object: UnsafeMutableRawPointer, id: String, lines: [String], fontSize fs: Double, color: Color,
                       width: Double, dotted: Bool, tooltip: String,
                       get: (UnsafeMutableRawPointer?, String) -> String, point: (Double, Double) -> Point) -> Figure {
        var spline: [Point] = []
        var arrowTip: Point?
        for part in get(object, "pos").split(separator: " ") {
            if part.hasPrefix("e,") {
                let v = Self.numbers(String(part.dropFirst(2)))
                if v.count == 2 { arrowTip = point(v[0], v[1]) }
            } else if part.hasPrefix("s,") {
                continue
            } else {
                let v = Self.numbers(String(part))
                if v.count == 2 { spline.append(point(v[0], v[1])) }
            }
        }
        var shapes: [Shape] = []
        if spline.count >= 4 {
            shapes.append(Shape(.bezier(spline), stroke: color, strokeWidth: width, dotted: dotted))
        }
        if let tip = arrowTip, let base = spline.last {
            // A filled arrowhead from the end of the spline to the tip.
            let dx = tip.x - base.x, dy = tip.y - base.y
            let length = max((dx * dx + dy * dy).squareRoot(), 0.001)
            let half = 3.5 * max(1, width / 2)
            let nx = -dy / length * half, ny = dx / length * half
            shapes.append(Shape(.polygon([tip, Point(base.x + nx, base.y + ny), Point(base.x - nx, base.y - ny)]),
                                fill: color, stroke: color, strokeWidth: width))
        }
        var texts: [Text] = []
        let lp = Self.numbers(get(object, "lp"))
        if lp.count == 2 {
            let center = point(lp[0], lp[1])
            var y = center.y - fs * 1.2 * Double(lines.count) / 2 + fs * 0.95
            for line in lines {
                texts.append(Text(x: center.x, y: y, content: line, fontSize: fs, anchor: .middle, proportional: true))
                y += fs * 1.2
            }
        }
        return Figure(id: id, tooltip: tooltip, shapes: shapes, texts: texts)
    }

    /// Calls `body` with a C string for `s` (Graphviz copies what it keeps).
    @discardableResult
    static func c<T>(_ s: String, _ body: (UnsafeMutablePointer<CChar>) -> T) -> T {
        var bytes = Array(s.utf8CString)
        return bytes.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }

    /// Numbers of a Graphviz coordinate string (`"12.5,40"`, `"0,0,300,200"`).
    static func numbers(_ s: String) -> [Double] {
        s.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { Double($0) }
    }

    /// Graphviz's last error message, on one line (`: …`), or nothing.
    static func lastError() -> String {
        guard let text = aglasterr() else { return "" }
        let message = String(cString: text).split(whereSeparator: \.isNewline).joined(separator: " ")
        free(text)
        return message.isEmpty ? "" : ": " + message
    }

    /// Text for a Graphviz label: backslashes doubled so `\N`, `\G`… in a name stay literal.
    static func escapeLabel(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\")
    }
}
