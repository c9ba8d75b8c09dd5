import ArgumentParser
import FlameApp
import FlameImport
import FlameModel
import FlameReport
import Foundation

/// Flags shared by the text reports (pprof's vocabulary).
struct ReportFlags: ParsableArguments {
    @Argument(help: "Profiles (merged when several); - reads standard input.")
    var inputs: [String]

    @OptionGroup var input: InputFlags

    @Option(help: "Node identity: functions, filefunctions, files, lines.")
    var granularity: String = "functions"
    @Flag(help: "Same as --granularity lines.")
    var lines = false
    @Flag(help: "Attribute inlined calls to their outermost caller.")
    var noinlines = false

    @Option(help: "Show at most N nodes (0: all).")
    var nodecount: Int?
    @Option(help: "Hide nodes below this fraction of the total.")
    var nodefraction: Double = 0.005
    @Option(help: "Hide edges below this fraction of the total.")
    var edgefraction: Double = 0.001
    @Option(help: "Unit for values: minimum (default), auto, or e.g. ms, s, MB.")
    var unit: String = "minimum"
    @Flag(help: "Show means: values divided by the sample count (the first sample type), e.g. delay per contention.")
    var mean = false
    @Flag(help: "Same as --mean --sample-index delay (block and mutex profiles).")
    var meanDelay = false

    @Option(help: "Subtract this profile (percentages against the difference's total).")
    var base: [String] = []
    @Option(help: "Subtract this profile (percentages against the base's total).")
    var diffBase: [String] = []
    @Flag(help: "Scale the inputs to the base's total before subtracting.")
    var normalize = false

    func validate() throws {
        guard lines || Granularity(rawValue: granularity) != nil else {
            throw ValidationError("unknown granularity '\(granularity)'; use functions, filefunctions, files or lines")
        }
        guard (0...1).contains(nodefraction), (0...1).contains(edgefraction) else {
            throw ValidationError("--nodefraction and --edgefraction must be between 0 and 1")
        }
        if meanDelay, let index = input.sampleIndex, index != "delay" {
            throw ValidationError("--mean-delay selects the delay sample type; it cannot be combined with --sample-index \(index)")
        }
    }

    func options(defaultNodeCount: Int) -> ReportOptions {
        var o = ReportOptions()
        o.sampleIndex = meanDelay ? "delay" : input.sampleIndex
        o.mean = mean || meanDelay
        o.filter = input.filter
        o.granularity = lines ? .lines : Granularity(rawValue: granularity) ?? .functions
        o.noInlines = noinlines
        o.nodeCount = nodecount ?? defaultNodeCount
        o.nodeFraction = nodefraction
        o.edgeFraction = edgefraction
        o.unit = unit
        return o
    }

    /// For `peek` and `list`: the flags without their last argument, which is the regex.
    func splittingRegex() -> (flags: ReportFlags, regex: String) {
        var flags = self
        let regex = flags.inputs.removeLast()
        return (flags, regex)
    }

    /// Prints a report, naming the inputs in the error when it cannot be made (e.g. no match).
    func emitReport(_ make: () throws(ProfileError) -> String) throws(AppError) {
        let text: String
        do { text = try make() } catch { throw AppError("\(inputs.joined(separator: ", ")): \(error)") }
        try emit(text)
    }

    func context(defaultNodeCount: Int = 0) throws -> ReportContext {
        var inputs = ReportInputs(inputs: self.inputs)
        inputs.base = base
        inputs.diffBase = diffBase
        inputs.normalize = normalize
        inputs.maxInputBytes = input.maxInputBytes
        inputs.goroutines = input.dump.parser
        inputs.collapse = input.perf.options
        inputs.traceProfile = input.traceProfileKind
        return try inputs.context(options: options(defaultNodeCount: defaultNodeCount))
    }
}

/// Writes report text to standard output.
func emit(_ text: String) throws(AppError) {
    try OutputFile.write(Array(text.utf8), to: "-")
}

extension Flamegen {
    /// `flamegen top`: pprof's `-top` table.
    struct Top: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "top",
            abstract: "Print the functions with the highest flat (or cumulative) value, like go tool pprof -top.",
            discussion: """
            Examples:
              flamegen top cpu.pb.gz
              flamegen top heap.pb.gz --sample-index alloc_space --cum --nodecount 20
              flamegen top new.pb.gz --base old.pb.gz
              flamegen top cpu.pb.gz --format json | jq '.rows[0]'
            """)

        @OptionGroup var flags: ReportFlags

        @Flag(help: "Sort by cumulative value.")
        var cum = false

        @Option(help: "Output format: text or json.")
        var format: String = "text"

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        }

        func run() throws {
            var context = try flags.context()
            if cum {
                var o = context.options
                o.cumulative = true
                context = try context.with(o)
            }
            let report = TopReport(context: context)
            try emit(format == "json" ? report.json() : report.text())
        }
    }
}

extension Flamegen {
    /// `flamegen traces`: pprof's `-traces`.
    struct Traces: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "traces",
            abstract: "Print every sample's stack (leaf first) with its value, like go tool pprof -traces.",
            discussion: "Example:\n  flamegen traces goroutine.pb.gz | less")

        @OptionGroup var flags: ReportFlags

        func run() throws {
            let report = TracesReport(context: try flags.context())
            try flags.emitReport { () throws(ProfileError) in try report.text() }
        }
    }
}

extension Flamegen {
    /// `flamegen tags`: pprof's `-tags`.
    struct Tags: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tags",
            abstract: "Print the labels (tags) of the samples and the value of each, like go tool pprof -tags.",
            discussion: "Example:\n  flamegen tags cpu.pb.gz --tagfocus handler=search")

        @OptionGroup var flags: ReportFlags

        func run() throws {
            try emit(TagsReport(context: try flags.context()).text())
        }
    }
}

extension Flamegen {
    /// `flamegen peek`: pprof's `-peek`.
    struct Peek: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "peek",
            abstract: "Show the callers and callees of functions matching a regex, like go tool pprof -peek.",
            discussion: "usage: flamegen peek PROFILE... REGEX\n\nExample:\n  flamegen peek cpu.pb.gz 'runtime\\.mapassign'")

        @OptionGroup var flags: ReportFlags

        @Option(help: "Output format: text or json.")
        var format: String = "text"

        func validate() throws {
            guard flags.inputs.count >= 2 else { throw ValidationError("usage: flamegen peek PROFILE... REGEX") }
            guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        }

        func run() throws {
            // Like pprof, peek never trims: every node and edge counts.
            var (inputs, regex) = flags.splittingRegex()
            inputs.nodecount = 0
            inputs.nodefraction = 0
            inputs.edgefraction = 0
            let context = try inputs.context()
            let json = format == "json"
            try inputs.emitReport { () throws(ProfileError) in
                let report = try PeekReport(context: context, pattern: regex)
                return json ? report.json() : report.text()
            }
        }
    }
}

extension Flamegen {
    /// `flamegen list`: pprof's `-list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Annotate the source of functions matching a regex with their costs, like go tool pprof -list.",
            discussion: "usage: flamegen list PROFILE... REGEX\n\nExample:\n  flamegen list cpu.pb.gz 'main\\.handle' --source-path ~/src/app --trim-path github.com/acme/app")

        @OptionGroup var flags: ReportFlags

        @Option(help: "Directories to search for source files (separated by ':'); default: current directory.")
        var sourcePath: String?

        @Option(help: "Prefix to remove from the file names recorded in the profile.")
        var trimPath: String?

        func validate() throws {
            guard flags.inputs.count >= 2 else { throw ValidationError("usage: flamegen list PROFILE... REGEX") }
        }

        func run() throws {
            let (inputs, regex) = flags.splittingRegex()
            var report = ListReport(context: try inputs.context(), pattern: regex)
            report.sourcePath = sourcePath.map { $0.split(separator: ":").map(String.init) } ?? []
            report.trimPath = trimPath
            try inputs.emitReport { () throws(ProfileError) in try report.text() }
        }
    }
}

extension Flamegen {
    /// `flamegen convert`: folded stacks or pprof, from any input.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract: "Convert profiles to folded stacks or to pprof's profile.proto (gzipped).",
            discussion: """
            Examples:
              flamegen convert cpu.pb.gz --to folded -o cpu.folded
              flamegen convert perf.folded --to pprof -o perf.pb.gz && go tool pprof -top perf.pb.gz
            """)

        @OptionGroup var flags: ReportFlags

        @Option(help: "Output format: folded or pprof.")
        var to: String

        @Option(name: [.short, .long], help: "Output file, or - for standard output.")
        var output: String = "-"

        func validate() throws {
            guard ["folded", "pprof"].contains(to) else { throw ValidationError("--to must be folded or pprof") }
        }

        func run() throws {
            let context = try flags.context()
            let bytes: [UInt8]
            if to == "pprof" {
                bytes = PprofEncoder.encode(context.filtered)
            } else {
                let text: String
                do { text = try FoldedExport.text(context.filtered, index: context.index) } catch {
                    throw AppError("\(flags.inputs.joined(separator: ", ")): \(error)")
                }
                bytes = Array(text.utf8)
            }
            try OutputFile.write(bytes, to: output)
        }
    }
}
