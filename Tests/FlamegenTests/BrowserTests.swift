import FlameApp
import FlameReport
import Foundation
import XCTest

/// The interactive flame graph and the report pages in headless Chromium: zoom, reset, search,
/// tooltips, and no script injected through hostile function names.
final class BrowserTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        guard Browser.binary != nil else { throw XCTSkip("chromium is not installed (apt-get install chromium)") }
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegen-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    /// Runs `script` after flamegen's own script in the SVG; it stores its findings as JSON in
    /// the element `#test-result`, read back from the DOM Chromium dumps.
    func run(svg: String, script: String) throws -> [String: Any] {
        let page = svg.replacingOccurrences(of: "</svg>\n", with: """
        <text id="test-result"></text><script type="text/ecmascript"><![CDATA[
        (function () { var r = {}; try { \(script) } catch (e) { r.error = String(e); }
          document.getElementById("test-result").textContent = JSON.stringify(r); })();
        ]]></script></svg>

        """)
        let url = dir.appendingPathComponent("test-\(UUID().uuidString).svg")
        try page.write(to: url, atomically: true, encoding: .utf8)
        let (dom, log) = try Browser.dumpDOM(url)
        XCTAssertEqual(Browser.consoleMessages(log), [], "console output")
        guard let start = dom.range(of: "<text id=\"test-result\">"), let end = dom.range(of: "</text>", range: start.upperBound..<dom.endIndex) else {
            XCTFail("no test result in the DOM")
            return [:]
        }
        let json = String(dom[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return (try JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any] ?? [:]
    }

    func flameSVG(_ folded: String) throws -> String {
        let input = dir.appendingPathComponent("in-\(UUID().uuidString).folded")
        try folded.write(to: input, atomically: true, encoding: .utf8)
        return String(decoding: try FlameJob(inputs: [input.path], output: "-").render(), as: UTF8.self)
    }

    func testZoomResetSearchAndTooltips() throws {
        let svg = try flameSVG("main;a;x 30\nmain;a;y 10\nmain;b;x 40\nmain;b 10\nother 10\n")
        let result = try run(svg: svg, script: """
            var f = window.flamegen, frames = f.frames;
            function find(name, depth) { for (var i = 0; i < frames.length; i++) if (frames[i].name === name && frames[i].depth === depth) return i; return -1; }
            var b = find("b", 2);
            r.before = +frames[b].rect.getAttribute("width");
            f.zoom(b);
            r.zoomedWidth = +frames[b].rect.getAttribute("width");
            r.zoomedX = +frames[b].rect.getAttribute("x");
            r.hiddenA = frames[find("a", 2)].g.classList.contains("hidden");
            r.parentMain = frames[find("main", 1)].g.classList.contains("parent");
            r.childX = +frames[frames.findIndex(function (x) { return x.name === "x" && x.start >= frames[b].start; })].rect.getAttribute("width");
            r.unzoomShown = !document.getElementById("unzoom").classList.contains("off");
            f.reset();
            r.reset = +frames[b].rect.getAttribute("width");
            r.resetA = frames[find("a", 2)].g.classList.contains("hidden");
            f.search("^x$");
            r.matched = document.getElementById("matched").textContent;
            f.search("^(x|b)$");
            r.matchedNested = document.getElementById("matched").textContent;
            frames[b].g.dispatchEvent(new MouseEvent("mouseover"));
            r.details = document.getElementById("details").textContent;
            r.title = frames[b].title;
            """)
        XCTAssertNil(result["error"], "\(result["error"] ?? "")")
        let usable = 1180.0
        XCTAssertEqual(result["before"] as? Double ?? 0, usable * 50 / 100, accuracy: 0.01)
        XCTAssertEqual(result["zoomedWidth"] as? Double ?? 0, usable, accuracy: 0.01, "the clicked frame fills the width")
        XCTAssertEqual(result["zoomedX"] as? Double ?? 0, 10, accuracy: 0.01)
        XCTAssertEqual(result["childX"] as? Double ?? 0, usable * 40 / 50, accuracy: 0.01, "children scale with it")
        XCTAssertEqual(result["hiddenA"] as? Bool, true, "frames outside the zoomed one are hidden")
        XCTAssertEqual(result["parentMain"] as? Bool, true, "ancestors stay, dimmed")
        XCTAssertEqual(result["unzoomShown"] as? Bool, true)
        XCTAssertEqual(result["reset"] as? Double ?? 0, usable * 50 / 100, accuracy: 0.01)
        XCTAssertEqual(result["resetA"] as? Bool, false)
        XCTAssertEqual(result["matched"] as? String, "Matched: 70.0%", "x under a (30) and under b (40) of 100")
        XCTAssertEqual(result["matchedNested"] as? String, "Matched: 80.0%", "x under a (30) and b (50, which contains its x): nested matches count once")
        XCTAssertEqual(result["details"] as? String, result["title"] as? String)
        XCTAssertEqual(result["title"] as? String, "b (50 samples, 50.00%)")
    }

    static let hostile = [
        "<script>console.log('INJECTED')</script>",
        "\"]]><script>console.log('INJECTED')</script>",
        "</text><script>console.log('INJECTED')</script>",
        "<img src=x onerror=console.log('INJECTED')>",
        "javascript:console.log('INJECTED')",
        "<svg onload=console.log('INJECTED')>",
        "ctl\u{01}\u{1b}[31m\u{7f}", "rtl\u{202E}gnp.exe", "a&b<c>d'e\"f{{flame}}",
    ]

    func hostileInput() throws -> URL {
        var bytes: [UInt8] = []
        for (i, n) in Self.hostile.enumerated() { bytes += Array("main;\(n) \(i + 1)\n".utf8) }
        bytes += [0x6d, 0x61, 0x69, 0x6e, 0x3b, 0xff, 0xfe, 0xc0, 0x20, 0x39, 0x0a] // "main;" + invalid UTF-8
        let url = dir.appendingPathComponent("hostile.folded")
        try Data(bytes).write(to: url)
        return url
    }

    func graphSVG(_ path: String) throws -> String {
        var o = ReportOptions()
        o.nodeCount = 80
        let out = dir.appendingPathComponent("graph-\(UUID().uuidString).svg")
        try GraphJob(context: try ReportInputs(inputs: [path]).context(options: o), output: out.path).run()
        return try String(contentsOf: out, encoding: .utf8)
    }

    /// Every label of every call-graph node lies inside the node's box as Chromium draws it
    /// (explicit font sizes: a browser's 16px default once made hot-path labels overflow).
    func testGraphLabelsFitTheirBoxes() throws {
        for input in [Corpus.repoRoot.appendingPathComponent("examples/cpu.pb.gz").path, Fixture.path("cpu.pb.gz"), Fixture.path("heap_late.pb.gz")] {
            let result = try run(svg: try graphSVG(input), script: """
                var nodes = document.querySelectorAll("g.node"), bad = [], texts = 0;
                for (var i = 0; i < nodes.length; i++) {
                  var shape = nodes[i].querySelector("rect, path, polygon, ellipse");
                  if (!shape) continue;
                  var b = shape.getBBox(), all = nodes[i].querySelectorAll("text");
                  for (var j = 0; j < all.length; j++) {
                    if (!all[j].textContent) continue;
                    texts++;
                    // Horizontally the whole advance; vertically the ink: cap height above the
                    // baseline, descenders below (the line box's leading may pass the border).
                    var t = all[j].getBBox(), size = parseFloat(getComputedStyle(all[j]).fontSize);
                    var base = +all[j].getAttribute("y"), top = base - 0.75 * size, bottom = base + 0.22 * size;
                    if (t.x < b.x - 0.5 || t.x + t.width > b.x + b.width + 0.5 || top < b.y - 0.5 || bottom > b.y + b.height + 0.5)
                      bad.push(nodes[i].id + ": " + all[j].textContent + " (" + t.width.toFixed(1) + " in " + b.width.toFixed(1) + ")");
                  }
                }
                r.nodes = nodes.length; r.texts = texts; r.bad = bad;
                """)
            XCTAssertNil(result["error"], "\(result["error"] ?? "")")
            XCTAssertGreaterThan(result["texts"] as? Int ?? 0, 20, input)
            XCTAssertEqual(result["bad"] as? [String] ?? ["no result"], [], input)
        }
    }

    /// The call graph pans and zooms (wheel around the pointer, drag, reset), and stays a
    /// static picture when scripts do not run.
    func testGraphPansAndZooms() throws {
        let svg = try graphSVG(Fixture.path("cpu.pb.gz"))
        let result = try run(svg: svg, script: """
            var g = window.flamegenGraph, v0 = g.view();
            r.width0 = v0.width;
            document.documentElement.dispatchEvent(new WheelEvent("wheel", { deltaY: -300, clientX: 10, clientY: 10, bubbles: true, cancelable: true }));
            r.afterWheel = g.view().width;
            var v1 = g.view();
            document.documentElement.dispatchEvent(new MouseEvent("mousedown", { button: 0, clientX: 100, clientY: 100, bubbles: true }));
            window.dispatchEvent(new MouseEvent("mousemove", { clientX: 150, clientY: 120 }));
            window.dispatchEvent(new MouseEvent("mouseup", {}));
            var v2 = g.view();
            r.panX = v2.x - v1.x; r.panY = v2.y - v1.y;
            document.documentElement.dispatchEvent(new MouseEvent("dblclick", { bubbles: true }));
            var v3 = g.view();
            r.reset = v3.x === v0.x && v3.y === v0.y && v3.width === v0.width;
            r.hint = document.querySelector("text.hint") !== null;
            """)
        XCTAssertNil(result["error"], "\(result["error"] ?? "")")
        let width0 = result["width0"] as? Double ?? 0, afterWheel = result["afterWheel"] as? Double ?? 0
        XCTAssertEqual(afterWheel, width0 / M_E, accuracy: 0.5, "one wheel step of 300 zooms in by e")
        XCTAssertLessThan(result["panX"] as? Double ?? 0, 0, "dragging right moves the view left")
        XCTAssertLessThan(result["panY"] as? Double ?? 0, 0)
        XCTAssertEqual(result["reset"] as? Bool, true)
        XCTAssertEqual(result["hint"] as? Bool, true)
        // Without the script: the same picture, no hint.
        let svgWithoutScript = svg.replacingOccurrences(of: #"<script[\s\S]*?</script>\n"#, with: "", options: .regularExpression)
        XCTAssertFalse(svgWithoutScript.contains("<script"))
        XCTAssertFalse(svgWithoutScript.contains("class=\"hint\""), "the hint is drawn by the script only")
        XCTAssertTrue(svgWithoutScript.contains("<g id=\"node1\""))
    }

    func testHostileNamesRunNoScriptInTheFlameGraphCallGraphAndReport() throws {
        let input = try hostileInput()
        let flame = dir.appendingPathComponent("flame.svg")
        try FlameJob(inputs: [input.path], output: flame.path).run()
        var o = ReportOptions()
        o.nodeCount = 80
        o.nodeFraction = 0
        o.edgeFraction = 0
        let graph = dir.appendingPathComponent("graph.svg")
        try GraphJob(context: try ReportInputs(inputs: [input.path]).context(options: o), output: graph.path).run()
        let report = dir.appendingPathComponent("report")
        try ReportBundle(inputs: ReportInputs(inputs: [input.path]), directory: report.path).run()
        for page in [flame, graph, report.appendingPathComponent("index.html")] {
            let (dom, log) = try Browser.dumpDOM(page)
            XCTAssertFalse(log.contains("INJECTED"), "\(page.lastPathComponent): an injected script ran")
            XCTAssertEqual(Browser.consoleMessages(log), [], page.lastPathComponent)
            XCTAssertFalse(dom.contains("<img src=\"x\""), "\(page.lastPathComponent): markup was injected")
            let scripts = dom.components(separatedBy: "<script").count - 1
            // SVGs: the flame script; the report's viewer: its data element and its script.
            XCTAssertLessThanOrEqual(scripts, page == flame || page == graph ? 1 : 2, "\(page.lastPathComponent): only flamegen's own script")
        }
        // The interactive script works with these names too: search for one of them.
        let result = try run(svg: try String(contentsOf: flame, encoding: .utf8), script: """
            window.flamegen.search("INJECTED"); r.matched = document.getElementById("matched").textContent;
            """)
        XCTAssertEqual(result["matched"] as? String, "Matched: \(String(format: "%.1f", 100.0 * 21 / 54))%")
    }
}
