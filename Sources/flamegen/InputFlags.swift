import FlameTrace
import ArgumentParser
import FlameImport
import FlameModel

/// Flags about reading the inputs, shared by every command that reads profiles.
struct InputFlags: ParsableArguments {
    @Option(help: "Sample type: a name (cpu, inuse_space, alloc_objects, delay, ...) or an index.")
    var sampleIndex: String?

    @Option(help: "Keep only samples with a frame matching this regex.")
    var focus: String?

    @Option(help: "Drop samples with a frame matching this regex.")
    var ignore: String?

    @Option(help: "Remove frames matching this regex from the stacks.")
    var hide: String?

    @Option(help: "Keep only frames matching this regex.")
    var show: String?

    @Option(help: "Keep only samples with these labels: [KEY=]REGEX[,REGEX...], or a numeric range with units (bytes=1kb:64kb).")
    var tagfocus: String?

    @Option(help: "Drop samples with these labels (same syntax as --tagfocus).")
    var tagignore: String?

    @Option(help: "Keep only the label keys matching this regex.")
    var tagshow: String?

    @Option(help: "Remove the label keys matching this regex.")
    var taghide: String?

    @Option(help: "Comma-separated label keys whose values become frames above the root.")
    var tagroot: String?

    @Option(help: "Comma-separated label keys whose values become frames below the leaf.")
    var tagleaf: String?

    @Option(help: "Refuse inputs that decompress to more than this many MiB.")
    var maxInputMb: Int = 4096

    @Option(help: "Go execution traces: the profile to take, net|sync|syscall|sched (go tool trace -pprof=TYPE) or cpu (default: cpu when the trace has CPU samples, else sync).")
    var traceProfile: String?

    var traceProfileKind: TraceProfileKind? { traceProfile.flatMap(TraceProfileKind.init(rawValue:)) }

    @OptionGroup var dump: DumpFlags

    @OptionGroup var perf: CollapseFlags

    func validate() throws {
        if let traceProfile, TraceProfileKind(rawValue: traceProfile) == nil {
            throw ValidationError("--trace-profile must be one of \(TraceProfileKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (1...1_048_576).contains(maxInputMb) else { throw ValidationError("--max-input-mb must be between 1 and 1048576 (1 TiB)") }
    }

    var filter: StackFilter {
        var f = StackFilter(focus: focus, ignore: ignore, hide: hide, show: show)
        f.tagFocus = tagfocus
        f.tagIgnore = tagignore
        f.tagShow = tagshow
        f.tagHide = taghide
        f.tagRoot = tagroot
        f.tagLeaf = tagleaf
        return f
    }
    var maxInputBytes: Int { maxInputMb << 20 }
}

/// How goroutine dumps become stacks.
struct DumpFlags: ParsableArguments {
    @Option(help: "Goroutine dumps: put the wait state (chan receive, select, ...) at the root, the leaf, nowhere (none), or in a `wait_state` label (label).")
    var goroutineState: String = "root"

    @Flag(help: "Goroutine dumps: add `created by ...` as the outermost frame.")
    var createdBy = false

    @Option(help: "Goroutine dumps (debug=2): group waits into these buckets of minutes, e.g. 1,10,60; the state frame becomes [chan receive, ≥10 min].")
    var waitBuckets: String?

    func validate() throws {
        guard GoroutineDumpParser.StatePlacement(rawValue: goroutineState) != nil else {
            throw ValidationError("--goroutine-state must be root, leaf, none or label")
        }
        if waitBuckets != nil && buckets == nil {
            throw ValidationError("--wait-buckets takes minutes separated by commas, e.g. 1,10,60")
        }
        if waitBuckets != nil && (goroutineState == "none" || goroutineState == "label") {
            throw ValidationError("--wait-buckets labels the state frame; it cannot be combined with --goroutine-state none or label")
        }
    }

    /// The parsed `--wait-buckets`, nil when malformed.
    private var buckets: [Int64]? {
        guard let waitBuckets else { return [] }
        let values = waitBuckets.split(separator: ",").map { Int64($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ ($0 ?? -1) >= 0 && ($0 ?? 0) <= 1_000_000 }) else { return nil }
        return values.compactMap { $0 }
    }

    var parser: GoroutineDumpParser {
        GoroutineDumpParser(state: GoroutineDumpParser.StatePlacement(rawValue: goroutineState) ?? .root, includeCreatedBy: createdBy,
                            waitBuckets: buckets ?? [])
    }
}

/// How `perf script` and DTrace text becomes stacks (the options of inferno's collapsers).
struct CollapseFlags: ParsableArguments {
    @Flag(help: "perf script: root frames comm-PID.")
    var pid = false
    @Flag(help: "perf script: root frames comm-PID/TID.")
    var tid = false
    @Flag(help: "perf script: mark kernel frames with _[k].")
    var kernel = false
    @Flag(help: "perf script: mark JIT frames with _[j].")
    var jit = false
    @Flag(name: .customLong("all"), help: "perf script: --kernel and --jit.")
    var allAnnotations = false
    @Flag(help: "perf script: [module <addr>] for frames without a symbol.")
    var addrs = false
    @Option(help: "perf script: keep the samples of this event (default: the first event type seen).")
    var eventFilter: String?
    @Option(help: "perf script: drop the callers of this function (repeatable).")
    var skipAfter: [String] = []
    @Flag(help: "DTrace: keep +0x offsets on every frame but the leaf.")
    var includeoffset = false

    var options: CollapseOptions {
        var o = CollapseOptions()
        o.includePid = pid
        o.includeTid = tid
        o.annotateKernel = kernel || allAnnotations
        o.annotateJit = jit || allAnnotations
        o.includeAddrs = addrs
        o.eventFilter = eventFilter
        o.skipAfter = skipAfter
        o.includeOffset = includeoffset
        return o
    }
}

/// PNG output flags, shared by the pictures.
struct PNGFlags: ParsableArguments {
    @Option(help: "PNG output: pixels per unit (2 for high-DPI screens).")
    var scale: Double = 1

    @Option(help: "PNG output: font file to draw with (default: DejaVu Sans Mono for flame graphs, DejaVu Sans for call graphs).")
    var font: String?

    func validate() throws {
        guard scale > 0, scale <= 8 else { throw ValidationError("--scale must be between 0 and 8") }
    }
}
