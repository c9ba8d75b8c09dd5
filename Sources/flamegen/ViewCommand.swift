import ArgumentParser
import FlameApp
import Foundation

extension Flamegen {
    /// `flamegen view`: the one-file interactive viewer.
    struct View: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "view",
            abstract: "Write one self-contained HTML file to explore a profile: flame graph, icicle, sandwich, top table, call graph, source.",
            discussion: """
            The file needs no server and makes no network request. Every sample type of the profile \
            is in it; the view, zoom, search and filters are kept in the address (#…), so a link \
            reproduces what you see. With scripts off it shows a static flame graph and the top table.

            Examples:
              flamegen view cpu.pb.gz -o cpu.html
              flamegen view heap.pb.gz --sample-index alloc_space -o heap.html
              flamegen view new.pb.gz --base old.pb.gz -o diff.html
              flamegen view cpu.pb.gz --source-path ~/src/app --trim-path github.com/acme/app -o cpu.html
            """)

        @Argument(help: "Profiles (merged when several); - reads standard input.")
        var inputs: [String]

        @Option(name: [.short, .long], help: "HTML file to write.")
        var output: String

        @Option(help: "Compare against this profile: net-change colours, before/after/delta.")
        var base: [String] = []

        @OptionGroup var input: InputFlags

        @Option(help: "Title (default: derived from the profile type).")
        var title: String?

        @Option(help: "Directories to search for source files (separated by ':'): the source of the heaviest functions is included.")
        var sourcePath: String?

        @Option(help: "Prefix to remove from the file names recorded in the profile.")
        var trimPath: String?

        func run() throws {
            var inputs = ReportInputs(inputs: self.inputs)
            inputs.base = base
            inputs.maxInputBytes = input.maxInputBytes
            inputs.goroutines = input.dump.parser
            inputs.collapse = input.perf.options
            inputs.traceProfile = input.traceProfileKind
            var job = ViewJob(inputs: inputs, output: output)
            job.sampleIndex = input.sampleIndex
            job.filter = input.filter
            job.title = title
            job.sourcePath = sourcePath.map { $0.split(separator: ":").map(String.init) } ?? []
            job.trimPath = trimPath
            try job.run()
        }
    }
}
