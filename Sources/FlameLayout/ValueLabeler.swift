import FlameModel
import Foundation

/// Formats tree values for people: `1.28s`, `45.2MB`, `5000 goroutines`, `12 samples`.
public struct ValueLabeler: Sendable {
    public var sampleType: SampleType
    public var divisor: Int64
    /// Overrides the noun for plain counts (flamegraph.pl's `--countname`).
    public var countName: String?

    public init(sampleType: SampleType, divisor: Int64 = 1, countName: String? = nil) {
        self.sampleType = sampleType
        self.divisor = divisor
        self.countName = countName
    }

    /// True when values carry a physical unit (time, memory) rather than a count.
    public var hasPhysicalUnit: Bool {
        let (_, unit) = Units.scale(1, from: sampleType.unit)
        return !unit.isEmpty
    }

    /// The noun for plain counts: `samples`, `goroutines`, `objects`, `contentions`.
    public var noun: String {
        if let countName { return countName }
        var t = sampleType.type
        for prefix in ["alloc_", "inuse_", "total_"] where t.hasPrefix(prefix) { t.removeFirst(prefix.count) }
        if t.isEmpty { return "samples" }
        return t.hasSuffix("s") ? t : t + "s"
    }

    /// A value with its unit.
    public func label(_ value: Int64) -> String {
        if hasPhysicalUnit && divisor == 1 {
            let (v, unit) = Units.scale(value, from: sampleType.unit)
            return Self.trimmed(v) + unit
        }
        return Units.decimal(value, divisor: divisor) + " " + noun
    }

    /// Up to two decimals, trailing zeros removed: `45.2`, `1.28`, `3`.
    static func trimmed(_ v: Double) -> String {
        var s = String(format: "%.2f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// A share as flamegraph.pl prints it: `36.08%`, `100%`.
    public static func percent(_ part: Int64, of whole: Int64) -> String {
        guard whole != 0 else { return "0%" }
        if part == whole { return "100%" }
        return String(format: "%.2f%%", 100 * Double(part) / Double(whole))
    }
}
