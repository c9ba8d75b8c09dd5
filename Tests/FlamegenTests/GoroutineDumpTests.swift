@testable import FlameImport
import FlameModel
import Foundation
import XCTest

/// Go goroutine dumps (`debug=1`, `debug=2`) against their headers and the proto profile
/// taken from the same program at the same time.
final class GoroutineDumpTests: XCTestCase {
    func load(_ path: String, _ parser: GoroutineDumpParser = GoroutineDumpParser()) throws -> Profile {
        try ProfileLoader(goroutines: parser).load(path: path)
    }

    /// The dumps of the corpus: `go/` and `pprof-outputs/goroutine/`.
    func dumps() throws -> [String] {
        let root = try Corpus.require()
        return ["go/goroutine_debug1.txt", "go/goroutine_debug2.txt",
                "pprof-outputs/goroutine/goroutine.debug1.txt", "pprof-outputs/goroutine/goroutine.debug2.txt"]
            .map { root.appendingPathComponent($0).path }
    }

    func testGoroutineCountsMatchTheDumps() throws {
        for path in try dumps() {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let expected: Int64
            if text.hasPrefix("goroutine profile: total ") {
                let first = text.split(separator: "\n")[0]
                expected = Int64(first.dropFirst("goroutine profile: total ".count))!
            } else {
                expected = Int64(text.split(separator: "\n").filter { $0.hasPrefix("goroutine ") && $0.hasSuffix("]:") }.count)
            }
            XCTAssertEqual(try load(path).total(0), expected, path)
        }
    }

    func testStatesAndCreatedByFrames() throws {
        let path = try Corpus.path("go/goroutine_debug2.txt")
        let root = try CallTree.build(from: try load(path)).cumulativeByName()
        XCTAssertEqual(root["[chan receive]"], 180)
        XCTAssertEqual(root["[select]"], 82)
        XCTAssertEqual(root["[semacquire]"], 90)
        XCTAssertEqual(root["[sleep]"], 10)
        let leaf = try load(path, GoroutineDumpParser(state: .leaf))
        XCTAssertEqual(leaf.frames[leaf.stack(0).last!].name.first, "[")
        let none = try CallTree.build(from: try load(path, GoroutineDumpParser(state: .none))).cumulativeByName()
        XCTAssertNil(none["[select]"])
        let created = try CallTree.build(from: try load(path, GoroutineDumpParser(state: .none, includeCreatedBy: true))).cumulativeByName()
        XCTAssertEqual(created["created by main.leakGoroutines"], 360)
        let profile = try load(path)
        XCTAssertLessThan(profile.sampleCount, 366, "identical stacks are grouped")
    }

    /// The leaked goroutines (main, sync, time frames) agree with goroutine.pb.gz; the HTTP
    /// goroutines serving each request differ between the two captures.
    func testPerFunctionCountsAgreeWithTheProtoProfile() throws {
        let proto = try CallTree.build(from: try ProfileLoader().load(path: try Corpus.path("go/goroutine.pb.gz"))).cumulativeByName()
        for dump in ["go/goroutine_debug1.txt", "go/goroutine_debug2.txt"] {
            let counts = try CallTree.build(from: try load(try Corpus.path(dump), GoroutineDumpParser(state: .none))).cumulativeByName()
            let leaked = counts.keys.filter { $0.hasPrefix("main.blocked") || $0.hasPrefix("sync.") || $0.hasPrefix("time.") || $0 == "main.sleeping" || $0 == "main.leakGoroutines.func1" }
            XCTAssertGreaterThanOrEqual(leaked.count, 6, dump)
            for name in leaked { XCTAssertEqual(counts[name], proto[name], "\(dump): \(name)") }
        }
    }

    func testFunctionNamesAndPositions() {
        XCTAssertEqual(GoroutineDumpParser.functionName("net/http.(*conn).serve(0xc000092be0, {0x7a9520, 0xc0000953e0})"), "net/http.(*conn).serve")
        XCTAssertEqual(GoroutineDumpParser.functionName("main.main()"), "main.main")
        XCTAssertEqual(GoroutineDumpParser.functionName("pkg.Gen[...](0x1)"), "pkg.Gen[...]")
        let (file, line) = GoroutineDumpParser.position("net/http/server.go:1991 +0x607")
        XCTAssertEqual(file, "net/http/server.go")
        XCTAssertEqual(line, 1991)
    }

    func testTruncatedAndHostileDumpsDoNotCrash() throws {
        let text = try String(contentsOfFile: try Corpus.path("go/goroutine_debug2.txt"), encoding: .utf8)
        let bytes = Array(text.utf8)
        for cut in stride(from: 20, to: min(bytes.count, 4000), by: 97) {
            _ = try? GoroutineDumpParser().parse(Array(bytes.prefix(cut)))
        }
        _ = try? GoroutineDumpParser().parse(Array("goroutine 1 [x]:\nf(((((\n\t:\n".utf8))
        XCTAssertThrowsError(try GoroutineDumpParser().parse(Array("goroutine profile: total 3\n".utf8)))
    }
}

/// Go's text heap profile (`heap?debug=1`) against the proto taken at the same time.
final class GoHeapTextTests: XCTestCase {
    /// heap?debug=1 and the proto profile taken at the same moment: the same totals for every
    /// sample type, and the same cumulative value for every function of the program (the
    /// repository's fixtures; for the corpus's pair, where runtime frames differ between the
    /// two captures, its leaking function).
    func testEverySampleTypeMatchesTheProtoProfile() throws {
        var pairs = [(Fixture.path("heap_debug1.txt"), Fixture.path("heap_late.pb.gz"), "main\\.")]
        if let corpus = try? Corpus.require() {
            pairs.append((corpus.appendingPathComponent("go/heap_debug1.txt").path, corpus.appendingPathComponent("go/heap_late.pb.gz").path,
                          "^main\\.addToCache$"))
        }
        for (textPath, protoPath, functions) in pairs {
            let pattern = try NameRegex(functions)
            let text = try ProfileLoader().load(path: textPath)
            let proto = try ProfileLoader().load(path: protoPath)
            XCTAssertEqual(text.sampleTypes.map(\.type), proto.sampleTypes.map(\.type))
            XCTAssertEqual(text.defaultSampleIndex, proto.defaultSampleIndex)
            for i in proto.sampleTypes.indices {
                XCTAssertEqual(text.total(i), proto.total(i), proto.sampleTypes[i].type)
                let a = try CallTree.build(from: text, options: TreeOptions(sampleIndex: String(i))).cumulativeByName()
                let b = try CallTree.build(from: proto, options: TreeOptions(sampleIndex: String(i))).cumulativeByName()
                let userCode = { (d: [String: Int64]) in d.filter { pattern.matches($0.key) } }
                XCTAssertEqual(userCode(a), userCode(b), "\(textPath) \(proto.sampleTypes[i].type)")
                XCTAssertFalse(userCode(a).isEmpty)
            }
        }
    }

    func testRateScalingFollowsPprof() throws {
        XCTAssertTrue(try GoHeapTextParser.scale(0, 10, 512) == (0, 0))
        XCTAssertTrue(try GoHeapTextParser.scale(3, 30, 1) == (3, 30))
        let (count, size) = try GoHeapTextParser.scale(1, 1024, 4096)
        XCTAssertEqual(count, 4)
        XCTAssertEqual(size, 4629, "1024 · 1/(1 − e^(−1024/4096))")
    }
}
