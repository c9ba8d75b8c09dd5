import FlameModel

/// pprof's `-traces` report: every sample, in profile order, as its stack (leaf first) with its
/// value and labels. Values are scaled one by one, not to a common unit.
public struct TracesReport: Sendable {
    public let context: ReportContext

    public init(context: ReportContext) { self.context = context }

    static let separator = "-----------+-------------------------------------------------------"

    /// Control characters in names and labels are shown escaped (`\x1b`); output beyond
    /// `maxBytes` is refused.
    public func text(maxBytes: Int = OutputLimits.maxTextBytes) throws(ProfileError) -> String {
        var out = context.profileLabels().joined(separator: "\n") + "\n"
        let profile = context.filtered
        let granularity = context.options.granularity
        var names = [String?](repeating: nil, count: profile.frames.count)
        for s in 0..<profile.sampleCount {
            let stack = profile.stack(s)
            if stack.isEmpty { continue }
            out += Self.separator + "\n"
            out += labelLines(profile.labels[s] ?? [])
            var v = profile.value(s, context.index)
            if context.options.mean, case let count = profile.value(s, 0), count != 0 {
                v = v.dividedReportingOverflow(by: count).partialValue
            }
            let value = context.format(v)
            var first = true
            for f in stack.reversed() {
                let frame = profile.frames[f]
                // --noinlines: each location shows only its outermost function.
                if context.options.noInlines && frame.isInlined { continue }
                let name = names[Int(f)] ?? TerminalText.escaped(granularity.printableName(frame))
                names[Int(f)] = name
                out += pad(first ? value : "") + "   " + name + (frame.isInlined ? " (inline)" : "") + "\n"
                guard out.utf8.count <= maxBytes else { throw OutputLimits.tooLarge(maxBytes) }
                first = false
            }
        }
        out += Self.separator + "\n"
        return out
    }

    private func pad(_ s: String) -> String {
        s.count >= 10 ? s : String(repeating: " ", count: 10 - s.count) + s
    }

    /// String labels, then numeric labels, each group sorted, as `%10s:  values`.
    private func labelLines(_ labels: [SampleLabel]) -> String {
        guard !labels.isEmpty else { return "" }
        var strings: [String: [String]] = [:], numbers: [String: [String]] = [:]
        var stringKeys: [String] = [], numberKeys: [String] = []
        for l in labels {
            if let s = l.string {
                if strings[l.key] == nil { stringKeys.append(l.key) }
                strings[l.key, default: []].append(s)
            } else if let n = l.number {
                if numbers[l.key] == nil { numberKeys.append(l.key) }
                let unit = l.numberUnit ?? (l.key == "bytes" ? "bytes" : l.key)
                numbers[l.key, default: []].append(Units.label(n, unit: unit))
            }
        }
        let s = stringKeys.map { pad(TerminalText.escaped($0)) + ":  " + strings[$0]!.map(TerminalText.escaped).joined(separator: " ") + "\n" }.sorted()
        let n = numberKeys.map { pad($0) + ":  " + numbers[$0]!.joined(separator: " ") + "\n" }.sorted()
        return (s + n).joined()
    }
}
