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
