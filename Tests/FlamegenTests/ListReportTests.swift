import FlameApp
import FlameReport
import Foundation
import XCTest

/// `flamegen list` against `go tool pprof -list` (expected/*@list-*.txt, see expected/README.md).
final class ListReportTests: XCTestCase {
    func list(_ profile: String, _ regex: String, sampleIndex: String? = nil, sourcePath: [String]? = nil) throws -> String {
        var o = ReportOptions()
        o.sampleIndex = sampleIndex
        var report = ListReport(context: try ReportInputs(inputs: [try Corpus.path(profile)]).context(options: o), pattern: regex)
        report.sourcePath = try sourcePath ?? [Corpus.path("go/src")]
        report.trimPath = "corpusgen"
        return try report.text()
    }

    func testListingsMatchPprof() throws {
        XCTAssertEqual(try list("go/cpu.pb.gz", "main.calculateHashes"), try Corpus.text("expected/cpu@list-calculateHashes.txt"))
        XCTAssertEqual(try list("go/cpu.pb.gz", "main.buildLongString"), try Corpus.text("expected/cpu@list-buildLongString.txt"))
        XCTAssertEqual(try list("go/goroutine.pb.gz", "main\\.blocked"), try Corpus.text("expected/goroutine@list-blocked.txt"))
        XCTAssertEqual(try list("go/heap_late.pb.gz", "main.addToCache"), try Corpus.text("expected/heap_late@list-addToCache.txt"))
        XCTAssertEqual(try list("go/heap_late.pb.gz", "main.frequentSmallAllocs", sampleIndex: "alloc_space"),
                       try Corpus.text("expected/heap_late@alloc_space@list-frequentSmallAllocs.txt"))
    }

    func testMissingSourceSaysSo() throws {
        let text = try list("go/cpu.pb.gz", "main.calculateHashes", sourcePath: ["/nonexistent-dir"])
        XCTAssertTrue(text.contains("ROUTINE ======================== main.calculateHashes in main.go"))
        XCTAssertTrue(text.contains("Error: could not find file main.go"), text)
    }
}
