import Foundation
import XCTest

/// Every JSON document flamegen writes validates against docs/flamegen.schema.json, and its
/// totals agree with the text reports.
final class JSONOutputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("flamegen-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func document(_ args: [String], status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let run = try CLITests.run(args)
        XCTAssertEqual(run.status, status, run.stderr, file: file, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: run.stdout) as? [String: Any], file: file, line: line)
    }

    func assertValid(_ doc: [String: Any], kind: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let validator = try JSONSchemaValidator(schemaFile: Corpus.repoRoot.appendingPathComponent("docs/flamegen.schema.json"))
        XCTAssertEqual(validator.violations(of: doc), [String](), file: file, line: line)
        XCTAssertEqual(doc["kind"] as? String, kind, file: file, line: line)
        XCTAssertEqual(doc["schema"] as? Int, 1, file: file, line: line)
    }

    /// The total on the `top` text report's "of X total" line, as printed.
    func textTotal(_ args: [String]) throws -> String {
        let text = String(decoding: try CLITests.run(args).stdout, as: UTF8.self)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("Showing nodes accounting for") })
        return String(line.split(separator: " ").dropLast().last ?? "")
    }

    func testTopAndPeekValidateAndCarryRawUnits() throws {
        let cases: [(String, String, String)] = [("cpu.pb.gz", "nanoseconds", "cpu"), ("heap_late.pb.gz", "bytes", "inuse_space"),
                                                 ("goroutine.pb.gz", "count", "goroutine"), ("block.pb.gz", "nanoseconds", "delay")]
        for (name, unit, type) in cases {
            let path = Fixture.path(name)
            let top = try document(["top", path, "--format", "json"])
            try assertValid(top, kind: "top")
            XCTAssertEqual(top["unit"] as? String, unit, name)
            XCTAssertEqual(top["sampleType"] as? String, type, name)
            XCTAssertEqual(top["totalText"] as? String, try textTotal(["top", path]), name)
            let rows = try XCTUnwrap(top["rows"] as? [[String: Any]])
            let first = try XCTUnwrap(rows.first)
            let peek = try document(["peek", path, "^" + NSRegularExpression.escapedPattern(for: first["name"] as! String) + "$", "--format", "json"])
            try assertValid(peek, kind: "peek")
            XCTAssertEqual((peek["nodes"] as? [[String: Any]])?.first?["cum"] as? Int64, first["cum"] as? Int64, name)
        }
        let mean = try document(["top", Fixture.path("block.pb.gz"), "--mean", "--format", "json"])
        try assertValid(mean, kind: "top")
        XCTAssertEqual(mean["sampleType"] as? String, "mean_delay")
    }

    func testCheckValidatesAndComparesPerSecondWhenDurationsDiffer() throws {
        let early = Fixture.path("heap_early.pb.gz"), late = Fixture.path("heap_late.pb.gz")
        let check = try document(["check", "--base", early, late, "--max-increase", "5MB", "--max-function-increase", "retain=10%", "--format", "json"], status: 1)
        try assertValid(check, kind: "check")
        XCTAssertEqual(check["unit"] as? String, "bytes")
        let total = try XCTUnwrap((check["checks"] as? [[String: Any]])?.first)
        XCTAssertEqual(total["name"] as? String, "total")
        XCTAssertEqual(total["afterText"] as? String, try textTotal(["top", late]))
        XCTAssertEqual(total["beforeText"] as? String, try textTotal(["top", early]))

        // The same CPU samples over twice the duration (a later duration_nanos field wins in
        // protobuf): per second of profile, the CPU use halved.
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc", Fixture.path("cpu.pb.gz")]
        let pipe = Pipe()
        gunzip.standardOutput = pipe
        try gunzip.run()
        var raw = pipe.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        let raw1 = dir.appendingPathComponent("cpu.pb").path, raw2 = dir.appendingPathComponent("cpu-4s.pb").path
        try raw.write(to: URL(fileURLWithPath: raw1))
        var builder = ProtoBuilder()
        builder.int(10, 4_000_000_000)
        raw.append(contentsOf: builder.bytes)
        try raw.write(to: URL(fileURLWithPath: raw2))
        let halved = try document(["check", "--base", raw1, raw2, "--max-increase", "0%", "--format", "json"])
        try assertValid(halved, kind: "check")
        XCTAssertEqual(halved["comparison"] as? String, "per-second")
        XCTAssertTrue((halved["note"] as? String ?? "").contains("durations differ (base 2s, profile 4s)"), "\(halved)")
        let verdict = try XCTUnwrap((halved["checks"] as? [[String: Any]])?.first)
        XCTAssertEqual(verdict["change"] as? Double ?? 0, -50, accuracy: 0.01)
        // --normalize instead: the base is scaled to the profile's total.
        let normalized = try document(["check", "--base", early, late, "--max-increase", "0%", "--normalize", "--format", "json"])
        XCTAssertEqual(normalized["comparison"] as? String, "normalized")
    }

    func testReportSummaryValidatesAndStatesBeforeAndAfter() throws {
        let early = Fixture.path("heap_early.pb.gz"), late = Fixture.path("heap_late.pb.gz")
        let out = dir.appendingPathComponent("r").path
        XCTAssertEqual(try CLITests.run(["report", late, "--base", early, "-o", out]).status, 0)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as? [String: Any])
        try assertValid(summary, kind: "summary")
        XCTAssertEqual(summary["baseTotalText"] as? String, try textTotal(["top", early]))
        XCTAssertEqual(summary["profileTotalText"] as? String, try textTotal(["top", late]))
        let md = try String(contentsOfFile: out + "/summary.md", encoding: .utf8)
        XCTAssertTrue(md.contains("- Total: \(summary["baseTotalText"]!) → \(summary["profileTotalText"]!) \\(\\+"), md)
    }

    /// The validator itself rejects what the schema forbids.
    func testValidatorRejectsBadDocuments() throws {
        let validator = try JSONSchemaValidator(schemaFile: Corpus.repoRoot.appendingPathComponent("docs/flamegen.schema.json"))
        let top = try document(["top", Fixture.path("cpu.pb.gz"), "--format", "json"])
        var wrongType = top
        wrongType["total"] = "1.76s"
        XCTAssertFalse(validator.violations(of: wrongType).isEmpty)
        var extra = top
        extra["surprise"] = true
        XCTAssertFalse(validator.violations(of: extra).isEmpty)
        var missing = top
        missing["schema"] = nil
        XCTAssertFalse(validator.violations(of: missing).isEmpty)
    }
}
