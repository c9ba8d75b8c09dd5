import FlameImport
import FlameModel
import XCTest

/// Checks flamegen's numbers against `go tool pprof` on the real corpus: the root total and
/// every function's cumulative value, for the default and every other sample index that has an
/// `expected/` file.
final class PprofCorpusTests: XCTestCase {
    /// One row of `pprof -top`: name and cum (as printed).
    struct TopRow { let name: String; let flat: String; let cum: String }

    /// Parses an `expected/*.top.txt`: the total and the rows.
    static func parseTop(_ text: String) -> (total: String, rows: [TopRow]) {
        var total = ""
        var rows: [TopRow] = []
        var inRows = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Showing nodes accounting for"), let of = line.range(of: " of ", options: .backwards) {
                total = String(line[of.upperBound...].dropLast(" total".count))
            } else if line.hasPrefix("      flat  flat%") {
                inRows = true
            } else if inRows, !line.isEmpty {
                let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
                guard fields.count == 6 else { continue }
                var name = fields[5].trimmingCharacters(in: .whitespaces)
                for suffix in [" (inline)", " (partial-inline)"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
                rows.append(TopRow(name: name, flat: String(fields[0]), cum: String(fields[3])))
            }
        }
        return (total, rows)
    }

    /// The unit pprof chose for a report, read off its total (`7.12s` → `s`, `512` → count).
    static func unit(of printed: String) -> String {
        String(printed.drop { $0.isNumber || $0 == "." || $0 == "-" })
    }

    func check(profilePath: String, expected: String, sampleIndex: String?, file: StaticString = #filePath, line: UInt = #line) throws {
        let profile = try ProfileLoader().load(path: profilePath)
        let tree = try CallTree.build(from: profile, options: TreeOptions(sampleIndex: sampleIndex))
        let (total, rows) = Self.parseTop(expected)
        let unit = Self.unit(of: total)
        let format = { (v: Int64) in Units.label(v, unit: tree.sampleType.unit, to: unit.isEmpty ? "count" : unit) }
        XCTAssertEqual(format(tree.total[0]), total, "root total of \(profilePath) [\(sampleIndex ?? "default")]", file: file, line: line)
        let cum = tree.cumulativeByName().filter { $0.value != 0 }
        XCTAssertEqual(Set(cum.keys), Set(rows.map(\.name)), "functions of \(profilePath) [\(sampleIndex ?? "default")]", file: file, line: line)
        for row in rows {
            XCTAssertEqual(format(cum[row.name] ?? 0), row.cum, "cum of \(row.name) in \(profilePath) [\(sampleIndex ?? "default")]", file: file, line: line)
        }
    }

    func testRootTotalsAndCumulativeValuesMatchPprof() throws {
        var checked = 0
        for (name, path) in try Corpus.pprofProfiles() {
            let expectedDir = try Corpus.require().appendingPathComponent("expected")
            let defaultFile = expectedDir.appendingPathComponent("\(name).top.txt").path
            guard FileManager.default.fileExists(atPath: defaultFile) else { continue }
            try check(profilePath: path, expected: String(contentsOfFile: defaultFile, encoding: .utf8), sampleIndex: nil)
            checked += 1
            let variants = try FileManager.default.contentsOfDirectory(atPath: expectedDir.path)
                .filter { $0.hasPrefix("\(name)@") && $0.hasSuffix(".top.txt") && !$0.contains("@base-") }
            for v in variants.sorted() {
                let index = String(v.dropFirst(name.count + 1).dropLast(".top.txt".count))
                try check(profilePath: path, expected: String(contentsOfFile: expectedDir.appendingPathComponent(v).path, encoding: .utf8), sampleIndex: index)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 30, "expected to compare every corpus profile")
    }

    func testEverySampleTypeOfEveryProfileBuildsATreeWithTheProfileTotal() throws {
        for (_, path) in try Corpus.pprofProfiles() {
            let profile = try ProfileLoader().load(path: path)
            for i in profile.sampleTypes.indices {
                let tree = try CallTree.build(from: profile, options: TreeOptions(sampleIndex: String(i)))
                XCTAssertEqual(tree.total[0], profile.total(i), "\(path) sample index \(i)")
            }
        }
    }
}
