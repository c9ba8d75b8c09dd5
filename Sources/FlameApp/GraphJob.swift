import FlameLayout
import FlameRender
import FlameReport

/// Renders pprof's call graph to a file: `.dot` (the graph description) or a picture.
public struct GraphJob: Sendable {
    public let context: ReportContext
    public let output: String
    /// PNG output: pixels per SVG unit, and a font file to use instead of DejaVu.
    public var scale = 1.0
    public var fontPath: String?
    /// PNG output: fit the picture into this many pixels (overrides `scale`).
    public var fitWidth: Double?
    public var fitHeight: Double?

    public init(context: ReportContext, output: String) {
        self.context = context
        self.output = output
    }

    public func run() throws(AppError) {
        try OutputFile.write(try render(to: [output])[0], to: output)
    }

    /// The graph for each of `outputs` (`.dot`/`-`, `.svg`, `.png`): selected once, laid out
    /// once however many pictures are asked for.
    public func render(to outputs: [String]) throws(AppError) -> [[UInt8]] {
        let graph = DotGraph(context: context)
        var scene: Scene?
        func laidOut(_ output: String) throws(AppError) -> Scene {
            if let scene { return scene }
            do { scene = try CallGraphLayout().layout(graph) } catch { throw AppError("\(output): \(error)", exitCode: 1) }
            return scene!
        }
        var results: [[UInt8]] = []
        for output in outputs {
            let lower = output.lowercased()
            if output == "-" || lower.hasSuffix(".dot") || lower.hasSuffix(".gv") {
                results.append(Array(graph.dotText().utf8))
            } else if lower.hasSuffix(".svg") {
                results.append(SVGWriter().render(try laidOut(output)))
            } else if lower.hasSuffix(".png") {
                let picture = try laidOut(output)
                do {
                    let fonts = try Fonts(override: fontPath)
                    var s = scale
                    if fitWidth != nil || fitHeight != nil {
                        s = min(fitWidth.map { $0 / picture.width } ?? .infinity, fitHeight.map { $0 / picture.height } ?? .infinity)
                    }
                    results.append(try PNGWriter(fonts: fonts, scale: s).render(picture))
                } catch let error as FontError {
                    throw AppError(error.message)
                } catch {
                    // Too many pixels: the picture is refused, like any input past a limit.
                    throw AppError("\(output): \(error)")
                }
            } else {
                throw AppError("\(output): unsupported output format for graph (use .svg, .png or .dot)")
            }
        }
        return results
    }
}
