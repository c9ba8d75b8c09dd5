import FlameModel

/// The viewer's one data contract: a compact JSON document that `templates/viewer.js` reads
/// and nothing else writes. Version 1 (`"format": "flamegen-viewer", "version": 1`):
///
/// - `funcs`, `funcFiles`: the function table (name and source file; a function is a distinct
///   pair, as pprof's `functions` granularity has it).
/// - `parent`, `func`: the prefix tree of every stack, one entry per node; node 0 is the root
///   (`-1`, `-1`), and a parent always comes before its children.
/// - `samples`: `node` (the tree node of each sample's leaf), `labels` (an index into
///   `labelSets`, or -1), and `values`: one array per sample type, in sample order.
/// - `base` (differential views): the same three arrays for the base profile, on the same tree,
///   with the values of the same sample types.
/// - `labelSets`: `[[key, value], …]` per distinct label set; numbers are `[key, number, unit]`.
/// - `timeline` (SVG or null) and `goroutines` (rows of text cells, the first the header): the
///   timeline and goroutine analysis of a Go execution trace.
/// - `initial`: the refine filters and grouping the page opens with (`focus`, `group`, …).
/// - `sampleTypes`, `defaultType`, `divisor` (fixed-point folded counts), `title`, `subtitle`,
///   `header` (pprof's report header lines), `graph` (call-graph SVG or null) and `sources`
///   (function name → `flamegen list` text).
///
/// All work is bounded: the tree may hold at most `maxNodes` nodes.
public struct ViewerDocument: Sendable {
    public static let version = 1
    public static let maxNodes = 8_000_000

    public var title = ""
    public var subtitle = ""
    public var header: [String] = []
    public var graphSVG: String?
    public var sources: [(function: String, text: String)] = []
    /// For a Go execution trace: its timeline (SVG) and goroutine analysis (a header row, then
    /// one row per start function, cells as text).
    public var timelineSVG: String?
    public var goroutineTable: [[String]] = []
    /// The sample type shown first (nil: the profile's default).
    public var defaultType: Int?
    /// The filters and grouping the page opens with.
    public var initialFilter = StackFilter()
    public var initialGroup = ""

    let profile: Profile
    let base: Profile?

    /// The base's sample types are matched to the profile's by name.
    public init(profile: Profile, base: Profile?) {
        self.profile = profile
        self.base = base
    }

    /// Errors that keep a profile out of the viewer.
    public enum Failure: Error, CustomStringConvertible {
        case tooManyNodes(Int)

        public var description: String {
            switch self {
            case .tooManyNodes(let limit):
                return "more than \(limit) distinct call paths: too many for the viewer (filter with --focus/--hide, or draw an SVG)"
            }
        }
    }

    /// The document as UTF-8 JSON, safe to place inside a `<script>` element: `<`, `>` and `&`
    /// are written as `\u003c`…, so no function name can end the element.
    public func encode() throws(Failure) -> [UInt8] {
        var functions = FunctionTable()
        var tree = PrefixTree()
        let mainPart = try tree.add(profile, functions: &functions)
        let basePart = try base.map { b throws(Failure) in try tree.add(b, functions: &functions) }
        var labelSets = LabelSets()
        let mainLabels = labelSets.indices(of: profile)
        let baseLabels = base.map { labelSets.indices(of: $0) }

        var w = JSONWriter()
        w.raw("{\"format\":\"flamegen-viewer\",\"version\":")
        w.integer(Int64(Self.version))
        w.raw(",\"title\":"); w.string(title)
        w.raw(",\"subtitle\":"); w.string(subtitle)
        w.raw(",\"source\":"); w.string(profile.source.rawValue)
        w.raw(",\"header\":"); w.strings(header)
        w.raw(",\"sampleTypes\":[")
        for (i, t) in profile.sampleTypes.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"type\":"); w.string(t.type)
            w.raw(",\"unit\":"); w.string(t.unit)
            w.raw("}")
        }
        w.raw("],\"defaultType\":"); w.integer(Int64(defaultType ?? profile.defaultSampleIndex))
        w.raw(",\"initial\":{")
        let initial = [("focus", initialFilter.focus), ("ignore", initialFilter.ignore), ("hide", initialFilter.hide),
                       ("show", initialFilter.show), ("tagfocus", initialFilter.tagFocus), ("tagignore", initialFilter.tagIgnore),
                       ("group", initialGroup)].filter { !($0.1 ?? "").isEmpty }
        for (i, (key, value)) in initial.enumerated() {
            if i > 0 { w.raw(",") }
            w.string(key); w.raw(":"); w.string(value ?? "")
        }
        w.raw("}")
        w.raw(",\"divisor\":"); w.integer(profile.valueDivisor)
        w.raw(",\"funcs\":"); w.strings(functions.names)
        w.raw(",\"funcFiles\":"); w.strings(functions.files)
        w.raw(",\"parent\":"); w.integers(tree.parent)
        w.raw(",\"func\":"); w.integers(tree.function)
        w.raw(",\"samples\":")
        samples(profile, nodes: mainPart, labels: mainLabels, types: Array(profile.sampleTypes.indices), into: &w)
        w.raw(",\"base\":")
        if let base, let basePart, let baseLabels {
            let types = profile.sampleTypes.indices.map { i in
                base.sampleTypes.firstIndex { $0.type == profile.sampleTypes[i].type }
                    ?? (base.sampleTypes.count == profile.sampleTypes.count ? i : nil)
            }
            samples(base, nodes: basePart, labels: baseLabels, types: types, into: &w)
        } else {
            w.raw("null")
        }
        w.raw(",\"labelSets\":[")
        for (i, set) in labelSets.sets.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("[")
            for (j, label) in set.enumerated() {
                if j > 0 { w.raw(",") }
                w.raw("["); w.string(label.key); w.raw(",")
                if let number = label.number {
                    w.integer(number); w.raw(","); w.string(label.numberUnit ?? "")
                } else {
                    w.string(label.string ?? "")
                }
                w.raw("]")
            }
            w.raw("]")
        }
        w.raw("],\"graph\":")
        if let graphSVG { w.string(graphSVG) } else { w.raw("null") }
        w.raw(",\"timeline\":")
        if let timelineSVG { w.string(timelineSVG) } else { w.raw("null") }
        w.raw(",\"goroutines\":[")
        for (i, row) in goroutineTable.enumerated() {
            if i > 0 { w.raw(",") }
            w.strings(row)
        }
        w.raw("]")
        w.raw(",\"sources\":{")
        for (i, source) in sources.enumerated() {
            if i > 0 { w.raw(",") }
            w.string(source.function); w.raw(":"); w.string(source.text)
        }
        w.raw("}}")
        return w.bytes
    }

    /// `{"node":[…],"labels":[…],"values":[[…],…]}`; `types[i]` is the column of the profile's
    /// sample type `i` in `p` (nil: zeros).
    private func samples(_ p: Profile, nodes: [Int32], labels: [Int32], types: [Int?], into w: inout JSONWriter) {
        w.raw("{\"node\":"); w.integers(nodes)
        w.raw(",\"labels\":"); w.integers(labels)
        w.raw(",\"values\":[")
        for (t, column) in types.enumerated() {
            if t > 0 { w.raw(",") }
            w.raw("[")
            for i in 0..<p.sampleCount {
                if i > 0 { w.raw(",") }
                w.integer(column.map { p.value(i, $0) } ?? 0)
            }
            w.raw("]")
        }
        w.raw("]}")
    }
}

/// Distinct (name, file) pairs, by dense id.
private struct FunctionTable {
    var names: [String] = []
    var files: [String] = []
    private var ids: [String: [String: Int32]] = [:]

    mutating func id(name: String, file: String) -> Int32 {
        if let id = ids[name]?[file] { return id }
        let id = Int32(names.count)
        names.append(name)
        files.append(file)
        ids[name, default: [:]][file] = id
        return id
    }
}

/// The prefix tree of stacks, as parent and function columns.
private struct PrefixTree {
    var parent: [Int32] = [-1]
    var function: [Int32] = [-1]
    private var children: [Int64: Int32] = [:]

    /// Adds every stack of `p`; returns each sample's leaf node.
    mutating func add(_ p: Profile, functions: inout FunctionTable) throws(ViewerDocument.Failure) -> [Int32] {
        var functionOfFrame = [Int32](repeating: -1, count: p.frames.count)
        for (i, frame) in p.frames.frames.enumerated() {
            // pprof prints a function without a name as <unknown>.
            functionOfFrame[i] = functions.id(name: frame.name.isEmpty ? "<unknown>" : frame.name, file: frame.file)
        }
        var leaves = [Int32](repeating: 0, count: p.sampleCount)
        for i in 0..<p.sampleCount {
            var node: Int32 = 0
            for frame in p.stack(i) {
                let f = functionOfFrame[Int(frame)]
                let key = Int64(node) << 32 | Int64(f)
                if let child = children[key] {
                    node = child
                } else {
                    guard parent.count < ViewerDocument.maxNodes else { throw .tooManyNodes(ViewerDocument.maxNodes) }
                    let child = Int32(parent.count)
                    parent.append(node)
                    function.append(f)
                    children[key] = child
                    node = child
                }
            }
            leaves[i] = node
        }
        return leaves
    }
}

/// Distinct label sets, by dense id.
private struct LabelSets {
    var sets: [[SampleLabel]] = []
    private var ids: [[SampleLabel]: Int32] = [:]

    /// Each sample's label set id, -1 for none.
    mutating func indices(of p: Profile) -> [Int32] {
        var result = [Int32](repeating: -1, count: p.sampleCount)
        for (i, labels) in p.labels where !labels.isEmpty && i < p.sampleCount {
            let sorted = labels.sorted { ($0.key, $0.string ?? "", $0.number ?? 0) < ($1.key, $1.string ?? "", $1.number ?? 0) }
            if let id = ids[sorted] {
                result[i] = id
            } else {
                let id = Int32(sets.count)
                sets.append(sorted)
                ids[sorted] = id
                result[i] = id
            }
        }
        return result
    }
}
