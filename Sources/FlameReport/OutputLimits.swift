import FlameModel

/// Bounds on what flamegen writes, so a small hostile input cannot make a huge output.
public enum OutputLimits {
    /// Text reports (`traces`, `convert --to folded`) larger than this are refused.
    public static let maxTextBytes = 256 << 20

    static func tooLarge(_ limit: Int) -> ProfileError {
        .overflow("the output would exceed \(limit >> 20) MiB; narrow it with --focus, --tagfocus or --hide")
    }
}

/// Text for a terminal: control characters (ESC, BEL, …) shown as `\xNN`, so a function name
/// can never drive the terminal that prints a report.
public enum TerminalText {
    public static func escaped(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) || s.unicodeScalars.contains(where: { (0x80...0x9F).contains($0.value) }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) {
                let hex = String(u.value, radix: 16)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
