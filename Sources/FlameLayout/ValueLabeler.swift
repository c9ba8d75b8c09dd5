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

    /// - Parameter countName: overrides the noun for plain counts (flamegraph.pl's `--countname`).
    public init(sampleType: SampleType, divisor: Int64 = 1, countName: String? = nil) {
        self.sampleType = sampleType
        self.divisor = divisor
        hasPhysicalUnit = !Units.scale(1, from: sampleType.unit).1.isEmpty
        var t = sampleType.type
        for prefix in ["alloc_", "inuse_", "total_"] where t.hasPrefix(prefix) { t.removeFirst(prefix.count) }
        noun = countName ?? (t.isEmpty ? "samples" : t.hasSuffix("s") ? t : t + "s")
    }

    /// A value with its unit.
    public func label(_ value: Int64) -> String {
        if hasPhysicalUnit && divisor == 1 {
            let (v, unit) = Units.scale(value, from: sampleType.unit)
            return Self.trimmed(v) + unit
        }
        return Units.decimal(value, divisor: divisor) + " " + noun
    }

    /// A frame's tooltip detail: its value and its share of `total` (`80 samples, 0.01%`).
    public func detail(_ value: Int64, of total: Int64) -> String {
        guard !hasPhysicalUnit, divisor == 1, total != 0, value != total else {
            return label(value) + ", " + Self.percent(value, of: total)
        }
        // Plain counts (every folded input): written in one buffer, one string per frame.
        let share = 100 * Double(value) / Double(total)
        guard share.isFinite, abs(share) < 1e15 else { return label(value) + ", " + Self.percent(value, of: total) }
        let hundredths = Int64((abs(share) * 100).rounded())
        return String(unsafeUninitializedCapacity: noun.utf8.count + 50) { out in
            var n = 0
            func put(_ byte: UInt8) { out[n] = byte; n += 1 }
            func putNumber(_ v: Int64) {
                if v < 0 { put(0x2D) }
                var m = v.magnitude, digits = 0
                repeat { digits += 1; m /= 10 } while m > 0
                m = v.magnitude
                for i in stride(from: n + digits - 1, through: n, by: -1) { out[i] = UInt8(0x30 + m % 10); m /= 10 }
                n += digits
            }
            putNumber(value)
            put(0x20)
            for b in noun.utf8 { put(b) }
            put(0x2C)
            put(0x20)
            if share < 0 && hundredths != 0 { put(0x2D) }
            putNumber(hundredths / 100)
            put(0x2E)
            put(UInt8(0x30 + hundredths % 100 / 10))
            put(UInt8(0x30 + hundredths % 10))
            put(0x25)
            return n
        }
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
