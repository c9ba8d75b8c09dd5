import FlameModel

/// A label tag of a call-graph node, drawn by pprof as a small "nodelet" box: a sample's string
/// labels (joined) or one of its `bytes` sizes, with the flat and cum value of the samples
/// carrying it.
struct NodeTag: Sendable {
    static let maxNodelets = 4

    /// Display name: the joined labels, or the formatted size (`1kB`).
    let name: String
    /// The string labels of the samples (for numeric tags: the group they belong to).
    let labels: String
    let numeric: Bool
    let value: Int64
    let unit: String
    var flat: Int64 = 0
    var cum: Int64 = 0
    /// Sums of the `--mean` divisor over the samples in `flat` and `cum`.
    var flatDiv: Int64 = 0
    var cumDiv: Int64 = 0
    /// The printed values: means under `--mean`.
    var flatValue: Int64 { flatDiv == 0 ? flat : flat / flatDiv }
    var cumValue: Int64 { cumDiv == 0 ? cum : cum / cumDiv }

    /// The tags one sample contributes, keyed like pprof's `addSample`.
    static func tags(of labels: [SampleLabel]) -> [(String, NodeTag)] {
        // pprof removes the mark of base samples before drawing (`RemoveLabel("pprof::base")`).
        let strings = labels.compactMap { l in l.key == "pprof::base" ? nil : l.string.map { "\(l.key):\($0)" } }.sorted().joined(separator: "\n")
        var result: [(String, NodeTag)] = []
        if !strings.isEmpty {
            result.append(("s\u{0}" + strings, NodeTag(name: strings, labels: "", numeric: false, value: 0, unit: "")))
        }
        for l in labels where l.key == "bytes" {
            guard let n = l.number else { continue }
            let unit = l.numberUnit ?? "bytes"
            let name = Units.label(n, unit: unit, to: "minimum")
            result.append(("n\u{0}" + strings + "\u{0}" + name, NodeTag(name: name, labels: strings, numeric: true, value: n, unit: unit)))
        }
        return result
    }

    /// pprof's `SortTags`: heaviest first (by cum unless `flat`), then by name.
    static func sorted(_ tags: [NodeTag], flat: Bool) -> [NodeTag] {
        tags.sorted { a, b in
            if !flat && a.cum != b.cum { return abs(a.cum) > abs(b.cum) }
            if a.flat != b.flat { return abs(a.flat) > abs(b.flat) }
            return a.name < b.name
        }
    }

    /// pprof's `collapsedTags`: numeric tags folded into at most `count` ranges (`1kB..5.58MB`),
    /// each tag joining the group whose first tag is nearest in value.
    static func collapsed(_ tags: [NodeTag], count: Int, flat: Bool) -> [NodeTag] {
        let sortedTags = sorted(tags, flat: flat)
        guard sortedTags.count > count else { return sortedTags }
        var groups = sortedTags.prefix(count).map { [$0] }
        for t in sortedTags.dropFirst(count) {
            var best = 0, distance = Double.infinity
            for (i, g) in groups.enumerated() {
                let d = abs(Double(t.value) - Units.scale(g[0].value, from: g[0].unit, to: t.unit).0)
                if d < distance { best = i; distance = d }
            }
            groups[best].append(t)
        }
        return sorted(groups.map { group in
            var low = group[0], high = group[0]
            var flatSum: Int64 = 0, cumSum: Int64 = 0, flatDiv: Int64 = 0, cumDiv: Int64 = 0
            for t in group {
                if Int64(Units.scale(t.value, from: t.unit, to: low.unit).0) < low.value { low = t }
                if Int64(Units.scale(t.value, from: t.unit, to: high.unit).0) > high.value { high = t }
                flatSum &+= t.flat
                cumSum &+= t.cum
                flatDiv &+= t.flatDiv
                cumDiv &+= t.cumDiv
            }
            let name = group.count == 1 ? Units.label(low.value, unit: low.unit)
                : Units.label(low.value, unit: low.unit) + ".." + Units.label(high.value, unit: high.unit)
            return NodeTag(name: name, labels: low.labels, numeric: true, value: low.value, unit: low.unit, flat: flatSum, cum: cumSum,
                           flatDiv: flatDiv, cumDiv: cumDiv)
        }, flat: flat)
    }
}
