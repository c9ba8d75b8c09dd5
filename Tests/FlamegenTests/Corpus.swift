import Foundation
import XCTest

/// Locates the shared test corpus (`../shared/corpus` beside the repository) and skips tests
/// with a clear message when it is absent.
enum Corpus {
    static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static let root = repoRoot.appendingPathComponent("../shared/corpus").standardizedFileURL

    static func require() throws -> URL {
        guard FileManager.default.fileExists(atPath: root.path) else {
            throw XCTSkip("../shared/corpus is absent (expected beside the repository); corpus tests skipped")
        }
        return root
    }

    static func path(_ relative: String) throws -> String {
        try require().appendingPathComponent(relative).path
    }

    /// Every gzipped pprof profile in `pprof/` and `go/`, by short name (`cpu`, `sample.cpu`, …).
    static func pprofProfiles() throws -> [(name: String, path: String)] {
        let base = try require()
        var result: [(String, String)] = []
        for folder in ["pprof", "go"] {
            let dir = base.appendingPathComponent(folder)
            let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".pb.gz") }.sorted()
            for f in files { result.append((String(f.dropLast(6)), dir.appendingPathComponent(f).path)) }
        }
        return result
    }

    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }
}

/// The repository's own Go 1.27 profiles and dumps (Tests/FlamegenTests/Fixtures/go, made by
/// testdata/gen): always present, so the core checks run on a fresh clone.
enum Fixture {
    static let dir = Corpus.repoRoot.appendingPathComponent("Tests/FlamegenTests/Fixtures/go")

    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
}
