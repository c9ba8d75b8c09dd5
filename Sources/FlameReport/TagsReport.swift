import FlameModel

/// pprof's `-tags` report: for every label key, the total of the samples carrying it and the
/// value of each of its values (numeric labels formatted in their unit), heaviest first.
public struct TagsReport: Sendable {
    public let context: ReportContext

    public init(context: ReportContext) { self.context = context }

    public func text() -> String {
        let profile = context.filtered
        let units = context.profile.numericLabelUnits()
        var byKey: [String: [String: Int64]] = [:]
        var keyTotals: [String: Int64] = [:]
        for (sample, labels) in profile.labels {
            let value = profile.value(sample, context.index)
            for label in labels {
                let name: String
                if let s = label.string {
                    name = s
                } else if let n = label.number {
                    name = Units.label(n, unit: units[label.key] ?? label.key, to: context.outputUnit)
                } else { continue }
                byKey[label.key, default: [:]][name, default: 0] &+= value
                keyTotals[label.key, default: 0] &+= value
            }
        }
        var writer = RightAlignedTabWriter()
        let total = context.total
        for key in byKey.keys.sorted(by: Self.byteOrder) {
            let keyTotal = keyTotals[key] ?? 0
            let of = "\(TerminalText.escaped(key)):\t Total \(context.format(keyTotal)) of \(context.format(total))"
            writer.line(total > 0 ? of + " (\(Units.percentage(keyTotal, of: total)))" : of)
            let values = byKey[key]!.sorted { a, b in
                a.value != b.value ? abs(a.value) > abs(b.value) : Self.byteOrder(a.key, b.key)
            }
            for (name, value) in values {
                let share = total > 0 ? " (\(Units.percentage(value, of: total)))" : ""
                writer.line(" \t\(context.format(value))\(share):\t \(TerminalText.escaped(name))")
            }
            writer.line("")
        }
        return writer.output()
    }

    /// Go's string order: by UTF-8 bytes.
    static func byteOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
