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

    static func make(profile: Profile, tree: CallTree, inverted: Bool) -> String {
        if profile.source == .goroutineDump {
            return "Goroutines · \(tree.total[0]) total" + (tree.baseTotal.map { " · base \($0[0])" } ?? "")
        }
        guard profile.source == .pprof else { return tree.isChart ? "Flame Chart" : inverted ? "Icicle Graph" : "Flame Graph" }
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
