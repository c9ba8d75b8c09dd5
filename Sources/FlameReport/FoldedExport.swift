import FlameModel

/// Writes a profile as folded stacks (`root;…;leaf value`), one line per distinct stack, sorted,
/// for flamegraph.pl, difffolded.pl, grep and sed. Names the format cannot carry are refused
/// rather than changed: a `;` (the separator), a line break, or a trailing ` 123` (it would
/// read back as a count). Use `--to pprof` for such profiles.
public enum FoldedExport {
    public static func text(_ profile: Profile, index: Int, maxBytes: Int = OutputLimits.maxTextBytes) throws(ProfileError) -> String {
        var names: [String] = []
        names.reserveCapacity(profile.frames.count)
        for frame in profile.frames.frames {
            if let why = unfoldable(frame.name) {
                throw .incompatible("the function name \"\(TerminalText.escaped(String(frame.name.prefix(80))))\" \(why), which folded stacks cannot carry; convert with --to pprof instead")
            }
            names.append(frame.name)
        }
        let baseline = profile.baselineSampleIndex
        var sums: [String: (Int64, Int64)] = [:]
        var size = 0
        for s in 0..<profile.sampleCount {
            let v = profile.value(s, index)
            let b = baseline.map { profile.value(s, $0) } ?? 0
            if v == 0 && b == 0 { continue }
            let stack = profile.stack(s)
            var length = stack.count
            for f in stack { length += names[Int(f)].utf8.count }
            guard length <= maxBytes else { throw OutputLimits.tooLarge(maxBytes) }
            let key = stack.map { names[Int($0)] }.joined(separator: ";")
            if let old = sums[key] {
                sums[key] = (old.0 + v, old.1 + b)
            } else {
                size += key.utf8.count + 24
                guard size <= maxBytes else { throw OutputLimits.tooLarge(maxBytes) }
                sums[key] = (v, b)
            }
        }
        var out = ""
        for key in sums.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let (v, b) = sums[key]!
            out += key + " "
            if baseline != nil { out += Units.decimal(b, divisor: profile.valueDivisor) + " " }
            out += Units.decimal(v, divisor: profile.valueDivisor) + "\n"
        }
        return out
    }

    /// Why a name would not read back the same, or nil.
    static func unfoldable(_ name: String) -> String? {
        if name.contains(";") { return "contains ';'" }
        if name.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) { return "contains a line break" }
        let bytes = Array(name.utf8)
        var i = bytes.count
        while i > 0, bytes[i - 1] >= 0x30, bytes[i - 1] <= 0x39 || bytes[i - 1] == 0x2E { i -= 1 }
        if i < bytes.count, i > 0, [0x20, 0x09, 0x0B, 0x0C].contains(bytes[i - 1]) { return "ends in a number after a space" }
        return nil
    }
}
