import Foundation
import XCTest

/// Byte-for-byte comparison with Go 1.27's `go tool pprof`: every golden a manifest lists
/// (written by `testdata/record_goldens.py`, see `make fixtures`) is printed again by the
/// flamegen binary with the arguments the manifest gives, in the profiles' folder, with TZ=UTC.
final class PprofGoldenTests: XCTestCase {
    static let fixtures = Corpus.repoRoot.appendingPathComponent("Tests/FlamegenTests/Fixtures")

    /// One manifest line: the golden's file name and the flamegen arguments that reproduce it.
    struct Golden { let file: String; let arguments: [String] }

    static func manifest(_ goldenDir: URL) throws -> [Golden] {
        let text = try String(contentsOf: goldenDir.appendingPathComponent("manifest.tsv"), encoding: .utf8)
        return text.split(separator: "\n").map { line in
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false)
            let args = columns[1].split(separator: "\u{1f}", omittingEmptySubsequences: false).map { word in
                word.hasPrefix("@/") ? String(word.dropFirst(2)) : String(word)
            }
            return Golden(file: String(columns[0]), arguments: args)
        }
    }

    /// The golden's bytes (goldens too big to commit plainly are gzipped).
    static func expected(_ goldenDir: URL, _ file: String) throws -> Data? {
        let plain = goldenDir.appendingPathComponent(file)
        if FileManager.default.fileExists(atPath: plain.path) { return try Data(contentsOf: plain) }
        let gz = goldenDir.appendingPathComponent(file + ".gz")
        guard FileManager.default.fileExists(atPath: gz.path) else { return nil }
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc", gz.path]
        let pipe = Pipe()
        gunzip.standardOutput = pipe
        try gunzip.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        return data
    }

    /// Runs every golden of a folder; fails once, listing every golden that differs.
    func checkGoldens(profiles: URL, goldens: URL, minimum: Int) throws {
        let binary = CLITests.binary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw XCTSkip("flamegen binary not built at \(binary.path)")
        }
        var failures: [String] = []
        let entries = try Self.manifest(goldens)
        XCTAssertGreaterThanOrEqual(entries.count, minimum, "manifest of \(goldens.path)")
        for golden in entries {
            guard var want = try Self.expected(goldens, golden.file) else {
                failures.append("\(golden.file): golden missing")
                continue
            }
            let process = Process()
            process.executableURL = binary
            process.arguments = golden.arguments
            process.currentDirectoryURL = profiles
            process.environment = ["TZ": "UTC", "PATH": "/usr/bin:/bin"]
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let got = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if golden.file.hasSuffix(".dot") { want = Self.withoutDanglingEdges(want) }
            if got != want {
                failures.append("\(golden.file) (flamegen \(golden.arguments.joined(separator: " "))): " +
                    Self.firstDifference(got, want) + (stderr.isEmpty ? "" : " stderr: \(stderr.prefix(200))"))
            }
        }
        XCTAssertTrue(failures.isEmpty, "\(failures.count) of \(entries.count) outputs differ from go tool pprof:\n" + failures.joined(separator: "\n"))
    }

    /// pprof's differential call graphs can hold an edge to node `N0`, which does not exist
    /// (Graphviz then draws a stray box named N0); flamegen does not copy that bug.
    static func withoutDanglingEdges(_ dot: Data) -> Data {
        let lines = String(decoding: dot, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        return Data(lines.filter { !$0.contains(" -> N0 [") }.joined(separator: "\n").utf8)
    }

    /// The first line where two outputs differ, both versions shown.
    static func firstDifference(_ got: Data, _ want: Data) -> String {
        let g = String(decoding: got, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let w = String(decoding: want, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(g.count, w.count) {
            let a = i < g.count ? String(g[i]) : "<end>", b = i < w.count ? String(w[i]) : "<end>"
            if a != b { return "line \(i + 1): got \(a.debugDescription), want \(b.debugDescription)" }
        }
        return "same lines, different bytes"
    }

    /// The repository's own Go 1.27 profiles (testdata/gen): runs on a fresh clone.
    func testGeneratedProfilesMatchPprof() throws {
        let dir = Self.fixtures.appendingPathComponent("go")
        try checkGoldens(profiles: dir, goldens: dir.appendingPathComponent("expected"), minimum: 100)
    }

    /// pprof's own test profiles from the shared corpus.
    func testCorpusPprofProfilesMatchPprof() throws {
        let profiles = try Corpus.require().appendingPathComponent("pprof")
        try checkGoldens(profiles: profiles, goldens: Self.fixtures.appendingPathComponent("corpus/pprof"), minimum: 100)
    }

    /// The Go profiles of the shared corpus.
    func testCorpusGoProfilesMatchPprof() throws {
        let profiles = try Corpus.require().appendingPathComponent("go")
        try checkGoldens(profiles: profiles, goldens: Self.fixtures.appendingPathComponent("corpus/go"), minimum: 50)
    }
}
