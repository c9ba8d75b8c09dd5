import FlameModel

/// Writes a profile as folded stacks (`root;…;leaf value`), one line per distinct stack, sorted,
/// for flamegraph.pl, difffolded.pl, grep and sed. A `;` inside a name is written as `\;` and
/// line breaks as spaces, so every line keeps its shape.
public enum FoldedExport {
    public static func text(_ profile: Profile, index: Int) -> String {
        let names = profile.frames.frames.map { frame -> String in
            var name = frame.name
            if name.contains(";") { name = name.replacingOccurrences(of: ";", with: "\\;") }
            if name.contains("\n") || name.contains("\r") {
                name = name.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            }
            return name
        }
        let baseline = profile.baselineSampleIndex
        var sums: [String: (Int64, Int64)] = [:]
        for s in 0..<profile.sampleCount {
            let v = profile.value(s, index)
            let b = baseline.map { profile.value(s, $0) } ?? 0
            if v == 0 && b == 0 { continue }
            let key = profile.stack(s).map { names[Int($0)] }.joined(separator: ";")
            let old = sums[key] ?? (0, 0)
            sums[key] = (old.0 + v, old.1 + b)
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
}
