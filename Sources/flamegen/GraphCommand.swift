import ArgumentParser
import FlameApp
import FlameReport
import Foundation

extension Flamegen {
    /// `flamegen graph`: pprof's call graph, laid out by Graphviz in process.
    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "graph",
            abstract: "Render pprof's call graph (boxes by flat, edges by weight) as SVG, PNG or DOT.",
            discussion: """
            Examples:
              flamegen graph cpu.pb.gz -o cpu-graph.svg
              flamegen graph heap.pb.gz --sample-index alloc_space --nodecount 40 -o allocs.svg
              flamegen graph new.pb.gz --base old.pb.gz -o diff.svg   # red grew, green shrank
              flamegen graph cpu.pb.gz -o cpu.dot                      # the graph description itself
            """)

        @OptionGroup var flags: ReportFlags

        @Option(name: [.short, .long], help: "Output file: .svg, .png or .dot, or - for DOT on standard output.")
        var output: String

        @OptionGroup var png: PNGFlags

        @Option(help: "PNG output: fit the graph into this many pixels wide.")
        var width: Double?

        @Option(help: "PNG output: fit the graph into this many pixels high.")
        var height: Double?

        func validate() throws {
            for v in [width, height].compactMap({ $0 }) where !(16...30_000).contains(v) {
                throw ValidationError("--width and --height must be between 16 and 30000 pixels")
            }
        }

        func run() throws {
            let context = try flags.context(defaultNodeCount: 80)
            var job = GraphJob(context: context, output: output)
            job.scale = png.scale
            job.fontPath = png.font
            job.fitWidth = width
            job.fitHeight = height
            try job.run()
        }
    }
}
