import FlameApp
import FlameImport
import FlameLayout
import FlameRender
import FlameReport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// The call graph laid out by Graphviz in process and drawn by flamegen's SVG writer.
final class GraphRenderTests: XCTestCase {
    func svg(_ inputs: [String], configure: (inout ReportOptions) -> Void = { _ in }) throws -> (DotGraph, String) {
        var o = ReportOptions()
        o.nodeCount = 80
        configure(&o)
        let graph = DotGraph(context: try ReportInputs(inputs: inputs).context(options: o))
        let scene = try CallGraphLayout().layout(graph)
        XCTAssertFalse(String(decoding: SVGWriter(interactive: false).render(scene), as: UTF8.self).contains("<script"), "static without the script")
        return (graph, String(decoding: SVGWriter().render(scene), as: UTF8.self))
    }

    func testEveryCorpusGraphIsWellFormedWithAViewBoxAndATooltipPerNodeAndEdge() throws {
        for (name, path) in try Corpus.pprofProfiles() {
            let (graph, text) = try svg([path])
            XCTAssertTrue(XMLParser(data: Data(text.utf8)).parse(), "\(name): not well-formed")
            XCTAssertTrue(text.contains("viewBox=\"0 0 "), name)
            XCTAssertEqual(text.components(separatedBy: "<script").count - 1, 1, "\(name): only the pan/zoom script")
            XCTAssertEqual(text.components(separatedBy: "class=\"node\"").count - 1, graph.nodes.count + graph.nodelets.count + 1,
                           "\(name): nodes, nodelets and the legend")
            XCTAssertEqual(text.components(separatedBy: "class=\"edge\"").count - 1, graph.edges.count + graph.nodelets.count,
                           "\(name): edges, one per nodelet too")
            for node in graph.nodes.prefix(5) {
                XCTAssertTrue(text.contains("<title>\(Self.xml(node.tooltip))</title>"), "\(name): tooltip of \(node.name)")
            }
        }
    }

    func testBoxesContainTheirLabelsAndResidualEdgesAreDotted() throws {
        let sample = Fixture.path("cpu.pb.gz")
        let (_, text) = try svg([sample]) { $0.granularity = .lines; $0.nodeCount = 12 }
        XCTAssertTrue(text.contains("stroke-dasharray=\"1,5\""), "residual edges are dotted")
        let scene = try CallGraphLayout().layout(DotGraph(context: try ReportInputs(inputs: [sample]).context(options: ReportOptions())))
        let measure = MonospaceMeasurer(advance: 0.55)
        for figure in scene.figures where figure.id.hasPrefix("node") {
            guard case .rect(let x, let y, let w, let h)? = figure.shapes.first?.geometry else { return XCTFail("node without box") }
            for t in figure.texts {
                XCTAssertGreaterThanOrEqual(t.fontSize, 10, "readable at 100%")
                XCTAssertTrue(t.y > y && t.y < y + h, "\(figure.id): label line inside its box")
                XCTAssertLessThanOrEqual(measure.width(of: t.content, fontSize: t.fontSize), w + 1, "\(figure.id): \(t.content) fits")
                XCTAssertTrue(t.x >= x && t.x <= x + w)
            }
        }
    }

    func testHostileNamesAreEscapedInDotAndSVG() throws {
        let names = ["a\"b", "back\\slash\\N", "<b>html</b>", "]]></text><script>x()</script>", String(repeating: "long", count: 5000)]
        var text = ""
        for (i, n) in names.enumerated() { text += "main;\(n) \(i + 1)\n" }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).folded")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        var o = ReportOptions()
        o.nodeFraction = 0
        o.edgeFraction = 0
        let graph = DotGraph(context: try ReportInputs(inputs: [url.path]).context(options: o))
        let (_, svgText) = try svg([url.path]) { $0.nodeFraction = 0; $0.edgeFraction = 0 }
        XCTAssertTrue(XMLParser(data: Data(svgText.utf8)).parse())
        XCTAssertEqual(svgText.components(separatedBy: "<script").count, 2, "no script element but flamegen's pan/zoom")
        if let dot = ["/usr/bin/dot", "/usr/local/bin/dot"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: dot)
            process.arguments = ["-Tsvg"]
            let input = Pipe(), output = Pipe(), errors = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            input.fileHandleForWriting.write(Data(graph.dotText().utf8))
            try input.fileHandleForWriting.close()
            _ = output.fileHandleForReading.readDataToEndOfFile()
            let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "dot rejected our DOT: \(err)")
        }
    }

    static func xml(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
