extension Profile {
    /// pprof's merge: the samples of several profiles of the same type in one profile, identical
    /// stacks with identical labels (in any order) summed, samples whose values are all zero,
    /// before or after summing, left out. Durations add up; the earliest time is kept.
    /// The values of `negated` profiles are subtracted instead (`--base`); `baseLabel` marks
    /// their samples with `pprof::base: true` so they stay apart, as pprof's `--diff-base` does.
    public static func merge(_ profiles: [Profile], negating negated: [Profile] = [], baseLabel: Bool = false) throws(ProfileError) -> Profile {
        guard let first = profiles.first else { throw .incompatible("nothing to merge") }
        for p in profiles.dropFirst() + negated where p.sampleTypes.map(\.type) != first.sampleTypes.map(\.type) {
            throw .incompatible("profiles have different sample types: \(first.sampleTypes.map(\.type)) and \(p.sampleTypes.map(\.type))")
        }
        var result = Profile(source: first.source, sampleTypes: first.sampleTypes, defaultSampleIndex: first.defaultSampleIndex)
        result.copyMetadata(from: first)
        result.durationNanos = 0
        result.timeNanos = 0
        var index: [MergeKey: Int] = [:]
        let base = SampleLabel(key: "pprof::base", string: "true")
        for (p, sign) in profiles.map({ ($0, Int64(1)) }) + negated.map({ ($0, Int64(-1)) }) {
            result.durationNanos = try Checked.add(result.durationNanos, p.durationNanos, "durations")
            if p.timeNanos != 0 && (result.timeNanos == 0 || p.timeNanos < result.timeNanos) { result.timeNanos = p.timeNanos }
            // Frames of `p` in the result's table.
            let remap = p.frames.frames.map { result.frames.intern($0) }
            for s in 0..<p.sampleCount where p.sampleTypes.indices.contains(where: { p.value(s, $0) != 0 }) {
                let stack = p.stack(s).map { remap[Int($0)] }
                var labels = p.labels[s] ?? []
                if baseLabel && sign < 0 { labels = labels.filter { $0.key != base.key } + [base] }
                let key = MergeKey(stack: stack, labels: Self.canonical(labels))
                if let existing = index[key] {
                    for i in p.sampleTypes.indices {
                        let sum = try Checked.add(result.value(existing, i), try Checked.multiply(sign, p.value(s, i), "sample values"), "sample values")
                        result.addToValue(existing, i, sum - result.value(existing, i))
                    }
                } else {
                    index[key] = result.sampleCount
                    if !labels.isEmpty { result.labels[result.sampleCount] = labels }
                    var values: [Int64] = []
                    for i in p.sampleTypes.indices { values.append(try Checked.multiply(sign, p.value(s, i), "sample values")) }
                    result.addSample(stack: stack, values: values)
                }
            }
        }
        return result.withoutZeroSamples()
    }

    /// Labels in the order pprof's merge compares them: string labels by key, then numeric
    /// labels by key; the values of one key keep their order.
    static func canonical(_ labels: [SampleLabel]) -> [SampleLabel] {
        labels.enumerated().sorted { a, b in
            let ka = (a.element.string == nil ? 1 : 0, a.element.key), kb = (b.element.string == nil ? 1 : 0, b.element.key)
            if ka.0 != kb.0 { return ka.0 < kb.0 }
            if ka.1 != kb.1 { return ka.1.utf8.lexicographicallyPrecedes(kb.1.utf8) }
            return a.offset < b.offset
        }.map(\.element)
    }

    private struct MergeKey: Hashable {
        let stack: [Int32]
        let labels: [SampleLabel]
    }
}

extension Profile {
    /// pprof's `-normalize`: scales every sample type so its total equals `base`'s. A scaled
    /// value that does not fit in 64 bits is an error.
    public mutating func normalize(to base: Profile) throws(ProfileError) {
        for i in sampleTypes.indices {
            let mine = total(i), theirs = base.total(i)
            guard mine != 0 else { continue }
            let ratio = Double(theirs) / Double(mine)
            for s in 0..<sampleCount {
                let v = value(s, i)
                let scaled = try Checked.integer((Double(v) * ratio).rounded(), "a normalized value")
                addToValue(s, i, scaled &- v)
            }
        }
    }
}

extension Profile {
    /// The profile without samples whose values are all zero (what pprof's merge drops).
    public func withoutZeroSamples() -> Profile {
        var keep: [Int] = []
        for s in 0..<sampleCount where sampleTypes.indices.contains(where: { value(s, $0) != 0 }) { keep.append(s) }
        if keep.count == sampleCount { return self }
        var result = Profile(source: source, sampleTypes: sampleTypes, defaultSampleIndex: defaultSampleIndex)
        result.copyMetadata(from: self)
        result.frames = frames
        for s in keep {
            if let l = labels[s] { result.labels[result.sampleCount] = l }
            result.addSample(stack: stack(s), values: sampleTypes.indices.map { value(s, $0) })
        }
        return result
    }
}
