import ArgumentParser
import CMalloc
import FlameApp
import FlameImport
import FlameLayout
import FlameModel
import FlameTrace
import Foundation

/// The `flamegen` command line: a thin layer that turns flags into a `FlameJob`.
@main
struct Flamegen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flamegen",
        abstract: "Flame graphs, call graphs and pprof-compatible reports from profiles.",
        discussion: """
        Reads pprof profiles (gzipped or raw: cpu, heap, allocs, goroutine, block, mutex, \
        threadcreate), folded stacks (flamegraph.pl's `a;b;c 12`) and Go goroutine dumps \
        (debug=1 or debug=2). The format is detected from the content; - reads stdin.

        Examples:
          flamegen cpu.pb.gz -o cpu.svg
          flamegen heap.pb.gz --sample-index alloc_space -o allocs.png
          flamegen icicle perf.folded -o icicle.svg --title "Checkout"
          flamegen new.pb.gz --base old.pb.gz -o diff.svg
          flamegen graph cpu.pb.gz -o graph.svg
          flamegen top cpu.pb.gz --cum
          flamegen report heap.pb.gz -o report/
          curl -s host:6060/debug/pprof/goroutine?debug=2 | flamegen - -o g.svg
        """,
        version: "flamegen 0.3.0",
        subcommands: [Flame.self, Icicle.self, View.self, Top.self, Traces.self, Tags.self, Peek.self, List.self, Graph.self, Convert.self, Collapse.self, Goroutines.self, Tasks.self, MMU.self, Report.self, Check.self],
        defaultSubcommand: Flame.self
    )

    /// A run allocates and frees many buffers of megabytes (tables that grow, input chunks,
    /// the output). By default glibc hands the top of its heap back to the system as soon as
    /// 128 KB are free and grows it again page by page, so the same memory is faulted in and
    /// zeroed again and again. Freed heap is kept instead and grown 64 MB at a time. Buffers
    /// above glibc's mapping threshold are still mapped and unmapped on their own: mapping them
    /// from the heap too (tried) made the peak memory of a 1.2M-sample pprof profile grow by half.
    private static func keepFreedMemory() {
        mallopt(M_TRIM_THRESHOLD, Int32.max)
        mallopt(M_TOP_PAD, 64 << 20)
    }

    static func main() {
        // A closed pipe (`flamegen top x | head`) is a write error, not a silent death.
        signal(SIGPIPE, SIG_IGN)
        keepFreedMemory()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let word = arguments.first, let message = CommandWords.unknownCommand(word) {
            FileHandle.standardError.write(Data("flamegen: \(message)\n".utf8))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as AppError {
            FileHandle.standardError.write(Data("flamegen: \(error.message)\n".utf8))
            Foundation.exit(error.exitCode)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            // One line, like every other error; the details are in the subcommand's help.
            let help = CommandWords.helpCommand(for: arguments)
            FileHandle.standardError.write(Data("flamegen: \(message(for: error)) (see \(help))\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// Flags shared by the flame and icicle commands.
struct FlameFlags: ParsableArguments {
    @Argument(help: "Profile files: pprof (.pb.gz or raw) or folded stacks; - reads standard input.")
    var inputs: [String]

    @Option(name: [.short, .long], help: "Output file (.svg, .png, or .html for the interactive viewer), or - for SVG on standard output.")
    var output: String

    @OptionGroup var input: InputFlags

    @Option(help: "Title (default: derived from the profile type).")
    var title: String?

    @Option(help: "Second title line (default for --base: before → after totals).")
    var subtitle: String?

    @Option(help: "Name of the root frame (flamegraph.pl calls it all).")
    var rootName = "root"

    @Option(help: "Image width in pixels.")
    var width: Double = 1200

    @Option(help: "Omit frames narrower than this many pixels.")
    var minwidth: Double = 0.1

    @Option(help: "Frame height in pixels (flamegraph.pl's --height).")
    var height: Double = 16

    @Option(help: "Palette: \(Palette.allCases.map(\.rawValue).joined(separator: ", ")).")
    var colors: String = "hot"

    @Flag(help: "Colour by name hash, so similar names get similar colours across graphs.")
    var hash = false

    @Flag(inversion: .prefixedNo, help: "Colour pprof frames by Go package (default on for pprof input).")
    var packageColors: Bool?

    @Flag(help: "Reverse every stack (leaf first), as flamegraph.pl's --reverse.")
    var reverse = false

    @Flag(help: "Flame chart: stacks in input order (x is time), merged only with the stack before.")
    var flamechart = false

    @Option(help: "Noun for counts in tooltips (default: samples).")
    var countname: String?

    @Option(help: "Compare against this profile: a differential flame graph, red for growth, blue for shrink.")
    var base: [String] = []

    @Option(help: "Same as --base (pprof's name for it).")
    var diffBase: [String] = []

    @Flag(help: "Differential graphs: size frames by the \"before\" values instead of \"after\".")
    var negate = false

    @Flag(help: "Leave out the interactive script (static SVG).")
    var noJavascript = false

    @Option(help: "Go execution traces: the timeline starts this long after the trace does (e.g. 1.5s, 200ms).")
    var start: String?

    @Option(help: "Go execution traces: the timeline ends this long after the trace starts.")
    var end: String?

    @OptionGroup var png: PNGFlags

    func validate() throws {
        guard Palette(rawValue: colors) != nil else {
            throw ValidationError("unknown palette '\(colors)'; choose one of: \(Palette.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard width >= 100, width <= 100_000 else { throw ValidationError("--width must be between 100 and 100000") }
        guard minwidth >= 0 else { throw ValidationError("--minwidth must not be negative") }
        guard (8...200).contains(height) else { throw ValidationError("--height must be between 8 and 200") }
        for (name, value) in [("--start", start), ("--end", end)] where value != nil && GoDuration.parse(value!) == nil {
            throw ValidationError("\(name) takes a duration such as 1.5s, 200ms or 750us")
        }
    }

    func job(inverted: Bool) -> FlameJob {
        var job = FlameJob(inputs: inputs, output: output)
        job.base = base + diffBase
        job.tree = TreeOptions(sampleIndex: input.sampleIndex, filter: input.filter, reverse: reverse)
        job.tree.flameChart = flamechart
        job.flame.width = width
        job.flame.minWidth = minwidth
        job.flame.frameHeight = height
        job.flame.inverted = inverted
        job.flame.subtitle = subtitle
        job.flame.rootName = rootName
        job.flame.coloring = FrameColoring(palette: Palette(rawValue: colors) ?? .hot, nameHash: hash)
        job.flame.countName = countname
        job.flame.negate = negate
        job.title = title
        job.colorByPackage = packageColors
        job.interactive = !noJavascript
        job.maxInputBytes = input.maxInputBytes
        job.scale = png.scale
        job.fontPath = png.font
        job.goroutines = input.dump.parser
        job.collapse = input.perf.options
        job.timelineStart = start.flatMap(GoDuration.parse) ?? 0
        job.timelineEnd = end.flatMap(GoDuration.parse)
        job.traceProfile = input.traceProfileKind
        return job
    }
}

extension Flamegen {
    /// `flamegen flame`: the default job, a flame graph with the root at the bottom.
    struct Flame: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "flame", abstract: "Render a flame graph (root at the bottom). The default command.")

        @OptionGroup var flags: FlameFlags

        @Flag(help: "Draw an icicle instead (root at the top).")
        var inverted = false

        func run() throws {
            try flags.job(inverted: inverted).run()
        }
    }

    /// `flamegen icicle`: the root at the top.
    struct Icicle: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "icicle", abstract: "Render an icicle graph (root at the top).")

        @OptionGroup var flags: FlameFlags

        func run() throws {
            try flags.job(inverted: true).run()
        }
    }
}

