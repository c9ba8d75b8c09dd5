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
    ///
    /// With a `base` profile (or two-column folded input) the tree is differential: `total`
    /// holds the profile's values and `baseTotal` the base's.
    public static func build(from profile: Profile, base: Profile? = nil, options: TreeOptions = TreeOptions()) throws(ProfileError) -> CallTree {
        let index = try profile.sampleIndex(named: options.sampleIndex)
        let baseline = options.sampleIndex == nil ? profile.baselineSampleIndex : nil
        let baseIndex = try base?.sampleIndex(named: options.sampleIndex ?? profile.sampleTypes[index].type)
        var tree = CallTree(sampleType: profile.sampleTypes[index], differential: baseline != nil || base != nil)
        tree.valueDivisor = profile.valueDivisor

        var keyOfName: [String: Int32] = [:]
        func add(_ source: Profile, index: Int, asBase: Bool) throws(ProfileError) {
            // Key of each frame: frames with the same name share a key.
            let frameKey: [Int32] = source.frames.frames.map { frame in
                if let k = keyOfName[frame.name] { return k }
                let k = tree.addName(frame.name)
                keyOfName[frame.name] = k
                return k
            }
            let filtered = try source.filtered(by: options.filter)
            for s in 0..<filtered.sampleCount {
                var value = filtered.value(s, index)
                var before = baseline.map { filtered.value(s, $0) } ?? 0
                if asBase { (value, before) = (0, value) }
                if value == 0 && before == 0 { continue }
                var node: Int32 = 0
                for f in filtered.stack(s) { node = tree.child(of: node, key: frameKey[Int(f)]) }
                tree.add(value, base: before, at: node)
            }
        }
        try add(profile, index: index, asBase: false)
        if let base, let baseIndex { try add(base, index: baseIndex, asBase: true) }
        return tree
    }
}
