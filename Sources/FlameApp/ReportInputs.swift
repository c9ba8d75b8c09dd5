import FlameTrace
import FlameImport
import FlameModel
import FlameReport

/// The profiles a report reads: inputs (merged), and optionally a base to subtract.
public struct ReportInputs: Sendable {
    public var inputs: [String]
    /// `--base`: subtracted; percentages against the result's total.
    public var base: [String] = []
    /// `--diff-base`: subtracted; percentages against the base's total.
    public var diffBase: [String] = []
    /// Scale the inputs so their total equals the base's before subtracting.
    public var normalize = false
    public var maxInputBytes = 4 << 30
    /// How goroutine dumps become stacks.
    public var goroutines = GoroutineDumpParser()
    /// How `perf script` and DTrace inputs are collapsed.
    public var collapse = CollapseOptions()
    /// Which profile a Go execution trace gives (nil: its CPU samples, else `sync`).
    public var traceProfile: TraceProfileKind?

    public init(inputs: [String]) { self.inputs = inputs }

    /// Loads and merges the inputs, subtracts any base, and prepares the report context.
    /// Like pprof, a single profile without a base is used as it is (zero samples included);
    /// several profiles, or a profile and its base, are merged.
    public func context(options: ReportOptions) throws(AppError) -> ReportContext {
        let (sources, bases) = try load()
        return try context(options: options, sources: sources, bases: bases)
    }

    /// Reads every input and every base.
    public func load() throws(AppError) -> (sources: [Profile], bases: [Profile]) {
        var loader = ProfileLoader(maxDecompressedBytes: maxInputBytes, goroutines: goroutines)
        loader.collapse = collapse
        loader.traceProfile = traceProfile
        func load(_ paths: [String]) throws(AppError) -> [Profile] {
            var result: [Profile] = []
            for path in paths {
                do { result.append(try loader.load(path: path)) } catch { throw AppError(error.description) }
            }
            return result
        }
        guard base.isEmpty || diffBase.isEmpty else { throw AppError("--base and --diff-base cannot be combined") }
        return (try load(inputs), try load(base.isEmpty ? diffBase : base))
    }

    /// The report context of profiles already loaded by `load()`.
    public func context(options: ReportOptions, sources: [Profile], bases: [Profile]) throws(AppError) -> ReportContext {
        let where_ = inputs.joined(separator: ", ")
        do {
            if let first = sources.first { try first.checkValueRange(alongside: Array(sources.dropFirst()) + bases) }
            var merged = sources.count == 1 ? sources[0] : try Profile.merge(sources)
            if !bases.isEmpty {
                let baseProfile = try Profile.merge(bases)
                if normalize {
                    try merged.normalize(to: baseProfile)
                    try merged.checkValueRange(alongside: [baseProfile])
                }
                merged = try Profile.merge([merged], negating: [baseProfile], baseLabel: !diffBase.isEmpty)
            } else if normalize {
                throw ProfileError.incompatible("--normalize needs --base or --diff-base")
            }
            var o = options
            o.diffBase = !diffBase.isEmpty
            return try ReportContext(profile: merged, options: o)
        } catch {
            throw AppError("\(where_): \(error)")
        }
    }
}
