import FlameImport
import FuzzBodies
import FlameModel
import FlameReport
import Foundation
import XCTest

/// Inputs built to hurt: gzip bombs, absurd IDs, huge stacks, and every crasher the fuzzers
/// ever found (Fuzz/crashers/, copied to Fixtures/crashers/ once fixed).
final class HostileInputTests: XCTestCase {
    func gzip(_ bytes: [UInt8]) -> [UInt8] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bomb-\(UUID().uuidString)")
        try? Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-c", url.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try? p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Array(data)
    }

    func testGzipBombIsRefusedAtTheLimit() throws {
        let bomb = gzip([UInt8](repeating: 0, count: 64 << 20))
        XCTAssertLessThan(bomb.count, 1 << 20, "64 MiB of zeros compress to little")
        XCTAssertThrowsError(try Gzip.decompress(bomb, limit: 8 << 20)) { error in
            XCTAssertEqual(error as? ImportError, .tooLarge(limit: 8 << 20))
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bomb-\(UUID().uuidString).pb.gz")
        try Data(bomb).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        // Zeros are no format at all: refused from their first bytes, long before the limit.
        XCTAssertThrowsError(try ProfileLoader(maxDecompressedBytes: 8 << 20).load(path: url.path)) { error in
            XCTAssertTrue("\(error)".contains("unrecognized format"), "\(error)")
        }
        // Stacks past the limit are refused at the limit.
        let stacks = gzip(Array(String(repeating: "a;b 1\n", count: 2 << 20).utf8))
        try Data(stacks).write(to: url)
        XCTAssertThrowsError(try ProfileLoader(maxDecompressedBytes: 8 << 20).load(path: url.path)) { error in
            XCTAssertTrue("\(error)".contains("decompresses to more than 8 MiB"), "\(error)")
        }
    }

    func testAbsurdIDsAndSelfReferences() throws {
        var p = ProtoBuilder()
        p.message(1) { $0.int(1, 1); $0.int(2, 1) }
        p.message(2) { $0.packed(1, [-1, -1, -1]); $0.int(2, 5) } // location id UInt64.max, three times
        p.message(4) { l in l.int(1, -1); l.message(4) { $0.int(1, -1); $0.int(2, 1) } }
        p.message(5) { $0.int(1, -1); $0.int(2, 1) }
        p.string(6, "")
        p.string(6, "recursive")
        let profile = try PprofDecoder.decode(p.bytes)
        XCTAssertEqual(profile.stack(0).count, 3)
        let tree = try CallTree.build(from: profile)
        XCTAssertEqual(tree.cumulativeByName()["recursive"], 5)
    }

    /// Every input recorded for a fuzz target (Fixtures/crashers/TARGET/, made by
    /// testdata/hostile/make_crashers.py, and Fuzz/crashers/ from local fuzzing) runs through that
    /// target's body, as the fuzzer ran it; every target has some.
    func testEveryRecordedCrasherIsHandled() throws {
        let root = Corpus.repoRoot
        var replayed: [String: Int] = [:]
        for folder in ["Tests/FlamegenTests/Fixtures/crashers", "Fuzz/crashers"] {
            let base = root.appendingPathComponent(folder)
            guard let targets = try? FileManager.default.contentsOfDirectory(atPath: base.path) else { continue }
            for target in targets.sorted() {
                let body = try XCTUnwrap(FuzzBodies.targets[target], "\(folder)/\(target) is no fuzz target")
                let dir = base.appendingPathComponent(target)
                for file in ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() {
                    body(Array(try Data(contentsOf: dir.appendingPathComponent(file))))
                    replayed[target, default: 0] += 1
                }
            }
        }
        XCTAssertEqual(Set(replayed.keys), Set(FuzzBodies.targets.keys), "every fuzz target has recorded inputs")
        print("replayed recorded fuzzer inputs: \(replayed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
    }
}

/// Found by FuzzProfileShapes: a recursive stack whose node has in-edges that together weigh
/// more than 2^63 (each sample counts once per edge) overflowed the call graph's entropy sort.
final class EdgeWeightOverflowTests: XCTestCase {
    func testRecursiveStacksWithHugeValuesLayOut() throws {
        var p = Profile(source: .pprof, sampleTypes: [SampleType(type: "samples", unit: "count")])
        let a = p.frames.intern(Frame(name: "a")), b = p.frames.intern(Frame(name: "b")), c = p.frames.intern(Frame(name: "c"))
        p.addSample(stack: [a, b, a, c, a], values: [Int64.max / 2 + 10])
        try p.checkValueRange()
        let dot = DotGraph(context: try ReportContext(profile: p, options: ReportOptions())).dotText()
        XCTAssertTrue(dot.contains("N1 [label=\"a\\n"), dot)
    }
}
