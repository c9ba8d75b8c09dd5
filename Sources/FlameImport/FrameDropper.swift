import FlameModel

/// pprof's `drop_frames`/`keep_frames`: a location is cut at the outermost of its (inline) lines
/// whose simplified function name fully matches `drop` and not `keep`.
struct FrameDropper {
    let drop: NameRegex
    let keep: NameRegex?

    /// Nil when the profile asks to drop nothing. Invalid patterns are ignored, like pprof does.
    init?(drop: String, keep: String) {
        guard !drop.isEmpty, let d = try? NameRegex("^(?:\(drop))$") else { return nil }
        self.drop = d
        self.keep = keep.isEmpty ? nil : try? NameRegex("^(?:\(keep))$")
    }

    /// Index into `lineNames` (leaf first) of the outermost line to drop, if any.
    func cutIndex(lineNames: [String]) -> Int? {
        for i in stride(from: lineNames.count - 1, through: 0, by: -1) where !lineNames[i].isEmpty {
            let name = Self.simplify(lineNames[i])
            if drop.matches(name), !(keep?.matches(name) ?? false) {
                return i
            }
        }
        return nil
    }

    /// pprof's `simplifyFunc`: drops a leading `.` and the argument list, keeping the reserved
    /// names `(anonymous namespace)` and `operator()`.
    static func simplify(_ name: String) -> String {
        var s = Substring(name)
        if s.hasPrefix(".") { s = s.dropFirst() }
        var search = s.startIndex
        while let open = s[search...].firstIndex(of: "(") {
            let rest = s[open...]
            if rest.hasPrefix("(anonymous namespace)") {
                search = s.index(open, offsetBy: 21)
            } else if s[..<open].hasSuffix("operator") && rest.hasPrefix("()") {
                search = s.index(open, offsetBy: 2)
            } else {
                return String(s[..<open])
            }
        }
        return String(s)
    }
}
