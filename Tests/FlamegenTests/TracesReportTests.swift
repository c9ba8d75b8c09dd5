import FlameApp
import FlameReport
import Foundation
import XCTest

/// `flamegen traces` against `go tool pprof -traces` on every corpus profile.
final class TracesReportTests: XCTestCase {
    func testEveryProfileMatchesPprof() throws {
        var compared = 0
        for (name, path) in try Corpus.pprofProfiles() {
            let dir = try Corpus.require().appendingPathComponent("expected")
            var expected: String
            if let text = try? String(contentsOfFile: dir.appendingPathComponent("\(name).traces.txt").path, encoding: .utf8) {
                expected = text
            } else if FileManager.default.fileExists(atPath: dir.appendingPathComponent("\(name).traces.txt.gz").path) {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", "gzip -dc '\(dir.path)/\(name).traces.txt.gz'"]
                let pipe = Pipe()
                process.standardOutput = pipe
                try process.run()
                expected = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
            } else {
                continue
            }
            let ours = TracesReport(context: try ReportInputs(inputs: [path]).context(options: ReportOptions())).text()
            let a = TopReportTests.withoutTime(ours), b = TopReportTests.withoutTime(expected)
            XCTAssertEqual(a.count, b.count, "\(name): line count")
            if let i = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) {
                XCTFail("\(name).traces.txt differs at line \(i + 1): ours \(a[i]) | pprof \(b[i])")
            }
            compared += 1
        }
        XCTAssertGreaterThan(compared, 20)
    }
}
