extension Profile {
    /// pprof's `FilterSamplesByName`: keeps samples with a frame matching `focus` and none
    /// matching `ignore`, removes frames matching `hide` (or not matching `show`); a sample left
    /// without frames by hiding is dropped. Values are untouched.
    public func filtered(by filter: StackFilter) throws(ProfileError) -> Profile {
        if filter.isEmpty { return self }
        let verdicts = try filter.verdicts(for: frames)
        var result = Profile(source: source, sampleTypes: sampleTypes, defaultSampleIndex: defaultSampleIndex)
        result.copyMetadata(from: self)
        result.frames = frames
        var stack: [Int32] = []
        var sampleValues = [Int64](repeating: 0, count: sampleTypes.count)
        for s in 0..<sampleCount {
            let original = self.stack(s)
            if let focus = verdicts.focus, !original.contains(where: { focus[Int($0)] }) { continue }
            if let ignore = verdicts.ignore, original.contains(where: { ignore[Int($0)] }) { continue }
            stack.removeAll(keepingCapacity: true)
            if let keep = verdicts.keepFrame {
                for f in original where keep[Int(f)] { stack.append(f) }
                if stack.isEmpty && !original.isEmpty { continue }
            } else {
                stack.append(contentsOf: original)
            }
            for i in sampleValues.indices { sampleValues[i] = value(s, i) }
            if let l = labels[s] { result.labels[result.sampleCount] = l }
            result.addSample(stack: stack, values: sampleValues)
        }
        return result
    }

    /// Copies everything but the samples and frames.
    public mutating func copyMetadata(from other: Profile) {
        valueDivisor = other.valueDivisor
        timeNanos = other.timeNanos
        durationNanos = other.durationNanos
        periodType = other.periodType
        period = other.period
        comments = other.comments
        mainBinary = other.mainBinary
        mainBuildID = other.mainBuildID
        baselineSampleIndex = other.baselineSampleIndex
        docURL = other.docURL
    }
}
