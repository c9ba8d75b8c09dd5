import ArgumentParser
import FlameApp
import FlameReport
import Foundation

extension Flamegen {
    /// `flamegen graph`: pprof's call graph, laid out by Graphviz in process.
    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render pprof's call graph (boxes by flat, edges by weight) as SVG or DOT.",
            discussion: """
            Examples:
              flamegen graph cpu.pb.gz -o cpu-graph.svg
              flamegen graph heap.pb.gz --sample-index alloc_space --nodecount 40 -o allocs.svg
              flamegen graph new.pb.gz --base old.pb.gz -o diff.svg   # red grew, green shrank
              flamegen graph cpu.pb.gz -o cpu.dot                      # the graph description itself
            """)

        @OptionGroup var flags: ReportFlags

        @Option(name: [.short, .long], help: "Output file: .svg or .dot, or - for DOT on standard output.")
        var output: String

        func run() throws {
            let context = try flags.context(defaultNodeCount: 80)
            try GraphJob(context: context, output: output).run()
        }
    }
}
