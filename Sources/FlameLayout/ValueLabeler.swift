import FlameModel
import Foundation

/// Formats tree values for people: `1.28s`, `45.2MB`, `5000 goroutines`, `12 samples`.
public struct ValueLabeler: Sendable {
    public let sampleType: SampleType
    public let divisor: Int64
    /// True when values carry a physical unit (time, memory) rather than a count.
    public let hasPhysicalUnit: Bool
    /// The noun for plain counts: `samples`, `goroutines`, `objects`, `contentions`.
    public let noun: String
    private let nounBytes: [UInt8]

    /// - Parameter countName: overrides the noun for plain counts (flamegraph.pl's `--countname`).
    public init(sampleType: SampleType, divisor: Int64 = 1, countName: String? = nil) {
        self.sampleType = sampleType
        self.divisor = divisor
        hasPhysicalUnit = !Units.scale(1, from: sampleType.unit).1.isEmpty
        var t = sampleType.type
        for prefix in ["alloc_", "inuse_", "total_"] where t.hasPrefix(prefix) { t.removeFirst(prefix.count) }
        noun = countName ?? (t.isEmpty ? "samples" : t.hasSuffix("s") ? t : t + "s")
        nounBytes = Array(noun.utf8)
    }

    /// A value with its unit.
    public func label(_ value: Int64) -> String {
        if hasPhysicalUnit && divisor == 1 {
            let (v, unit) = Units.scale(value, from: sampleType.unit)
            return Self.trimmed(v) + unit
        }
        return Units.decimal(value, divisor: divisor) + " " + noun
    }

    /// A frame's tooltip detail: its value and its share of `total` (`80 samples, 0.01%`); in a
    /// differential graph also the change of its self value as a share of `total`, and its
    /// totals before and after (`…; +0.02%; before 70 samples, after 80 samples`).
    public func detail(_ value: Int64, of total: Int64, change: (ofSelf: Int64, before: Int64, after: Int64)? = nil) -> String {
        var text = DetailText()
        return detail(value, of: total, change: change, in: &text)
    }

    /// `detail(_:of:change:)`, built in `text` (cleared first), whose room is kept for the next.
    public func detail(_ value: Int64, of total: Int64, change: (ofSelf: Int64, before: Int64, after: Int64)? = nil,
                       in text: inout DetailText) -> String {
        text.clear()
        append(value, to: &text)
        text.append(", ")
        Self.appendPercent(value, of: total, to: &text)
        if let change {
            let delta = change.ofSelf
            text.append(delta > 0 ? "; +" : delta < 0 ? "; -" : "; ")
            text.append(fixed2: total == 0 ? 0 : 100 * Double(delta.magnitude) / Double(total))
            text.append("%; before ")
            append(change.before, to: &text)
            text.append(", after ")
            append(change.after, to: &text)
        }
        return text.string
    }

    /// `label(value)`, without intermediate strings for plain counts.
    private func append(_ value: Int64, to text: inout DetailText) {
        if hasPhysicalUnit || divisor != 1 { text.append(string: label(value)); return }
        text.append(integer: value)
        text.append(" ")
        text.append(bytes: nounBytes)
    }

    private static func appendPercent(_ part: Int64, of whole: Int64, to text: inout DetailText) {
        guard whole != 0 else { text.append("0%"); return }
        if part == whole { text.append("100%"); return }
        text.append(fixed2: 100 * Double(part) / Double(whole))
        text.append("%")
    }

    /// Up to two decimals, trailing zeros removed: `45.2`, `1.28`, `3`.
    static func trimmed(_ v: Double) -> String {
        var s = fixed2(v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }

    /// `%.2f` without Foundation's formatter (hot: every frame's tooltip).
    static func fixed2(_ v: Double) -> String {
        guard v.isFinite, abs(v) < 1e15 else { return String(format: "%.2f", v) }
        let hundredths = Int64((abs(v) * 100).rounded())
        let fraction = hundredths % 100
        return (v < 0 && hundredths != 0 ? "-" : "") + String(hundredths / 100) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }

    /// A share as flamegraph.pl prints it: `36.08%`, `100%`.
    public static func percent(_ part: Int64, of whole: Int64) -> String {
        guard whole != 0 else { return "0%" }
        if part == whole { return "100%" }
        return fixed2(100 * Double(part) / Double(whole)) + "%"
    }
}
