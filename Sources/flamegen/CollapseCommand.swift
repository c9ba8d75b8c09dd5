import ArgumentParser
import FlameApp
import FlameImport
import Foundation

extension Flamegen {
    /// `flamegen collapse`: `perf script` or DTrace output as folded stacks, for other tools.
    struct Collapse: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "collapse",
            abstract: "Collapse perf script or DTrace output into folded stacks (like stackcollapse-perf.pl and inferno-collapse-perf).",
            discussion: """
            Examples:
              perf script | flamegen collapse - > out.folded
              flamegen collapse perf.txt --pid --kernel -o out.folded
              flamegen collapse dtrace.txt --includeoffset
            Any command reads these captures directly too: flamegen perf.txt -o out.svg
            """)

        @Argument(help: "A perf script or DTrace capture (gzipped or not); - reads standard input.")
        var input: String

        @OptionGroup var perf: CollapseFlags

        @Option(name: [.short, .long], help: "Output file, or - for standard output.")
        var output: String = "-"

        @Option(help: "Refuse inputs that decompress to more than this many MiB.")
        var maxInputMb: Int = 4096

        func run() throws {
            var loader = ProfileLoader(maxDecompressedBytes: maxInputMb << 20)
            loader.collapse = perf.options
            let stacks: CollapsedStacks
            do {
                guard let collapsed = try loader.collapsed(path: input) else {
                    throw AppError("\(input): not perf script or DTrace output (flamegen reads pprof, folded stacks and dumps directly)")
                }
                stacks = collapsed
            } catch let failure as ProfileLoader.Failure {
                throw AppError(failure.description)
            }
            try OutputFile.write(stacks.foldedText(), to: output)
        }
    }
}
