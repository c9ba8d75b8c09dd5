/// Text for a terminal: control characters (ESC, BEL, C1 controls) shown as `\xNN`, and the
/// bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) as `\uNNNN`,
/// so a name can neither drive the terminal that prints it nor reorder the text around it.
public enum TerminalText {
    static func isBidiControl(_ v: UInt32) -> Bool {
        (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
    }

    static func needsEscape(_ v: UInt32) -> Bool {
        v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || isBidiControl(v)
    }

    public static func escaped(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { needsEscape($0.value) }) else { return s }
        var out = ""
        for u in s.unicodeScalars {
            if isBidiControl(u.value) {
                out += "\\u" + String(u.value, radix: 16)
            } else if needsEscape(u.value) {
                let hex = String(u.value, radix: 16)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
