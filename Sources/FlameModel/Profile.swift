/// The one model every importer produces and every report and layout consumes.
///
/// Samples are stored column-wise for speed and memory: sample `i` has the frames
/// `stackFrames[stackStart[i]..<stackStart[i+1]]` (root first, leaf last) and the values
/// `values[i*sampleTypes.count ..< (i+1)*sampleTypes.count]`.
public struct Profile: Sendable {
    /// Where the data came from.
    public enum Source: String, Sendable { case pprof, folded, goroutineDump }

    public var source: Source
    public var sampleTypes: [SampleType]
    /// The sample index used when the user names none (pprof: `default_sample_type`, else the last).
    public var defaultSampleIndex: Int
    public var frames = FrameTable()
    public private(set) var stackStart: [Int] = [0]
    public private(set) var stackFrames: [Int32] = []
    public private(set) var values: [Int64] = []
    /// Values are fixed-point with this divisor (folded input with fractional counts); 1 otherwise.
    public var valueDivisor: Int64 = 1

    /// Collection time in nanoseconds since the epoch, 0 when unknown.
    public var timeNanos: Int64 = 0
    /// Length of the collection, 0 when unknown.
    public var durationNanos: Int64 = 0
    public var periodType: SampleType?
    public var period: Int64 = 0
    public var comments: [String] = []
    /// Basename of the main binary (pprof `mapping[0]`), empty when unknown.
    public var mainBinary: String = ""
    /// Build ID of the main binary, empty when unknown.
    public var mainBuildID: String = ""
    /// For differential folded input (`stack before after`): the sample index holding the "before" counts.
    public var baselineSampleIndex: Int?
    /// Labels of the samples that have any, by sample index.
    public var labels: [Int: [SampleLabel]] = [:]
    /// pprof `doc_url`, empty when unset.
    public var docURL: String = ""

    public init(source: Source, sampleTypes: [SampleType], defaultSampleIndex: Int? = nil) {
        self.source = source
        self.sampleTypes = sampleTypes
        self.defaultSampleIndex = defaultSampleIndex ?? max(0, sampleTypes.count - 1)
    }

    /// A profile from sample columns built elsewhere (see the type's description for the layout).
    public init(source: Source, sampleTypes: [SampleType], defaultSampleIndex: Int?, frames: FrameTable,
                stackStart: [Int], stackFrames: [Int32], values: [Int64]) {
        precondition(stackStart.first == 0 && stackStart.last == stackFrames.count, "stack starts cover the frames")
        precondition(values.count == (stackStart.count - 1) * sampleTypes.count, "one value per sample type")
        self.init(source: source, sampleTypes: sampleTypes, defaultSampleIndex: defaultSampleIndex)
        self.frames = frames
        self.stackStart = stackStart
        self.stackFrames = stackFrames
        self.values = values
    }

    public var sampleCount: Int { stackStart.count - 1 }

    /// Frames of all samples together.
    public var frameCount: Int { stackFrames.count }

    /// Appends a sample; `stack` is root first. `sampleValues` has one entry per sample type.
    public mutating func addSample<S: Sequence>(stack: S, values sampleValues: [Int64]) where S.Element == Int32 {
        precondition(sampleValues.count == sampleTypes.count, "one value per sample type")
        stackFrames.append(contentsOf: stack)
        stackStart.append(stackFrames.count)
        values.append(contentsOf: sampleValues)
    }

    /// Direct access to the sample columns for hot loops: frames, stack starts (one more than
    /// the sample count), values, and the number of values per sample.
    public func withSamples<R>(_ body: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int64>, Int) throws -> R) rethrows -> R {
        try stackFrames.withUnsafeBufferPointer { frames in
            try stackStart.withUnsafeBufferPointer { starts in
                try values.withUnsafeBufferPointer { v in try body(frames, starts, v, sampleTypes.count) }
            }
        }
    }

    /// The frames of sample `i`, root first.
    @inlinable
    public func stack(_ i: Int) -> ArraySlice<Int32> { stackFrames[stackStart[i]..<stackStart[i + 1]] }

    /// Value `index` of sample `i`.
    @inlinable
    public func value(_ i: Int, _ index: Int) -> Int64 { values[i * sampleTypes.count + index] }

    /// Adds `delta` to value `index` of sample `i`.
    public mutating func addToValue(_ i: Int, _ index: Int, _ delta: Int64) {
        values[i * sampleTypes.count + index] &+= delta
    }

    /// Sum of value `index` over all samples.
    public func total(_ index: Int) -> Int64 {
        var sum: Int64 = 0
        for i in 0..<sampleCount { sum &+= value(i, index) }
        return sum
    }

    /// Resolves a user's `--sample-index`: a number, a type name, or pprof's legacy spellings
    /// (`inuse_space` also matches a type named `space`). Nil selects the default.
    public func sampleIndex(named spec: String?) throws(ProfileError) -> Int {
        guard let spec, !spec.isEmpty else { return defaultSampleIndex }
        if let n = Int(spec) {
            guard n >= 0, n < sampleTypes.count else {
                throw .badSampleIndex("sample index \(n) out of range [0..\(sampleTypes.count - 1)]")
            }
            return n
        }
        let wanted = spec.hasPrefix("sample_index=") ? String(spec.dropFirst(13)) : spec
        if let i = sampleTypes.firstIndex(where: { $0.type == wanted }) { return i }
        for prefix in ["inuse_", "alloc_", "total_"] where wanted.hasPrefix(prefix) {
            let bare = String(wanted.dropFirst(prefix.count))
            if let i = sampleTypes.firstIndex(where: { $0.type == bare }) { return i }
        }
        let names = sampleTypes.map(\.type).joined(separator: ", ")
        throw .badSampleIndex("sample type \"\(spec)\" not found; this profile has: \(names)")
    }
}

/// Errors about using a profile (as opposed to reading one).
public enum ProfileError: Error, Equatable, CustomStringConvertible {
    case badSampleIndex(String)
    case badRegex(String)
    case incompatible(String)
    /// A value computed from the input does not fit in 64 bits.
    case overflow(String)

    public var description: String {
        switch self {
        case .badSampleIndex(let s), .badRegex(let s), .incompatible(let s), .overflow(let s): return s
        }
    }
}

/// A label attached to a sample (pprof `Label`): a string or a number with an optional unit.
public struct SampleLabel: Hashable, Sendable {
    public var key: String
    public var string: String?
    public var number: Int64?
    public var numberUnit: String?

    public init(key: String, string: String? = nil, number: Int64? = nil, numberUnit: String? = nil) {
        self.key = key
        self.string = string
        self.number = number
        self.numberUnit = numberUnit
    }
}
