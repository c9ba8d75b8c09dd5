/// How to turn a profile into a call tree.
public struct TreeOptions: Sendable {
    /// `--sample-index`: a number or a type name; nil for the profile's default.
    public var sampleIndex: String?
    public var filter = StackFilter()

    public init(sampleIndex: String? = nil, filter: StackFilter = StackFilter()) {
        self.sampleIndex = sampleIndex
        self.filter = filter
    }
}

extension CallTree {
    /// Builds the call tree of `profile` for one sample index, after filtering.
    /// Frames with the same name share nodes (pprof's "functions" granularity).
    public static func build(from profile: Profile, options: TreeOptions = TreeOptions()) throws(ProfileError) -> CallTree {
        let index = try profile.sampleIndex(named: options.sampleIndex)
        let baseline = options.sampleIndex == nil ? profile.baselineSampleIndex : nil
        var tree = CallTree(sampleType: profile.sampleTypes[index], differential: baseline != nil)
        tree.valueDivisor = profile.valueDivisor

        // Key of each frame: frames with the same name share a key.
        var keyOfName: [String: Int32] = [:]
        let frameKey: [Int32] = profile.frames.frames.map { frame in
            if let k = keyOfName[frame.name] { return k }
            let k = tree.addName(frame.name)
            keyOfName[frame.name] = k
            return k
        }
        let profile = try profile.filtered(by: options.filter)
        for s in 0..<profile.sampleCount {
            let value = profile.value(s, index)
            let base = baseline.map { profile.value(s, $0) } ?? 0
            if value == 0 && base == 0 { continue }
            var node: Int32 = 0
            for f in profile.stack(s) { node = tree.child(of: node, key: frameKey[Int(f)]) }
            tree.add(value, base: base, at: node)
        }
        return tree
    }
}
