import FlameLayout
import FlameModel

/// Default titles derived from what the profile measures, e.g. "CPU · 30s · 47.1s samples".
enum ProfileTitle {
    static let kinds: [String: String] = [
        "cpu": "CPU", "samples": "CPU samples", "inuse_space": "Heap in use", "inuse_objects": "Heap objects in use",
        "alloc_space": "Allocated bytes", "alloc_objects": "Allocated objects", "space": "Heap",
        "objects": "Heap objects", "goroutine": "Goroutines", "delay": "Delay", "contentions": "Contentions",
        "threadcreate": "Thread creation", "wall": "Wall time",
    ]

    /// The subtitle of a differential picture: `before → after: 1.31MB → 8.68MB (+7.37MB)`.
    static func beforeAfter(before: Int64, after: Int64, tree: CallTree) -> String {
        let labeler = ValueLabeler(sampleType: tree.sampleType, divisor: tree.valueDivisor)
        let delta = after &- before
        let change = before == 0 ? "" : String(format: ", %+.1f%%", 100 * Double(delta) / Double(abs(before)))
        return "before → after: \(labeler.label(before)) → \(labeler.label(after)) (\(delta > 0 ? "+" : "")\(labeler.label(delta))\(change))"
    }

    static func make(profile: Profile, tree: CallTree, inverted: Bool) -> String {
        // A goroutine dump is titled as the goroutine profile of the same moment.
        guard profile.source == .pprof || profile.source == .goroutineDump else { return tree.isChart ? "Flame Chart" : inverted ? "Icicle Graph" : "Flame Graph" }
        let type = tree.sampleType.type
        var parts = [kinds[type] ?? type]
        if profile.durationNanos > 0 {
            parts.append(Units.label(profile.durationNanos, unit: "nanoseconds"))
        }
        let labeler = ValueLabeler(sampleType: tree.sampleType, divisor: tree.valueDivisor)
        parts.append(labeler.label(tree.total[0]) + (type == "cpu" ? " samples" : " total"))
        if let base = tree.baseTotal { parts.append("base " + labeler.label(base[0])) }
        return parts.joined(separator: " · ")
    }
}
