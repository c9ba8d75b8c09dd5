import FlameModel
import Foundation

/// Options of a flame graph or icicle, named like flamegraph.pl's.
public struct FlameOptions: Sendable {
    public var width: Double = 1200
    /// Frames narrower than this many pixels are left out, with their callees.
    public var minWidth: Double = 0.1
    /// Icicle: root at the top.
    public var inverted = false
    public var title = "Flame Graph"
    public var subtitle: String?
    public var fontSize: Double = 12
    public var frameHeight: Double = 16
    public var coloring = FrameColoring()
    /// Name of the root frame: `root` for every kind of input, as pprof names it.
    public var rootName = "root"
    /// For differential graphs: width from the "before" profile instead of "after".
    public var negate = false
    /// Noun for plain counts in tooltips (`samples`).
    public var countName: String?
    /// The most frames one picture holds: past it, the narrowest are left out (then the
    /// deepest of equal width), so a small input cannot make a picture of any size.
    public var maxFrames = 500_000

    public init() {}
}

/// Lays out a call tree as a flame graph (root at the bottom) or an icicle (root at the top),
/// the way flamegraph.pl does: widths proportional to value, siblings in byte order of their
/// names, self time to the left of the callees, frames narrower than `minWidth` dropped.
public struct FlameLayout {
    public let options: FlameOptions
    public let measurer: any TextMeasurer

    static let sidePadding = 10.0

    public init(options: FlameOptions, measurer: any TextMeasurer = MonospaceMeasurer()) {
        self.options = options
        self.measurer = measurer
    }

    /// The smallest value a frame needs to be drawn (`minWidth` pixels) when the root is `total`.
    public static func minimumDrawnValue(total: Int64, options o: FlameOptions) -> Double {
        let perValue = total > 0 ? (o.width - 2 * sidePadding) / Double(total) : 0
        return perValue > 0 ? o.minWidth / perValue : .infinity
    }

    public func layout(_ tree: CallTree) -> Scene {
        let o = options
        let base = tree.baseTotal
        // Width comes from "after", or from "before" with --negate.
        let widths: [Int64] = (o.negate ? base : nil) ?? tree.total
        let total = widths[0]
        let labeler = ValueLabeler(sampleType: tree.sampleType, divisor: tree.valueDivisor, countName: o.countName)
        let usable = o.width - 2 * Self.sidePadding
        let perValue = total > 0 ? usable / Double(total) : 0
        let minValue = Self.minimumDrawnValue(total: total, options: o)

        // Place visible nodes depth-first: start offsets in value units.
        // Only frames wide enough to be drawn need their children in flamegraph.pl's order.
        let children = tree.isChart || tree.isPresorted
            ? CallTree.Children(tree: tree)
            : tree.children(sortingOnly: { widths[$0] > 0 && Double(widths[$0]) >= minValue })
        var placed: [(node: Int32, start: Int64)] = []
        var work: [(Int32, Int64)] = total > 0 ? [(0, 0)] : []
        while let (node, start) = work.popLast() {
            let n = Int(node)
            placed.append((node, start))
            var offset = start + (widths[n] - childSum(children[n], widths))
            var next: [(Int32, Int64)] = []
            for c in children[n] {
                let w = widths[Int(c)]
                let drawn = tree.nodeKey[Int(c)] != CallTree.selfKey
                if drawn && w > 0 && Double(w) >= minValue { next.append((c, offset)) }
                offset += w
            }
            work.append(contentsOf: next.reversed())
        }
        let omitted = Self.capFrames(&placed, widths: widths, depth: tree.depth, max: o.maxFrames)
        var maxDepth = 0
        var maxDelta: Int64 = 0
        for (node, _) in placed {
            let n = Int(node)
            maxDepth = max(maxDepth, Int(tree.depth[n]))
            if let baseSelf = tree.baseSelfValue { maxDelta = max(maxDelta, abs(tree.selfValue[n] - baseSelf[n])) }
        }

        // Rows under the title: the subtitle, and a differential graph's legend.
        let ypadTop = o.fontSize * 3 + (o.subtitle == nil ? 0 : o.fontSize * 2) + (base == nil ? 0 : o.fontSize * 2)
        let ypadBottom = o.fontSize * 2 + 10
        let detailsRow = o.inverted ? o.frameHeight : 0
        let height = Double(maxDepth + 1) * o.frameHeight + ypadTop + ypadBottom + detailsRow
        var scene = Scene(width: o.width, height: height)
        scene.omittedFrames = omitted

        let painter = FramePainter(tree: tree, options: o, measurer: measurer, labeler: labeler, widths: widths, total: total,
                                   perValue: perValue, maxDelta: maxDelta, height: height, ypadTop: ypadTop,
                                   ypadBottom: ypadBottom, detailsRow: detailsRow)
        // Big graphs: two halves on two threads, each made in place in the one array.
        let parts = placed.count >= 20_000 && ProcessInfo.processInfo.activeProcessorCount > 1 ? 2 : 1
        scene.frames = [FrameBox](unsafeUninitializedCapacity: placed.count) { buffer, count in
            nonisolated(unsafe) let out = buffer
            let shared = (painter, placed)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let range = shared.1.count * part / parts..<shared.1.count * (part + 1) / parts
                shared.0.paint(shared.1[range], into: out.baseAddress! + range.lowerBound)
            }
            count = placed.count
        }

        addDecorations(to: &scene, ypadTop: ypadTop, detailsRow: detailsRow)
        if base != nil { addDifferentialLegend(to: &scene) }
        scene.metadata = [
            ("inverted", o.inverted ? "1" : "0"),
            ("total", String(total)),
            ("frameheight", String(o.frameHeight)),
            ("fontsize", String(o.fontSize)),
            ("charwidth", String(measurer.width(of: "m", fontSize: 1))),
            ("xpad", String(Self.sidePadding)),
        ]
        return scene
    }

    /// Keeps at most `max` of the placed frames: the widest, then the shallowest. A parent is
    /// never narrower or deeper than its child, so what is kept is a whole top of the graph.
    /// Returns how many were left out.
    static func capFrames(_ placed: inout [(node: Int32, start: Int64)], widths: [Int64], depth: [Int32], max: Int) -> Int {
        guard placed.count > max else { return 0 }
        func key(_ node: Int32) -> (Int64, Int32) { (widths[Int(node)], -depth[Int(node)]) }
        var keys = placed.map { key($0.node) }
        keys.sort(by: >)
        let threshold = keys[max]
        let before = placed.count
        placed.removeAll { key($0.node) <= threshold }
        return before - placed.count
    }

    private func childSum(_ kids: ArraySlice<Int32>, _ widths: [Int64]) -> Int64 {
        var s: Int64 = 0
        for c in kids { s += widths[Int(c)] }
        return s
    }

    /// flamegraph.pl shows names without their annotation suffix (`_[k]`, `_[j]`, …).
    /// Names longer than this are cut (with `…`) in labels and tooltips: a picture of 10,000
    /// frames of 100 KB names would otherwise be a gigabyte of SVG. `top` keeps full names.
    static let maxDrawnName = 1000

    static func displayName(_ name: String) -> String {
        let bare = FrameColoring.annotation(of: name) == nil ? name : String(name.dropLast(4))
        guard bare.utf8.count > maxDrawnName else { return bare }
        return String(bare.unicodeScalars.prefix(maxDrawnName)) + "…"
    }

    /// The key of a differential graph, centred on its own row under the subtitle: which colour
    /// grew, which shrank, and which profile gives the widths.
    private func addDifferentialLegend(to scene: inout Scene) {
        let o = options, fs = o.fontSize
        let red = Color(230, 30, 30), blue = Color(40, 40, 230), grey = Color(110, 110, 110)
        let pieces: [(String, Color)] = [
            ("■", o.negate ? blue : red), (" grew   ", grey), ("■", o.negate ? red : blue), (" shrank   ", grey),
            ("colour: change of self value · width: \(o.negate ? "before" : "after")", grey),
        ]
        let total = pieces.reduce(0) { $0 + measurer.width(of: $1.0, fontSize: fs) }
        var x = max(Self.sidePadding, (o.width - total) / 2)
        let y = fs * (o.subtitle == nil ? 4 : 6)
        for (text, color) in pieces {
            scene.decorations.append(Text(x: x, y: y, content: text, fontSize: fs, color: color, id: nil))
            x += measurer.width(of: text, fontSize: fs)
        }
    }

    private func addDecorations(to scene: inout Scene, ypadTop: Double, detailsRow: Double) {
        let o = options
        let fs = o.fontSize
        scene.decorations.append(Text(x: o.width / 2, y: fs * 2, content: o.title, fontSize: fs + 5, anchor: .middle, id: "title"))
        if let subtitle = o.subtitle {
            scene.decorations.append(Text(x: o.width / 2, y: fs * 4, content: subtitle, fontSize: fs, anchor: .middle,
                                          color: Color(160, 160, 160), id: "subtitle"))
        }
        let bottom = scene.height - fs - 5
        let detailsY = o.inverted ? ypadTop + fs : bottom
        scene.decorations.append(Text(x: Self.sidePadding, y: detailsY, content: " ", fontSize: fs, id: "details"))
        scene.decorations.append(Text(x: Self.sidePadding, y: fs * 2, content: "Reset Zoom", fontSize: fs, id: "unzoom"))
        scene.decorations.append(Text(x: o.width - Self.sidePadding, y: fs * 2, content: "Search", fontSize: fs, anchor: .end, id: "search"))
        scene.decorations.append(Text(x: o.width - Self.sidePadding, y: bottom, content: " ", fontSize: fs, anchor: .end, id: "matched"))
    }
}

/// Turns placed nodes into frame boxes: position, colour, label and tooltip detail.
private struct FramePainter {
    let tree: CallTree
    let options: FlameOptions
    let measurer: any TextMeasurer
    let labeler: ValueLabeler
    let widths: [Int64]
    let total: Int64
    let perValue: Double
    let maxDelta: Int64
    let height: Double
    let ypadTop: Double
    let ypadBottom: Double
    let detailsRow: Double

    /// Initializes `placed.count` frame boxes at `boxes`, one per placed node, in order.
    func paint(_ placed: ArraySlice<(node: Int32, start: Int64)>, into boxes: UnsafeMutablePointer<FrameBox>) {
        let o = options
        var next = boxes
        // Names repeat (recursion, common frames): cut and colour each distinct one once.
        var displayNames: [Int32: String] = [:]
        var colors: [Int32: Color] = [:]
        var text = DetailText()
        for (node, start) in placed {
            let n = Int(node)
            let depth = Int(tree.depth[n])
            let w = widths[n]
            let x = FlameLayout.sidePadding + Double(start) * perValue
            let width = Double(w) * perValue
            let y = o.inverted
                ? ypadTop + detailsRow + Double(depth) * o.frameHeight
                : height - ypadBottom - Double(depth + 1) * o.frameHeight + 1
            let key = n == 0 ? -1 : tree.nodeKey[n]
            let rawName = n == 0 ? o.rootName : tree.names[Int(key)]
            let name: String
            if let known = displayNames[key] { name = known } else {
                name = FlameLayout.displayName(rawName)
                displayNames[key] = name
            }
            let detail: String
            let fill: Color
            if let base = tree.baseTotal {
                // Like flamegraph.pl, the colour and the percentage follow the frame's own (self)
                // change; before and after are its totals.
                let delta = tree.selfValue[n] - (tree.baseSelfValue?[n] ?? 0)
                detail = labeler.detail(w, of: total, change: (delta, base[n], tree.total[n]), in: &text)
                fill = FrameColoring.differential(delta: o.negate ? -delta : delta, maxDelta: maxDelta)
            } else {
                detail = labeler.detail(w, of: total, in: &text)
                if let known = colors[key] { fill = known } else {
                    fill = o.coloring.color(for: rawName)
                    colors[key] = fill
                }
            }
            let label = measurer.fit(name, width: width - 6, fontSize: o.fontSize)
            next.initialize(to: FrameBox(x: x, y: y, width: width, height: o.frameHeight - 1, fill: fill,
                                         label: label, name: name, nameID: key, detail: detail,
                                         start: start, value: w, depth: depth))
            next += 1
        }
    }
}
