/// Go's `time.Duration.String()`: `0s`, `750ns`, `1.5µs`, `12.345678ms`, `2m3.000000001s`.
public enum GoDuration {
    public static func string(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let u = nanoseconds.magnitude
        var text: String
        if u < 1_000_000_000 {
            let (unit, divisor): (String, UInt64) = u < 1_000 ? ("ns", 1) : u < 1_000_000 ? ("µs", 1_000) : ("ms", 1_000_000)
            text = fraction(u, divisor) + unit
        } else {
            let totalSeconds = u / 1_000_000_000
            let hours = totalSeconds / 3600, minutes = (totalSeconds / 60) % 60
            text = fraction(u % 60_000_000_000, 1_000_000_000) + "s"
            if hours > 0 || minutes > 0 { text = "\(minutes)m" + text }
            if hours > 0 { text = "\(hours)h" + text }
        }
        return (negative ? "-" : "") + text
    }

    /// `value / divisor` with the fraction's trailing zeros removed.
    private static func fraction(_ value: UInt64, _ divisor: UInt64) -> String {
        let whole = value / divisor, rest = value % divisor
        guard rest != 0 else { return String(whole) }
        var digits = String(rest)
        digits = String(repeating: "0", count: String(divisor).count - 1 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}

extension GoDuration {
    /// Parses `1.5s`, `200ms`, `750us`/`750µs`, `10ns`, `2m`, `1h30m` (Go's `time.ParseDuration`
    /// units, no sign); nil for anything else.
    public static func parse(_ text: String) -> Int64? {
        let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9)]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !$0.isNumber && $0 != "." }
            guard let unit = units.first(where: { $0.0 == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        guard total.isFinite, total < 9.2e18 else { return nil }
        return Int64(total)
    }
}
