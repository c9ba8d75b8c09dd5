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
        let graph = DotGraph(context: context)
        let lower = output.lowercased()
        if output == "-" || lower.hasSuffix(".dot") || lower.hasSuffix(".gv") {
            try OutputFile.write(Array(graph.dotText().utf8), to: output)
        } else if lower.hasSuffix(".svg") {
            let scene: Scene
            do { scene = try CallGraphLayout().layout(graph) } catch { throw AppError("\(output): \(error)", exitCode: 1) }
            try OutputFile.write(SVGWriter().render(scene), to: output)
        } else if lower.hasSuffix(".png") {
            let scene: Scene
            do { scene = try CallGraphLayout().layout(graph) } catch { throw AppError("\(output): \(error)", exitCode: 1) }
            do {
                let fonts = try Fonts(override: fontPath)
                var s = scale
                if fitWidth != nil || fitHeight != nil {
                    s = min(fitWidth.map { $0 / scene.width } ?? .infinity, fitHeight.map { $0 / scene.height } ?? .infinity)
                }
                try OutputFile.write(try PNGWriter(fonts: fonts, scale: s).render(scene), to: output)
            } catch let error as FontError {
                throw AppError(error.message)
            } catch let error as AppError {
                throw error
            } catch {
                throw AppError("\(output): \(error)", exitCode: 1)
            }
        } else {
            throw AppError("\(output): unsupported output format for graph (use .svg, .png or .dot)")
        }
    }
}
