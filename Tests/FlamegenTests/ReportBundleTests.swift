import FlameApp
import Foundation
import XCTest

/// `flamegen report` folders and the `flamegen check` gate.
final class ReportBundleTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegen-report-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    static let files = ["index.html", "summary.md", "summary.json", "top.txt", "flame.svg", "flame.png", "graph.svg", "graph.png"]

    func makeReport(_ inputs: [String], base: [String] = [], name: String) throws -> URL {
        var r = ReportInputs(inputs: inputs)
        r.base = base
        let out = dir.appendingPathComponent(name)
        try ReportBundle(inputs: r, directory: out.path).run()
        return out
    }

    func testReportsForCPUHeapDiffAndGoroutineDump() throws {
        let reports = [
            try makeReport([Fixture.path("cpu.pb.gz")], name: "cpu"),
            try makeReport([Fixture.path("heap_late.pb.gz")], base: [Fixture.path("heap_early.pb.gz")], name: "heap"),
            try makeReport([Fixture.path("goroutine_debug2.txt")], name: "goroutines"),
        ]
        for report in reports {
            for file in Self.files {
                let attributes = try FileManager.default.attributesOfItem(atPath: report.appendingPathComponent(file).path)
                XCTAssertGreaterThan((attributes[.size] as? Int) ?? 0, 100, "\(report.lastPathComponent)/\(file)")
            }
            let html = try String(contentsOf: report.appendingPathComponent("index.html"), encoding: .utf8)
            // No external resources: every src is a data URI, every link a file of the folder.
            for src in Self.attributes("src", in: html) { XCTAssertTrue(src.hasPrefix("data:"), src) }
            for href in Self.attributes("href", in: html) {
                XCTAssertTrue(FileManager.default.fileExists(atPath: report.appendingPathComponent(href).path), href)
            }
            let md = try String(contentsOf: report.appendingPathComponent("summary.md"), encoding: .utf8)
            for image in Self.markdownImages(md) {
                XCTAssertTrue(FileManager.default.fileExists(atPath: report.appendingPathComponent(image).path), "summary.md image \(image)")
            }
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: report.appendingPathComponent("summary.json"))) as! [String: Any]
            XCTAssertFalse((json["top"] as! [Any]).isEmpty)
            try Browser.assertLoadsCleanly(report.appendingPathComponent("index.html"))
        }
        let heap = try String(contentsOf: reports[1].appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(heap.contains("Biggest growths"))
        XCTAssertTrue(heap.contains("main.retain"))
        // The base's own total (heap_early: 1.31MB in use, as pprof -top prints it), not the input's.
        let heapSummary = try JSONSerialization.jsonObject(with: Data(contentsOf: reports[1].appendingPathComponent("summary.json"))) as! [String: Any]
        XCTAssertEqual(heapSummary["baseTotal"] as? Int, 1_372_800)
        let goroutines = try String(contentsOf: reports[2].appendingPathComponent("summary.md"), encoding: .utf8)
        XCTAssertTrue(goroutines.contains("main.waitOnChannel"))
    }

    static func attributes(_ name: String, in html: String) -> [String] {
        let re = try! NSRegularExpression(pattern: "\(name)=\"([^\"]*)\"")
        return re.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap { Range($0.range(at: 1), in: html).map { String(html[$0]) } }
    }

    static func markdownImages(_ md: String) -> [String] {
        let re = try! NSRegularExpression(pattern: #"!\[[^\]]*\]\(([^)]+)\)"#)
        return re.matches(in: md, range: NSRange(md.startIndex..., in: md)).compactMap { Range($0.range(at: 1), in: md).map { String(md[$0]) } }
    }

    // MARK: check

    func check(_ old: String, _ new: String, total: Double? = nil, functions: [String] = []) throws -> [RegressionCheck.Result] {
        var c = RegressionCheck(base: [old], inputs: ReportInputs(inputs: [new]))
        c.maxIncrease = total.map { .percent($0) }
        c.functionLimits = try functions.map { try RegressionCheck.FunctionLimit($0) }
        return try c.run().results
    }

    func testCheckOnTheHeapPair() throws {
        let early = Fixture.path("heap_early.pb.gz"), late = Fixture.path("heap_late.pb.gz")
        let failed = try check(early, late, total: 10)
        XCTAssertEqual(failed.count, 1)
        XCTAssertFalse(failed[0].passed)
        // pprof -top of the two fixtures: 1.31MB and 8.68MB in use.
        XCTAssertEqual(failed[0].before, 1_372_800)
        XCTAssertEqual(failed[0].after, 9_099_070)
        XCTAssertTrue(try check(early, late, total: 600).allSatisfy(\.passed), "+563% is within 600%")
        XCTAssertTrue(try check(late, early, total: 0).allSatisfy(\.passed), "shrinking passes")
        let functions = try check(early, late, functions: ["retain=5%"])
        XCTAssertEqual(functions.map(\.name), ["main.retain"])
        XCTAssertFalse(functions[0].passed)
    }

    func testCheckOnSyntheticProfiles() throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let old = dir.appendingPathComponent("old.folded"), new = dir.appendingPathComponent("new.folded")
        try "main;serve;json.Marshal 100\nmain;serve;db.Query 100\n".write(to: old, atomically: true, encoding: .utf8)
        try "main;serve;json.Marshal 104\nmain;serve;db.Query 130\nmain;serve;cache.Get 5\n".write(to: new, atomically: true, encoding: .utf8)
        let results = try check(old.path, new.path, total: 20, functions: ["json=5%", "db\\.=10%", "cache=50%"])
        let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0) })
        XCTAssertEqual(byName["total"]?.change ?? 0, 19.5, accuracy: 1e-9)
        XCTAssertEqual(byName["total"]?.passed, true)
        XCTAssertEqual(byName["json.Marshal"]?.passed, true)
        XCTAssertEqual(byName["db.Query"]?.passed, false)
        // A new function is measured against the base's total: 5 of 200 samples is 2.5%.
        XCTAssertEqual(byName["cache.Get"]?.isNew, true)
        XCTAssertEqual(byName["cache.Get"]?.change ?? 0, 2.5, accuracy: 1e-9)
        XCTAssertEqual(byName["cache.Get"]?.passed, true)
        XCTAssertEqual(try check(old.path, new.path, functions: ["cache=1%"]).first?.passed, false)
        var full = RegressionCheck(base: [old.path], inputs: ReportInputs(inputs: [new.path]))
        full.maxIncrease = .percent(20)
        full.functionLimits = try ["json=5%", "db\\.=10%", "cache=50%"].map { try RegressionCheck.FunctionLimit($0) }
        let outcome = try full.run()
        XCTAssertEqual(outcome.results.map(\.name), results.map(\.name))
        let text = RegressionCheck.text(outcome)
        XCTAssertTrue(text.contains("FAIL db.Query: 100 → 130 (+30, +30.0%, limit 10%)"), text)
        let json = try JSONSerialization.jsonObject(with: Data(RegressionCheck.json(outcome).utf8)) as! [String: Any]
        XCTAssertEqual(json["passed"] as? Bool, false)
        XCTAssertThrowsError(try RegressionCheck.FunctionLimit("nolimit"))
        // Absolute limits, in the profile's unit: db.Query grew by 30 samples.
        XCTAssertEqual(try check(old.path, new.path, functions: ["db\\.=30"]).first?.passed, true, "a bare number is a percentage")
        var c = RegressionCheck(base: [old.path], inputs: ReportInputs(inputs: [new.path]))
        c.functionLimits = [try RegressionCheck.FunctionLimit("db\\.=29count")]
        XCTAssertEqual(try c.run().results.first?.passed, false)
        c.functionLimits = [try RegressionCheck.FunctionLimit("db\\.=30count")]
        XCTAssertEqual(try c.run().results.first?.passed, true)
        c.functionLimits = [try RegressionCheck.FunctionLimit("db\\.=5MB")]
        XCTAssertThrowsError(try c.run(), "MB cannot measure samples")
    }

    func testAbsoluteLimitsInTheProfilesUnit() throws {
        let early = Fixture.path("heap_early.pb.gz"), late = Fixture.path("heap_late.pb.gz")
        // inuse_space grew from 1.31MB to 8.68MB: +7.37MB.
        func total(_ limit: String) throws -> Bool {
            var c = RegressionCheck(base: [early], inputs: ReportInputs(inputs: [late]))
            c.maxIncrease = CheckThreshold(limit)
            let outcome = try c.run()
            return try XCTUnwrap(outcome.results.first).passed
        }
        XCTAssertFalse(try total("5MB"))
        XCTAssertTrue(try total("8MB"))
        XCTAssertTrue(try total("7600kB"))
        XCTAssertFalse(try total("7000kB"))
        XCTAssertThrowsError(try total("200ms"), "a time limit cannot measure bytes")
        XCTAssertEqual(CheckThreshold("200ms"), .amount(200, unit: "ms"))
        XCTAssertEqual(CheckThreshold("10%"), .percent(10))
        XCTAssertNil(CheckThreshold("ten"))
        XCTAssertNil(CheckThreshold("-5%"))
    }
}
