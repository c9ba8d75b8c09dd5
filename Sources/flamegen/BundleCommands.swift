import ArgumentParser
import FlameApp
import Foundation

extension Flamegen {
    /// `flamegen report`: a folder of everything for a postmortem.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Write a self-contained report folder: index.html, summary.md, summary.json, top.txt, flame and call graphs (SVG and PNG).",
            discussion: """
            Examples:
              flamegen report cpu.pb.gz -o report/
              flamegen report heap_late.pb.gz --base heap_early.pb.gz -o leak-report/
              flamegen report goroutines.txt -o stuck/
            """)

        @Argument(help: "Profiles (merged when several); - reads standard input.")
        var inputs: [String]

        @Option(name: [.short, .long], help: "Folder to write (created if needed).")
        var output: String

        @Option(help: "Subtract this profile: the report shows what grew and shrank.")
        var base: [String] = []

        @Option(help: "Sample type: a name (cpu, inuse_space, alloc_objects, ...) or an index.")
        var sampleIndex: String?

        @Option(help: "Title of the report.")
        var title: String?

        @OptionGroup var dump: DumpFlags

        @OptionGroup var perf: CollapseFlags

        func run() throws {
            var inputs = ReportInputs(inputs: self.inputs)
            inputs.base = base
            inputs.goroutines = dump.parser
            inputs.collapse = perf.options
            var bundle = ReportBundle(inputs: inputs, directory: output)
            bundle.sampleIndex = sampleIndex
            bundle.title = title
            try bundle.run()
            FileHandle.standardError.write(Data("flamegen: report written to \(output)/index.html\n".utf8))
        }
    }

    /// `flamegen check`: a regression gate for CI.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Fail (exit 1) when a profile grew beyond limits compared with a base.",
            discussion: """
            Examples:
              flamegen check --base old.pb.gz new.pb.gz --max-increase 10%
              flamegen check --base old.pb.gz new.pb.gz --max-function-increase 'json\\.=5%' --format json
            """)

        @Argument(help: "The new profile(s).")
        var inputs: [String]

        @Option(help: "The base profile(s) to compare against.")
        var base: [String]

        @Option(help: "Largest allowed growth of the total: a percentage (10%) or an amount (5MB, 200ms).")
        var maxIncrease: String?

        @Option(help: "Largest allowed growth of the cumulative value of matching functions: REGEX=LIMIT, e.g. 'json\\.=5%' or 'json\\.=20ms' (repeatable).")
        var maxFunctionIncrease: [String] = []

        @Flag(help: "Scale the base to the profile's total before comparing (functions' shares, not amounts).")
        var normalize = false

        @Option(help: "Sample type: a name or an index.")
        var sampleIndex: String?

        @Flag(help: "Accept --max-function-increase rules that match no function.")
        var allowMissing = false

        @Option(help: "Output format: text or json.")
        var format: String = "text"

        @OptionGroup var dump: DumpFlags

        @OptionGroup var perf: CollapseFlags

        func validate() throws {
            guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
            guard maxIncrease != nil || !maxFunctionIncrease.isEmpty else {
                throw ValidationError("give --max-increase or --max-function-increase")
            }
            if let m = maxIncrease, CheckThreshold(m) == nil {
                throw ValidationError("--max-increase '\(m)': expected a percentage (10%) or an amount with its unit (5MB, 200ms)")
            }
        }

        func run() throws {
            var inputs = ReportInputs(inputs: self.inputs)
            inputs.goroutines = dump.parser
            inputs.collapse = perf.options
            var check = RegressionCheck(base: base, inputs: inputs)
            check.allowMissing = allowMissing
            check.sampleIndex = sampleIndex
            check.maxIncrease = maxIncrease.flatMap(CheckThreshold.init)
            check.normalize = normalize
            check.functionLimits = try maxFunctionIncrease.map { try RegressionCheck.FunctionLimit($0) }
            let outcome = try check.run()
            try emit(format == "json" ? RegressionCheck.json(outcome) : RegressionCheck.text(outcome))
            if !outcome.passed { throw ExitCode(1) }
        }
    }
}
