extension Profile {
    /// pprof's filters in pprof's order: label pseudo-frames (`tagRoot`/`tagLeaf`), then
    /// `FilterSamplesByName` (focus, ignore, hide, show; a sample left without frames is
    /// dropped), then `FilterSamplesByTag` (tagFocus, tagIgnore), then `FilterTagsByName`
    /// (tagShow, tagHide). Values are untouched.
    ///
    /// When hiding removes the outermost function of a location, the next remaining function of
    /// that location is no longer an inlined call, as in pprof.
    public func filtered(by filter: StackFilter) throws(ProfileError) -> Profile {
        if filter.isEmpty { return self }
        let rootKeys = StackFilter.keys(filter.tagRoot), leafKeys = StackFilter.keys(filter.tagLeaf)
        if !rootKeys.isEmpty || !leafKeys.isEmpty {
            var rest = filter
            rest.tagRoot = nil
            rest.tagLeaf = nil
            return try withLabelFrames(rootKeys: rootKeys, leafKeys: leafKeys).filtered(by: rest)
        }
        let verdicts = try filter.verdicts(for: frames)
        let units = numericLabelUnits()
        func tagFilter(_ spec: String?, _ flag: String) throws(ProfileError) -> TagFilter? {
            guard let spec, !spec.isEmpty else { return nil }
            return try TagFilter(spec, flag: flag, units: units)
        }
        let tagFocus = try tagFilter(filter.tagFocus, "tagfocus"), tagIgnore = try tagFilter(filter.tagIgnore, "tagignore")
        let keepKey = try filter.labelKeyTest()
        var result = Profile(source: source, sampleTypes: sampleTypes, defaultSampleIndex: defaultSampleIndex)
        result.copyMetadata(from: self)
        result.frames = frames
        let inlined = frames.frames.map(\.isInlined)
        var outermost: [Int32: Int32] = [:]
        var stack: [Int32] = []
        var sampleValues = [Int64](repeating: 0, count: sampleTypes.count)
        for s in 0..<sampleCount {
            let original = self.stack(s)
            if let focus = verdicts.focus, !original.contains(where: { focus[Int($0)] }) { continue }
            if let ignore = verdicts.ignore, original.contains(where: { ignore[Int($0)] }) { continue }
            let sampleLabels = labels[s] ?? []
            if let tagFocus, !tagFocus.matches(sampleLabels) { continue }
            if let tagIgnore, tagIgnore.matches(sampleLabels) { continue }
            stack.removeAll(keepingCapacity: true)
            if let keep = verdicts.keepFrame {
                // Root first: a location is its outermost (not inlined) frame, then its inlined calls.
                var locationHeadDropped = false
                for f in original {
                    if !inlined[Int(f)] { locationHeadDropped = !keep[Int(f)] }
                    guard keep[Int(f)] else { continue }
                    if inlined[Int(f)] && locationHeadDropped {
                        stack.append(result.frames.outermostVersion(of: f, cache: &outermost))
                        locationHeadDropped = false
                    } else {
                        stack.append(f)
                    }
                }
                if stack.isEmpty && !original.isEmpty { continue }
            } else {
                stack.append(contentsOf: original)
            }
            for i in sampleValues.indices { sampleValues[i] = value(s, i) }
            let kept = keepKey.map { test in sampleLabels.filter { test($0.key) } } ?? sampleLabels
            if !kept.isEmpty { result.labels[result.sampleCount] = kept }
            result.addSample(stack: stack, values: sampleValues)
        }
        return result
    }

    /// pprof's `addLabelNodes`: for each key, a pseudo-frame named by the sample's values of
    /// that label (joined with commas; empty when it has none), with the key as its file; root
    /// keys above the root, leaf keys below the leaf, each in the order given.
    func withLabelFrames(rootKeys: [String], leafKeys: [String]) -> Profile {
        var result = Profile(source: source, sampleTypes: sampleTypes, defaultSampleIndex: defaultSampleIndex)
        result.copyMetadata(from: self)
        result.frames = frames
        result.labels = labels
        func labelFrames(_ s: Int, _ keys: [String]) -> [Int32] {
            keys.map { key in
                var values: [String] = []
                for l in labels[s] ?? [] where l.key == key {
                    if let v = l.string { values.append(v) }
                }
                for l in labels[s] ?? [] where l.key == key {
                    if let n = l.number { values.append(Units.label(n, unit: l.numberUnit ?? "", to: l.numberUnit == nil ? "" : "minimum")) }
                }
                return result.frames.intern(Frame(name: values.joined(separator: ","), file: key))
            }
        }
        var values = [Int64](repeating: 0, count: sampleTypes.count)
        for s in 0..<sampleCount {
            for i in values.indices { values[i] = value(s, i) }
            result.addSample(stack: labelFrames(s, rootKeys) + Array(stack(s)) + labelFrames(s, leafKeys), values: values)
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
