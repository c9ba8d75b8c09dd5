#if canImport(Glibc)
import Glibc
#endif
import FlameModel

/// The options of pprof's text reports, with pprof's defaults.
public struct ReportOptions: Sendable {
    public var sampleIndex: String?
    public var filter = StackFilter()
    public var granularity: Granularity = .functions
    public var noInlines = false
    /// Sort `top` by cumulative instead of flat value.
    public var cumulative = false
    /// Maximum number of nodes (0: no limit).
    public var nodeCount = 0
    public var nodeFraction = 0.005
    public var edgeFraction = 0.001
    /// `minimum` (pprof's default), `auto`, or a unit such as `ms`, `MB`.
    public var unit = "minimum"
    /// Percentages against the total of the base profile (`--diff-base`).
    public var diffBase = false
    /// Show means: each value divided by the sample count of the first value column (pprof's
    /// `-mean`, for block and mutex profiles: delay per contention).
    public var mean = false

    public init() {}
}

/// A profile prepared for reporting: filtered, with its total and output unit.
public struct ReportContext: Sendable {
    public let profile: Profile
    public let options: ReportOptions
    public let index: Int
    /// pprof's report total: the sum of |value| over all samples before focus filtering
    /// (only base samples under `--diff-base`).
    public let total: Int64
    /// The samples left after the filters.
    public let filtered: Profile
    /// Unit of the sample values.
    public var sampleUnit: String { profile.sampleTypes[index].unit }
    /// Unit used to print values (set by `selectUnit`).
    public var outputUnit: String

    public init(profile: Profile, options: ReportOptions) throws(ProfileError) {
        self.profile = profile
        self.options = options
        index = try profile.sampleIndex(named: options.sampleIndex)
        total = Self.total(of: profile, index: index, options: options)
        filtered = try profile.filtered(by: options.filter)
        outputUnit = options.unit
    }

    /// pprof's `computeTotal`: Σ|value| (the base samples' alone under `--diff-base`, when there
    /// are any), divided by Σcount under `--mean`.
    static func total(of profile: Profile, index: Int, options: ReportOptions) -> Int64 {
        var total: Int64 = 0, div: Int64 = 0, baseTotal: Int64 = 0, baseDiv: Int64 = 0
        for s in 0..<profile.sampleCount {
            let v = abs(profile.value(s, index))
            let d = options.mean ? profile.value(s, 0) : 0
            if options.diffBase && (profile.labels[s]?.contains { $0.key == "pprof::base" } ?? false) {
                baseTotal &+= v
                baseDiv &+= d
            } else {
                total &+= v
                div &+= d
            }
        }
        if baseTotal > 0 { (total, div) = (baseTotal, baseDiv) }
        return div != 0 ? total / div : total
    }

    /// The same profile (already loaded, merged and diffed) under other report options.
    public func with(_ options: ReportOptions) throws(ProfileError) -> ReportContext {
        var o = options
        o.diffBase = self.options.diffBase
        return try ReportContext(profile: profile, options: o)
    }

    /// How call graphs divide values under `--mean`.
    var meanDivisor: CallGraph.MeanDivisor { options.mean ? .perNode(column: 0) : .none }

    /// The sample type as reports name it: `mean_delay` under `--mean`.
    public var sampleTypeName: String { (options.mean ? "mean_" : "") + profile.sampleTypes[index].type }

    /// A value in the report's unit (pprof's `formatValue`).
    public func format(_ v: Int64) -> String {
        Units.label(v, unit: sampleUnit, to: outputUnit)
    }

    /// pprof's `selectOutputUnit` for `minimum`: one unit for the report, chosen from the smallest
    /// node value and the total so the smallest value prints as at least 0.01.
    mutating func selectUnit(for graph: CallGraph) {
        guard options.unit == "minimum", !graph.order.isEmpty else { return }
        var minValue: Int64 = 0
        let maxValue = abs(total)
        for n in graph.order {
            var nodeMin = abs(graph.nodes[n].flatValue)
            if nodeMin == 0 { nodeMin = abs(graph.nodes[n].cumValue) }
            if nodeMin > 0 && (minValue == 0 || nodeMin < minValue) { minValue = nodeMin }
        }
        if minValue == 0 { minValue = maxValue }
        guard minValue != 0 else { return }
        let minUnit = Units.scale(minValue, from: sampleUnit, to: "minimum").1
        let maxUnit = Units.scale(maxValue, from: sampleUnit, to: "minimum").1
        var unit = minUnit
        if minUnit != maxUnit && minValue.multipliedReportingOverflow(by: 100).partialValue < maxValue {
            unit = Units.scale(100 * minValue, from: sampleUnit, to: "minimum").1
        }
        outputUnit = unit.isEmpty ? sampleUnit : unit
    }

    /// The header lines pprof prints above a report (`File:`, `Type:`, `Time:`, `Duration:`).
    public func profileLabels() -> [String] {
        var lines: [String] = []
        if !profile.mainBinary.isEmpty { lines.append("File: " + profile.mainBinary) }
        if !profile.mainBuildID.isEmpty { lines.append("Build ID: " + profile.mainBuildID) }
        lines += profile.comments.filter { !$0.hasPrefix("#") }
        lines.append("Type: " + sampleTypeName)
        if profile.timeNanos != 0 { lines.append("Time: " + Self.time(profile.timeNanos)) }
        if profile.durationNanos != 0 {
            let duration = Units.label(profile.durationNanos, unit: "nanoseconds")
            let (nanos, unit) = Units.scale(total, from: sampleUnit, to: "nanoseconds")
            var ratio = ""
            if unit == "ns" && nanos != 0 {
                ratio = "(" + Units.percentage(Checked.goInt64(nanos), of: profile.durationNanos) + ")"
            }
            lines.append("Duration: \(duration), Total samples = \(format(total)) \(ratio)")
        }
        return lines
    }

    /// `2006-01-02 15:04:05 MST`, the layout of today's pprof, in the local time zone (`TZ`).
    static func time(_ nanos: Int64) -> String {
        var t = time_t(nanos / 1_000_000_000)
        var parts = tm()
        localtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let zone = parts.tm_zone.map { String(cString: $0) } ?? "UTC"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) " +
            "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) \(zone)"
    }

    /// `Active filters:` lines, as pprof prints them.
    func activeFilters() -> [String] {
        let f = options.filter
        let pairs = [("focus", f.focus), ("ignore", f.ignore), ("hide", f.hide), ("show", f.show),
                     ("tagfocus", f.tagFocus), ("tagignore", f.tagIgnore), ("tagshow", f.tagShow), ("taghide", f.tagHide)]
            .compactMap { name, value in value.flatMap { $0.isEmpty ? nil : "   \(name)=\($0)" } }
        return pairs.isEmpty ? [] : ["Active filters:"] + pairs
    }
}
