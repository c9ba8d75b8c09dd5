import Foundation

/// pprof's unit arithmetic (`measurement.go`): unit families, automatic scaling and labels.
///
/// Memory units are 1024-based despite their SI names (`kB`, `MB`, …); time units run from `ns`
/// to `hrs`; any other unit (e.g. `count`) prints as a bare number.
public enum Units {
    struct Unit {
        let canonical: String
        let aliases: [String]
        let factor: Double
    }

    struct Family {
        let units: [Unit]
        let defaultUnit: Unit

        func find(_ name: String) -> Unit? {
            if let exact = units.first(where: { $0.aliases.contains(name) }) { return exact }
            var key = name.lowercased()
            if key.count > 2 && key.hasSuffix("s") { key.removeLast() }
            return units.first { $0.aliases.contains(key) || $0.canonical.lowercased() == key }
        }

        /// The largest unit in which `value` (in base units) is at least 1.
        func autoScale(_ value: Double) -> (Double, String)? {
            var factor = 0.0
            var name = ""
            for u in units where u.factor >= factor && value / u.factor >= 1 {
                factor = u.factor
                name = u.canonical
            }
            return factor == 0 ? nil : (value / factor, name)
        }
    }

    static let families: [Family] = [
        Family(units: [
            Unit(canonical: "B", aliases: ["b", "byte"], factor: 1),
            Unit(canonical: "kB", aliases: ["kb", "kbyte", "kilobyte"], factor: 1024),
            Unit(canonical: "MB", aliases: ["mb", "mbyte", "megabyte"], factor: 1_048_576),
            Unit(canonical: "GB", aliases: ["gb", "gbyte", "gigabyte"], factor: 1_073_741_824),
            Unit(canonical: "TB", aliases: ["tb", "tbyte", "terabyte"], factor: 1_099_511_627_776),
            Unit(canonical: "PB", aliases: ["pb", "pbyte", "petabyte"], factor: 1_125_899_906_842_624),
        ], defaultUnit: Unit(canonical: "B", aliases: [], factor: 1)),
        Family(units: [
            Unit(canonical: "ns", aliases: ["ns", "nanosecond"], factor: 1),
            Unit(canonical: "us", aliases: ["μs", "us", "microsecond"], factor: 1e3),
            Unit(canonical: "ms", aliases: ["ms", "millisecond"], factor: 1e6),
            Unit(canonical: "s", aliases: ["s", "sec", "second"], factor: 1e9),
            Unit(canonical: "hrs", aliases: ["hour", "hr"], factor: 3600e9),
        ], defaultUnit: Unit(canonical: "s", aliases: [], factor: 1e9)),
    ]

    /// Converts `value` in `fromUnit` to `toUnit` (`"auto"`/`"minimum"` pick the best unit).
    /// Returns the scaled value and the unit's display name ("" for plain counts).
    public static func scale(_ value: Int64, from fromUnit: String, to toUnit: String = "auto") -> (Double, String) {
        if value < 0 && value != .min {
            let (v, u) = scale(-value, from: fromUnit, to: toUnit)
            return (-v, u)
        }
        for family in families {
            guard let from = family.find(fromUnit) else { continue }
            let base = Double(value) * from.factor
            if toUnit == "auto" || toUnit == "minimum" {
                if let scaled = family.autoScale(base) { return scaled }
                return (base / family.defaultUnit.factor, family.defaultUnit.canonical)
            }
            guard let to = family.find(toUnit) else {
                return (base / family.defaultUnit.factor, family.defaultUnit.canonical)
            }
            return (base / to.factor, to.canonical)
        }
        switch toUnit {
        case "count", "sample", "unit", "minimum", "auto": return (Double(value), "")
        default: return (Double(value), toUnit)
        }
    }

    /// `value` in `fromUnit` expressed in `toUnit`, when both are of one family (bytes, time) or
    /// both are plain counts; nil otherwise.
    public static func convert(_ value: Double, from fromUnit: String, to toUnit: String) -> Double? {
        for family in families {
            guard let from = family.find(fromUnit) else { continue }
            guard let to = family.find(toUnit) else { return nil }
            return value * from.factor / to.factor
        }
        let plain: Set = ["", "count", "sample", "samples", "unit", "units"]
        return plain.contains(fromUnit.lowercased()) && family(of: toUnit) == nil ? value : nil
    }

    /// The family (bytes or time) a unit belongs to, nil for plain counts and unknown units.
    static func family(of unit: String) -> Int? {
        families.firstIndex { $0.find(unit) != nil }
    }

    /// pprof's `ScaledLabel`: `%.2f` without a trailing `.00`, unit glued on ("1.28s", "45MB", "0").
    public static func label(_ value: Int64, unit: String, to toUnit: String = "auto") -> String {
        let (v, u) = scale(value, from: unit, to: toUnit)
        var text = String(format: "%.2f", v)
        if text.hasSuffix(".00") { text.removeLast(3) }
        if text == "0" || text == "-0" { return "0" }
        return text + u
    }

    /// pprof's `Percentage`: `100%` near 100, `%.2f%%` from 1, else `%.2g%%`; always 5 wide before `%`.
    public static func percentage(_ value: Int64, of total: Int64) -> String {
        var ratio = 0.0
        if total != 0 { ratio = abs(Double(value) / Double(total)) * 100 }
        switch ratio {
        case let r where abs(r) >= 99.95 && abs(r) <= 100.05: return "  100%"
        case let r where abs(r) >= 1.0: return String(format: "%5.2f%%", r)
        default: return String(format: "%5.2g%%", ratio)
        }
    }

    /// `value / divisor` printed exactly (no exponent, no trailing zeros).
    public static func decimal(_ value: Int64, divisor: Int64) -> String {
        guard divisor > 1 else { return String(value) }
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        let whole = magnitude / UInt64(divisor), fraction = magnitude % UInt64(divisor)
        if fraction == 0 { return sign + String(whole) }
        var digits = String(fraction)
        let width = String(divisor).count - 1
        digits = String(repeating: "0", count: width - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return sign + String(whole) + "." + digits
    }

}
