import FlameApp
import FlameModel
import FlameReport
import Foundation
import XCTest

/// The one-file viewer, from both sides of its data contract: the page in headless Chromium
/// shows the numbers `flamegen top` prints, for every sample type and under refine filters;
/// sandwich, search, URL state, diff and goroutine grouping; no script, no network, no injection.
final class ViewerTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        guard Browser.binary != nil else { throw XCTSkip("chromium is not installed (apt-get install chromium)") }
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegen-viewer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    // MARK: Helpers

    func page(_ inputs: [String], base: [String] = [], configure: (inout ViewJob) -> Void = { _ in }) throws -> String {
        var reportInputs = ReportInputs(inputs: inputs)
        reportInputs.base = base
        var job = ViewJob(inputs: reportInputs, output: dir.appendingPathComponent("x.html").path)
        configure(&job)
        return String(decoding: try job.render(), as: UTF8.self)
    }

    func folded(_ text: String) throws -> String {
        let url = dir.appendingPathComponent("in-\(UUID().uuidString).folded")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Loads `html` (at `hash`) with `script` appended; the script's return value comes back
    /// through the DOM as JSON.
    func run(_ html: String, hash: String = "", script: String, file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let probe = """
        <script>
        (function () { let r; try { r = (function () { \(script) })(); } catch (e) { r = { error: String(e.stack || e) }; }
          const pre = document.createElement("pre"); pre.id = "fg-test-result"; pre.textContent = JSON.stringify(r); document.body.append(pre); })();
        </script>
        """
        guard let end = html.range(of: "</body>", options: .backwards) else { XCTFail("no </body>"); return [:] }
        let url = dir.appendingPathComponent("page-\(UUID().uuidString).html")
        try (html[..<end.lowerBound] + probe + html[end.lowerBound...]).write(to: url, atomically: true, encoding: .utf8)
        let target = hash.isEmpty ? url : URL(string: url.absoluteString + "#" + hash)!
        let (dom, log) = try Browser.dumpDOM(target, virtualTimeBudgetMs: 5000)
        XCTAssertEqual(Browser.consoleMessages(log), [], "console output", file: file, line: line)
        guard let start = dom.range(of: "<pre id=\"fg-test-result\">"),
              let stop = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            XCTFail("no result in the DOM", file: file, line: line)
            return [:]
        }
        let json = String(dom[start.upperBound..<stop.lowerBound])
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        if let error = (value as? [String: Any])?["error"] { XCTFail("script error: \(error)", file: file, line: line) }
        return value
    }

    /// `flamegen top` for `inputs` under `options`.
    func top(_ inputs: [String], base: [String] = [], _ configure: (inout ReportOptions) -> Void = { _ in }) throws -> TopReport {
        var options = ReportOptions()
        configure(&options)
        var reportInputs = ReportInputs(inputs: inputs)
        reportInputs.base = base
        return TopReport(context: try reportInputs.context(options: options))
    }

    /// Every row `flamegen top` prints has the same flat, flat%, cum and cum% in the viewer's
    /// table, and the totals agree.
    func assertSameNumbers(viewer: Any, top: TopReport, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let result = viewer as? [String: Any], let rows = result["rows"] as? [[String: Any]] else {
            XCTFail("\(what): no rows", file: file, line: line)
            return
        }
        XCTAssertEqual(result["totalText"] as? String, top.totalText, "\(what): total", file: file, line: line)
        var byName: [String: [String: Any]] = [:]
        for row in rows { if let name = row["name"] as? String { byName[name] = row } }
        XCTAssertFalse(top.rows.isEmpty, "\(what): top has rows", file: file, line: line)
        for r in top.rows {
            guard let v = byName[r.name] else { XCTFail("\(what): \(r.name) missing from the viewer", file: file, line: line); continue }
            let pct = { (x: Int64) in Units.percentage(x, of: top.total).trimmingCharacters(in: .whitespaces) }
            XCTAssertEqual(v["flat"] as? String, r.flatText, "\(what): flat of \(r.name)", file: file, line: line)
            XCTAssertEqual(v["cum"] as? String, r.cumText, "\(what): cum of \(r.name)", file: file, line: line)
            XCTAssertEqual(v["flatPct"] as? String, pct(r.flat), "\(what): flat% of \(r.name)", file: file, line: line)
            XCTAssertEqual(v["cumPct"] as? String, pct(r.cum), "\(what): cum% of \(r.name)", file: file, line: line)
        }
    }

    static let rowsScript = "const t = flamegen.total(); return { rows: flamegen.rows(), totalText: t.text };"

    // MARK: Numbers

    func testTopTableEqualsFlamegenTopForEverySampleType() throws {
        let cases: [(String, Int)] = [
            (Corpus.repoRoot.appendingPathComponent("examples/cpu.pb.gz").path, 2),
            (Fixture.path("heap_late.pb.gz"), 4),
            (Fixture.path("block.pb.gz"), 2),
            (Fixture.path("mutex.pb.gz"), 2),
            (Fixture.path("goroutine_debug2.txt"), 1),
            (Corpus.repoRoot.appendingPathComponent("examples/perf-vertx.folded").path, 1),
        ]
        for (path, types) in cases {
            let html = try page([path])
            let result = try run(html, script: """
                const out = [];
                for (let t = 0; t < \(types); t++) { flamegen.set({ t: String(t) }); const x = flamegen.total(); out.push({ rows: flamegen.rows(), totalText: x.text }); }
                return out;
                """) as? [Any] ?? []
            XCTAssertEqual(result.count, types, path)
            for (t, viewer) in result.enumerated() {
                let expected = try top([path]) { $0.sampleIndex = String(t) }
                assertSameNumbers(viewer: viewer, top: expected, "\((path as NSString).lastPathComponent) sample \(t)")
            }
        }
    }

    func testRefineFiltersGiveTheNumbersOfTheSameFlags() throws {
        let path = Corpus.repoRoot.appendingPathComponent("examples/cpu.pb.gz").path
        let html = try page([path])
        let filters: [(String, String, (inout ReportOptions) -> Void)] = [
            ("focus", "runtime\\.mallocgc", { $0.filter.focus = "runtime\\.mallocgc" }),
            ("ignore", "sha256", { $0.filter.ignore = "sha256" }),
            ("hide", "runtime\\.systemstack", { $0.filter.hide = "runtime\\.systemstack" }),
            ("show", "^main\\.|runtime\\.mallocgc", { $0.filter.show = "^main\\.|runtime\\.mallocgc" }),
        ]
        for (key, value, configure) in filters {
            let hash = "v=top&" + key + "=" + value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let viewer = try run(html, hash: hash, script: "if (flamegen.state.\(key) !== \(jsString(value))) throw new Error('state not read from the hash: ' + flamegen.state.\(key)); " + Self.rowsScript)
            assertSameNumbers(viewer: viewer, top: try top([path], configure), "--\(key) \(value)")
        }
    }

    func testDifferentialTableEqualsTopWithBase() throws {
        let late = Fixture.path("heap_late.pb.gz"), early = Fixture.path("heap_early.pb.gz")
        let html = try page([late], base: [early])
        let viewer = try run(html, script: "flamegen.set({ t: '3' }); " + Self.rowsScript) as? [String: Any] ?? [:]
        let expected = try top([late], base: [early]) { $0.sampleIndex = "3" }
        let rows = (viewer["rows"] as? [[String: Any]]) ?? []
        var byName: [String: [String: Any]] = [:]
        for row in rows { if let name = row["name"] as? String { byName[name] = row } }
        XCTAssertFalse(expected.rows.isEmpty)
        for r in expected.rows {
            XCTAssertEqual(byName[r.name]?["flat"] as? String, r.flatText, "flat change of \(r.name)")
            XCTAssertEqual(byName[r.name]?["cum"] as? String, r.cumText, "cum change of \(r.name)")
        }
    }

    // MARK: Views

    func testSandwichSearchAndOrders() throws {
        let path = try folded("main;a;f;g 10\nmain;b;f 5\nmain;f;f;h 3\nx;y 7\n")
        let html = try page([path])
        let r = try run(html, script: """
            const s = flamegen.sandwich("f");
            flamegen.set({ q: "f" });
            const m = flamegen.matched();
            flamegen.set({ q: "", o: "time" }); const time = flamegen.layout();
            flamegen.set({ o: "heavy", inv: "1" }); const inv = flamegen.layout();
            return { callers: s.callers, callees: s.callees, callerNames: s.callerNames.sort(), matched: m.all, time: time.count, inverted: inv.maxDepth };
            """) as? [String: Any] ?? [:]
        XCTAssertEqual(r["callers"] as? Double, 18, "every sample through f, recursion counted once")
        XCTAssertEqual(r["callees"] as? Double, 18)
        XCTAssertEqual(r["callerNames"] as? [String], ["a", "b", "main"])
        XCTAssertEqual(r["matched"] as? Double, 18, "frames under a matching frame are not counted again")
        // Time order: root, main, a, f, g | b, f | f, f, h (main continues) | x, y.
        XCTAssertEqual(r["time"] as? Double, 12)
        XCTAssertEqual(r["inverted"] as? Double, 4, "bottom-up: h, f, f, main")
    }

    /// Hostile sizes stay responsive: a profile with 200,000 label keys loads (they were
    /// collected with a quadratic scan), and a trace of 100,000 start functions shows the
    /// heaviest 1,000 rows of its goroutine table and says how many more there are.
    func testHugeLabelSetsAndGoroutineTablesStayResponsive() throws {
        let hostile = try XCTUnwrap(HostileBatteryTests.inputs, "testdata/hostile/make_hostile.py failed")
        var start = Date()
        let keys = try run(try page([hostile.appendingPathComponent("label-keys.pb.gz").path]), script: """
            return { options: document.getElementById("fg-group").options.length, total: flamegen.total().total };
            """) as? [String: Any] ?? [:]
        XCTAssertLessThan(Date().timeIntervalSince(start), 20, "200,000 label keys")
        XCTAssertEqual(keys["total"] as? Double, 200_000)
        XCTAssertGreaterThan(keys["options"] as? Double ?? 0, 200_000, "every key can be grouped by")
        let html = dir.appendingPathComponent("trace.html")
        try TimelineJob(input: hostile.appendingPathComponent("trace-start-functions.trace").path, output: html.path).run()
        start = Date()
        let table = try run(try String(contentsOf: html, encoding: .utf8), hash: "v=goroutines", script: """
            const rows = document.querySelectorAll("#fg-goroutines tbody tr");
            return { rows: rows.length, last: rows[rows.length - 1].textContent };
            """) as? [String: Any] ?? [:]
        XCTAssertLessThan(Date().timeIntervalSince(start), 20, "100,000 start functions")
        XCTAssertEqual(table["rows"] as? Double, 1001)
        // 100,000 start functions, and the goroutine that created them (+ one without a stack).
        let last = table["last"] as? String ?? ""
        XCTAssertTrue(last.contains("and 99001 more start functions") || last.contains("and 99002 more start functions"), "\(table)")
    }

    func testGoroutineDumpGroupsByWaitState() throws {
        let path = Fixture.path("goroutine_debug2.txt")
        let html = try page([path])
        let r = try run(html, script: """
            const grouped = flamegen.rows().filter((x) => x.name.startsWith("[")).map((x) => [x.name, x.cumValue]);
            flamegen.set({ group: "" });
            const plain = flamegen.rows().filter((x) => x.name.startsWith("[")).length;
            return { state: flamegen.state.group, grouped, plain, total: flamegen.total().total };
            """) as? [String: Any] ?? [:]
        // The headers of the dump, counted by state.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var expected: [String: Double] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("goroutine ") && line.hasSuffix(":") {
            guard let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]") else { continue }
            let state = line[line.index(after: open)..<close].split(separator: ",")[0]
            expected["[\(state)]", default: 0] += 1
        }
        let grouped = (r["grouped"] as? [[Any]] ?? []).reduce(into: [String: Double]()) { $0[$1[0] as! String] = $1[1] as? Double }
        XCTAssertFalse(expected.isEmpty)
        XCTAssertEqual(grouped, expected)
        XCTAssertEqual(r["plain"] as? Double, 0, "without grouping there are no state frames")
        XCTAssertEqual(r["total"] as? Double, expected.values.reduce(0, +))
    }

    func testSourceViewShowsWhatListPrints() throws {
        let path = Fixture.path("cpu.pb.gz")
        let sourceDir = Corpus.repoRoot.appendingPathComponent("testdata/gen").path
        let html = try page([path]) { $0.sourcePath = [sourceDir]; $0.trimPath = "flamegen.test/gen" }
        let r = try run(html, hash: "v=source&src=main.fib", script: "return { text: document.getElementById('fg-src').textContent, shown: !document.querySelector('[data-panel=source]').hidden };") as? [String: Any] ?? [:]
        var o = ReportOptions()
        o.sampleIndex = nil
        var list = ListReport(context: try ReportInputs(inputs: [path]).context(options: o), pattern: "^main\\.fib$")
        list.sourcePath = [sourceDir]
        list.trimPath = "flamegen.test/gen"
        XCTAssertEqual(r["text"] as? String, try list.text())
        XCTAssertEqual(r["shown"] as? Bool, true)
    }

    // MARK: Safety

    func testHostileNamesStayTextAndThePageMakesNoRequest() throws {
        let names = ["</script><script>window.fgPwned=1</script>", "<img src=x onerror=\"window.fgPwned=2\">", "a\u{2028}b\"'&lt", "{{js}}"]
        let path = try folded(names.map { "main;\($0) 5" }.joined(separator: "\n") + "\n")
        let html = try page([path])
        XCTAssertEqual(html.components(separatedBy: "<script").count - 1, 2, "the data element and the viewer script only")
        XCTAssertFalse(html.contains("<img src=x"))
        XCTAssertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'"))
        for pattern in ["src=\"http", "href=\"http", "url(http", "@import", "fetch(", "XMLHttpRequest", "WebSocket"] {
            XCTAssertFalse(html.contains(pattern), "the page must not load anything: \(pattern)")
        }
        let r = try run(html, script: "return { pwned: window.fgPwned || 0, names: flamegen.rows().map((x) => x.name).sort() };") as? [String: Any] ?? [:]
        XCTAssertEqual(r["pwned"] as? Double, 0)
        XCTAssertEqual(r["names"] as? [String], (names + ["main"]).sorted())
    }

    /// Chromium cannot dump a page with scripts off, so this reads the markup a script-less
    /// browser shows: the `<noscript>` part, and the interactive part hidden until a script runs.
    func testWithoutScriptsTheStaticFlameGraphAndTopTableShow() throws {
        let path = Corpus.repoRoot.appendingPathComponent("examples/cpu.pb.gz").path
        let html = try page([path])
        guard let open = html.range(of: "<noscript>"), let close = html.range(of: "</noscript>") else { return XCTFail("no <noscript>") }
        let fallback = String(html[open.upperBound..<close.lowerBound])
        let expected = try top([path])
        XCTAssertTrue(fallback.contains("<img alt=\"Flame graph\" src=\"data:image/svg+xml;base64,"), "static flame graph")
        XCTAssertTrue(fallback.contains("<table class=\"fg-table\">"), "top table")
        XCTAssertFalse(fallback.contains("<script"))
        for r in expected.rows { XCTAssertTrue(fallback.contains("<td>\(r.cumText)</td><td>\(String(format: "%.2f%%", r.cumPercent))</td><td class=\"name\">\(r.name)</td>"), "row of \(r.name)") }
        XCTAssertTrue(html.contains("<main id=\"fg-app\" hidden>"), "the interactive part stays hidden without a script")
        // The picture in the fallback is the static flame graph: no script inside either.
        let base64 = fallback.components(separatedBy: "base64,")[1].components(separatedBy: "\"")[0]
        let svg = String(decoding: Data(base64Encoded: base64) ?? Data(), as: UTF8.self)
        XCTAssertTrue(svg.hasPrefix("<?xml"))
        XCTAssertFalse(svg.contains("<script"))
    }

    func jsString(_ s: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed]), as: UTF8.self)
    }
}
