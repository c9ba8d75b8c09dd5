extension Profile {
    /// pprof's merge: the samples of several profiles of the same type in one profile, identical
    /// stacks (with identical labels) summed, samples whose values are all zero left out. Durations add up; the earliest time is kept.
    /// With `negating`, the values of those profiles are subtracted instead (`--base`); with
    /// `keepingNegatedApart` their samples stay separate from the others, as pprof's
    /// `--diff-base` does by labelling them.
    public static func merge(_ profiles: [Profile], negating negated: [Profile] = [], keepingNegatedApart: Bool = false) throws(ProfileError) -> Profile {
        guard let first = profiles.first else { throw .incompatible("nothing to merge") }
        for p in profiles.dropFirst() + negated where p.sampleTypes.map(\.type) != first.sampleTypes.map(\.type) {
            throw .incompatible("profiles have different sample types: \(first.sampleTypes.map(\.type)) and \(p.sampleTypes.map(\.type))")
        }
        var result = Profile(source: first.source, sampleTypes: first.sampleTypes, defaultSampleIndex: first.defaultSampleIndex)
        result.copyMetadata(from: first)
        result.durationNanos = 0
        result.timeNanos = 0
        var index: [MergeKey: Int] = [:]
        for (p, sign) in profiles.map({ ($0, Int64(1)) }) + negated.map({ ($0, Int64(-1)) }) {
            result.durationNanos += p.durationNanos
            if p.timeNanos != 0 && (result.timeNanos == 0 || p.timeNanos < result.timeNanos) { result.timeNanos = p.timeNanos }
            // Frames of `p` in the result's table.
            let remap = p.frames.frames.map { result.frames.intern($0) }
            for s in 0..<p.sampleCount where p.sampleTypes.indices.contains(where: { p.value(s, $0) != 0 }) {
                let stack = p.stack(s).map { remap[Int($0)] }
                let key = MergeKey(stack: stack, labels: p.labels[s] ?? [], apart: keepingNegatedApart && sign < 0)
                if let existing = index[key] {
                    for i in p.sampleTypes.indices { result.addToValue(existing, i, sign * p.value(s, i)) }
                } else {
                    index[key] = result.sampleCount
                    if let l = p.labels[s] { result.labels[result.sampleCount] = l }
                    result.addSample(stack: stack, values: p.sampleTypes.indices.map { sign * p.value(s, $0) })
                }
            }
        }
        return result
    }

    private struct MergeKey: Hashable {
        let stack: [Int32]
        let labels: [SampleLabel]
        let apart: Bool
    }
}

extension Profile {
    /// pprof's `-normalize`: scales every sample type so its total equals `base`'s.
    public mutating func normalize(to base: Profile) {
        for i in sampleTypes.indices {
            let mine = total(i), theirs = base.total(i)
            guard mine != 0 else { continue }
            let ratio = Double(theirs) / Double(mine)
            for s in 0..<sampleCount {
                let v = value(s, i)
                addToValue(s, i, Int64((Double(v) * ratio).rounded()) - v)
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
