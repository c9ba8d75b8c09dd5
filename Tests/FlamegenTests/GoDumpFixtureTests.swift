@testable import FlameImport
import FlameModel
import Foundation
import XCTest

/// The Go 1.27 goroutine dumps of the repository's fixtures (testdata/gen): every header form
/// (labels, gp=/m=, minutes, locked to thread, dotted states, CRLF and a byte-order mark), no
/// goroutine ever dropped, and labels that filter like the proto profile's.
final class GoDumpFixtureTests: XCTestCase {
    static let dir = PprofGoldenTests.fixtures.appendingPathComponent("go")

    func load(_ name: String, _ parser: GoroutineDumpParser = GoroutineDumpParser()) throws -> Profile {
        try ProfileLoader(goroutines: parser).load(path: Self.dir.appendingPathComponent(name).path)
    }

    /// The number of `goroutine N … [` headers in a dump (or debug=1's `total N`).
    func headerCount(_ name: String) throws -> Int64 {
        // "\r\n" is one Character in Swift: normalise line ends before splitting.
        let text = try String(contentsOf: Self.dir.appendingPathComponent(name), encoding: .utf8)
            .replacingOccurrences(of: "\r\n", with: "\n")
        if let first = text.split(separator: "\n").first, first.hasPrefix("goroutine profile: total ") {
            return Int64(first.dropFirst("goroutine profile: total ".count))!
        }
        return Int64(text.split(separator: "\n").filter { line in
            line.hasPrefix("goroutine ") && line.contains(" [") && line.hasSuffix(":")
        }.count)
    }

    func testTotalsEqualTheDumpsOwnCountsAndTheProtoProfile() throws {
        let proto = try load("goroutine.pb.gz").total(0)
        for name in ["goroutine_debug1.txt", "goroutine_debug2.txt", "goroutine_minutes.txt", "goroutine_crlf.txt",
                     "goroutine_unparsed.txt", "goroutine_crash.txt"] {
            let expected = try headerCount(name)
            XCTAssertGreaterThan(expected, 5, name)
            for state in GoroutineDumpParser.StatePlacement.allCases {
                XCTAssertEqual(try load(name, GoroutineDumpParser(state: state)).total(0), expected, "\(name), state \(state)")
            }
        }
        XCTAssertEqual(try load("goroutine_debug2.txt").total(0), proto, "the dump and the proto profile were taken together")
        XCTAssertEqual(try load("goroutine_debug1.txt").total(0), proto)
    }

    /// `--wait-buckets`: the state frame says how long goroutines waited; the groups add up to
    /// the same states, and waits land in the bucket the header's minutes select.
    func testWaitBucketsLabelTheStateFrame() throws {
        let name = "goroutine_minutes.txt"
        let plain = try CallTree.build(from: try load(name)).cumulativeByName()
        let bucketed = try CallTree.build(from: try load(name, GoroutineDumpParser(waitBuckets: [60, 1, 10]))).cumulativeByName()
        let text = try String(contentsOf: Self.dir.appendingPathComponent(name), encoding: .utf8)
        // Expected counts per bucketed frame, straight from the headers.
        var expected: [String: Int64] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("goroutine ") && line.contains(" [") {
            let inside = line.split(separator: "[", maxSplits: 1)[1].split(separator: "]")[0]
            let parts = inside.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let minutes = parts.first { $0.hasSuffix(" minutes") || $0.hasSuffix(" minute") }.flatMap { Int64($0.split(separator: " ")[0]) } ?? 0
            let bucket = minutes >= 60 ? "≥60 min" : minutes >= 10 ? "≥10 min" : minutes >= 1 ? "≥1 min" : "<1 min"
            expected["[\(parts[0]), \(bucket)]", default: 0] += 1
        }
        let frames = bucketed.filter { $0.key.hasPrefix("[") }
        XCTAssertEqual(frames, expected)
        XCTAssertGreaterThan(Set(expected.keys.map { $0.components(separatedBy: ", ").last! }).count, 2, "the fixture has several wait lengths")
        // Without buckets, the same goroutines under the bare states.
        XCTAssertEqual(plain.filter { $0.key.hasPrefix("[") }.values.reduce(0, +), frames.values.reduce(0, +))
    }

    func testABlockThatIsNotATracebackIsCountedVisibly() throws {
        let profile = try load("goroutine_unparsed.txt")
        let unparsed = profile.frames.frames.firstIndex { $0.name == GoroutineDumpParser.unparsedFrame }
        XCTAssertNotNil(unparsed, "the broken block is under <unparsed goroutine>")
        XCTAssertEqual(profile.total(0), try load("goroutine_debug2.txt").total(0) + 1)
    }

    func testHeaderFormsOfEveryRelease() throws {
        let forms: [(String, String, Int64, [SampleLabel])] = [
            ("goroutine 7 [chan receive]:", "chan receive", 0, []),
            ("goroutine 7 [chan receive, 12 minutes]:", "chan receive", 12, []),
            ("goroutine 7 [select, 3 minutes, locked to thread]:", "select", 3, []),
            ("goroutine 1 gp=0xc000002380 m=0 mp=0x5a0d20 [running]:", "running", 0, []),
            ("goroutine 2 gp=0xc000002380 m=nil [force gc (idle)]:", "force gc (idle)", 0, []),
            ("goroutine 9 [sync.WaitGroup.Wait]:", "sync.WaitGroup.Wait", 0, []),
            ("goroutine 9 [chan receive] {handler: search}:", "chan receive", 0, [SampleLabel(key: "handler", string: "search")]),
            ("goroutine 9 [IO wait, 5 minutes] {\"request id\": \"a\\\"b c\", pool: x}:", "IO wait", 5,
             [SampleLabel(key: "request id", string: "a\"b c"), SampleLabel(key: "pool", string: "x")]),
            // Go 1.26 with GODEBUG=tracebacklabels=1: labels last inside the bracket, values of any text.
            ("goroutine 2391 [chan receive labels:{\"shift\": \"0\", \"zoo\": \"idle\"}]:", "chan receive", 0,
             [SampleLabel(key: "shift", string: "0"), SampleLabel(key: "zoo", string: "idle")]),
            ("goroutine 5 [select, 2 minutes, locked to thread labels:{\"a]b\": \"c, d]:\"}]:", "select", 2,
             [SampleLabel(key: "a]b", string: "c, d]:")]),
        ]
        for (line, state, minutes, labels) in forms {
            let header = try XCTUnwrap(GoroutineHeader(Substring(line)), line)
            XCTAssertEqual(header.state, state, line)
            XCTAssertEqual(header.waitMinutes, minutes, line)
            XCTAssertEqual(header.labels, labels, line)
        }
        XCTAssertNil(GoroutineHeader("goroutine profile: total 4"))
        XCTAssertNil(GoroutineHeader("goroutine 7 [chan receive] {broken:"))
    }

    func testLabelsOfDumpsFilterLikeTheProtoProfile() throws {
        for name in ["goroutine_debug1.txt", "goroutine_debug2.txt"] {
            let dump = try load(name)
            var filter = StackFilter()
            filter.tagFocus = "state=recv"
            XCTAssertEqual(try dump.filtered(by: filter).total(0), 5, name)
            filter.tagFocus = "request id=b c"
            XCTAssertEqual(try dump.filtered(by: filter).total(0), 1, "\(name): quoted label")
        }
        var filter = StackFilter()
        filter.tagFocus = "state=recv"
        XCTAssertEqual(try load("goroutine.pb.gz").filtered(by: filter).total(0), 5)
    }

    func testWaitMinutesAreKeptAsTheLongestOfEachGroup() throws {
        let profile = try load("goroutine_minutes.txt")
        let waits = profile.labels.values.flatMap { $0 }.filter { $0.key == "wait_minutes" }.compactMap(\.number)
        XCTAssertFalse(waits.isEmpty)
        let text = try String(contentsOf: Self.dir.appendingPathComponent("goroutine_minutes.txt"), encoding: .utf8)
        let longest = text.split(separator: "\n").compactMap { line -> Int64? in
            guard let r = line.range(of: " minutes") else { return nil }
            return Int64(line[..<r.lowerBound].split(separator: " ").last ?? "")
        }.max()
        XCTAssertEqual(waits.max(), longest)
    }
}

/// pprof's merge compares labels whatever order they are stored in.
final class MergeLabelOrderTests: XCTestCase {
    func testSamplesWithTheSameLabelsInAnotherOrderMerge() throws {
        var p = Profile(source: .pprof, sampleTypes: [SampleType(type: "samples", unit: "count")])
        let f = p.frames.intern(Frame(name: "main.f"))
        p.addSample(stack: [f], values: [2])
        p.labels[0] = [SampleLabel(key: "a", string: "1"), SampleLabel(key: "b", string: "2")]
        p.addSample(stack: [f], values: [3])
        p.labels[1] = [SampleLabel(key: "b", string: "2"), SampleLabel(key: "a", string: "1")]
        let merged = try Profile.merge([p, p])
        XCTAssertEqual(merged.sampleCount, 1)
        XCTAssertEqual(merged.value(0, 0), 10)
    }

    func testSamplesThatCancelOutAreDropped() throws {
        var p = Profile(source: .pprof, sampleTypes: [SampleType(type: "samples", unit: "count")])
        let f = p.frames.intern(Frame(name: "main.f")), g = p.frames.intern(Frame(name: "main.g"))
        p.addSample(stack: [f], values: [2])
        p.addSample(stack: [g], values: [1])
        var base = Profile(source: .pprof, sampleTypes: p.sampleTypes)
        let bf = base.frames.intern(Frame(name: "main.f"))
        base.addSample(stack: [bf], values: [2])
        let diff = try Profile.merge([p], negating: [base])
        XCTAssertEqual(diff.sampleCount, 1, "f cancels out")
        let labelled = try Profile.merge([p], negating: [base], baseLabel: true)
        XCTAssertEqual(labelled.sampleCount, 3, "with --diff-base, base samples stay apart")
        XCTAssertTrue(labelled.labels.values.contains { $0.contains(SampleLabel(key: "pprof::base", string: "true")) })
    }
}
