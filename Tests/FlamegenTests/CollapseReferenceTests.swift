@testable import FlameImport
import Foundation
import XCTest

/// `perf script` and DTrace collapsing against the reference collapsers: the repository's own
/// small captures (recorded with stackcollapse-perf.pl / stackcollapse.pl by `make fixtures`),
/// and every reference in `../shared/corpus/stacks-raw` (stackcollapse-perf.pl's and inferno's).
final class CollapseReferenceTests: XCTestCase {
    static let small = Corpus.repoRoot.appendingPathComponent("testdata/collapse")

    func collapse(_ path: String, _ options: CollapseOptions = CollapseOptions()) throws -> String {
        var loader = ProfileLoader()
        loader.collapse = options
        let stacks = try XCTUnwrap(try loader.collapsed(path: path), "\(path) is not recognised as perf script or DTrace")
        return String(decoding: stacks.foldedText(), as: UTF8.self)
    }

    /// The options of a reference file's suffix (`pid`, `all`, `kernel+jit`, …).
    func options(_ names: [String]) -> CollapseOptions {
        var o = CollapseOptions()
        for name in names {
            switch name {
            case "pid": o.includePid = true
            case "tid": o.includeTid = true
            case "kernel": o.annotateKernel = true
            case "jit": o.annotateJit = true
            case "all": o.annotateKernel = true; o.annotateJit = true
            case "addrs": o.includeAddrs = true
            case "includeoffset": o.includeOffset = true
            default: XCTFail("unknown option \(name)")
            }
        }
        return o
    }

    /// Perl strips quotes from names; inferno's tests compare after doing the same to its output.
    func unquoted(_ s: String) -> String { s.replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "'", with: "") }

    func testSmallCapturesMatchTheReferenceCollapsers() throws {
        let perf = Self.small.appendingPathComponent("small.perf.txt").path
        for opt in ["", "pid", "tid", "kernel", "jit", "all", "addrs"] {
            let expected = try String(contentsOf: Self.small.appendingPathComponent("small.perf\(opt.isEmpty ? "" : "-" + opt).folded"), encoding: .utf8)
            XCTAssertEqual(unquoted(try collapse(perf, options(opt.isEmpty ? [] : [opt]))), expected, opt)
        }
        let dtrace = try String(contentsOf: Self.small.appendingPathComponent("small.dtrace.folded"), encoding: .utf8)
        XCTAssertEqual(try collapse(Self.small.appendingPathComponent("small.dtrace.txt").path), dtrace)
    }

    /// The event filter: the first event type by default (the other one counted), or the one named.
    func testEventFilterAndSkipAfter() throws {
        let perf = Self.small.appendingPathComponent("small.perf.txt").path
        var loader = ProfileLoader()
        let stacks = try XCTUnwrap(try loader.collapsed(path: perf))
        XCTAssertEqual(stacks.keptEvent, "cpu-clock")
        XCTAssertEqual(stacks.skippedEvents, ["instructions": 1])
        loader.collapse.eventFilter = "instructions"
        XCTAssertEqual(String(decoding: try XCTUnwrap(try loader.collapsed(path: perf)).foldedText(), as: UTF8.self),
                       "server;main.(*Server).handle 7\n")
        var skip = CollapseOptions()
        skip.skipAfter = ["net/http.(*conn).serve"]
        XCTAssertTrue(try collapse(perf, skip).contains("\nnet/http.(*conn).serve;main.(*Server).handle 500000\n"))
    }

    /// Big captures are collapsed in parts on two threads: the counts equal those of one pass.
    func testBigCapturesCollapseTheSameOnTwoThreads() throws {
        let text = try Data(contentsOf: Self.small.appendingPathComponent("small.perf.txt"))
        let copies = 3000
        var big = Data()
        for _ in 0..<copies { big.append(text) }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("big-\(UUID().uuidString).perf")
        try big.write(to: tmp)
        defer { try? FileManager.default.removeItem(at: tmp) }
        XCTAssertGreaterThan(big.count, 2 * StreamCollapser.parallelThreshold)
        let one = try XCTUnwrap(try ProfileLoader().collapsed(path: Self.small.appendingPathComponent("small.perf.txt").path))
        let many = try XCTUnwrap(try ProfileLoader().collapsed(path: tmp.path))
        XCTAssertEqual(many.counts, one.counts.mapValues { $0 * Int64(copies) })
        XCTAssertEqual(many.skippedEvents, ["instructions": copies])
    }

    /// Captures arrive in chunks that cut lines and samples anywhere: every chunk size gives the
    /// counts of the capture read whole.
    func testChunkedCapturesCollapseTheSame() throws {
        let text = try Array(Data(contentsOf: Self.small.appendingPathComponent("small.perf.txt")))
        var big: [UInt8] = []
        for _ in 0..<1500 { big += text }
        func collapse(_ input: [UInt8], chunk: Int) throws -> CollapsedStacks {
            var collapser = StreamCollapser(kind: .perfScript, options: CollapseOptions())
            var start = 0
            while start < input.count {
                let end = min(input.count, start + chunk)
                try input[start..<end].withUnsafeBytes { try collapser.feed($0) }
                start = end
            }
            return try collapser.finish()
        }
        let whole = try collapse(text, chunk: text.count)
        XCTAssertFalse(whole.counts.isEmpty)
        for chunk in [1, 2, 7, 100] {
            XCTAssertEqual(try collapse(text, chunk: chunk).counts, whole.counts, "chunks of \(chunk) bytes")
        }
        XCTAssertGreaterThan(big.count, 2 * StreamCollapser.parallelThreshold)
        for chunk in [4093, (1 << 20) + 13, big.count] {
            let many = try collapse(big, chunk: chunk)
            XCTAssertEqual(many.counts, whole.counts.mapValues { $0 * 1500 }, "chunks of \(chunk) bytes")
            XCTAssertEqual(many.skippedEvents, ["instructions": 1500])
        }
    }

    /// Every stackcollapse-perf.pl reference. Perl drops a capture's last sample when no blank line
    /// follows it; flamegen keeps it (as inferno does), so the input is cut after its last blank
    /// line for the comparison, and the one extra stack is checked apart. The Java references
    /// for --pid/--tid keep Java's `L` prefix, which today's stackcollapse-perf.pl (and inferno)
    /// strip: those are compared with the script itself when perl is there.
    func testStackcollapsePerfReferences() throws {
        let base = try Corpus.require().appendingPathComponent("stacks-raw/flamegraph")
        let results = try FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent("results").path).filter { $0.hasSuffix(".txt") }.sorted()
        let script = Corpus.root.appendingPathComponent("../tools/flamegraph/stackcollapse-perf.pl").standardizedFileURL.path
        var compared = 0
        for result in results {
            let name = String(result.dropLast(4))
            guard let range = name.range(of: "-collapsed-") else { continue }
            let stem = String(name[..<range.lowerBound]), opt = String(name[range.upperBound...])
            if stem.hasPrefix("perf-rust") { continue } // inferno's own references fix Perl's Rust names: see below
            let input = try Data(contentsOf: base.appendingPathComponent(stem + ".txt"))
            let cut = Self.cutAfterLastBlankLine(input)
            let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("collapse-\(UUID().uuidString).txt")
            try cut.write(to: tmp)
            defer { try? FileManager.default.removeItem(at: tmp) }
            let ours = unquoted(try collapse(tmp.path, options([opt])))
            var expected = try String(contentsOf: base.appendingPathComponent("results/" + result), encoding: .utf8)
            if stem.hasPrefix("perf-java") || stem.hasPrefix("perf-vertx"), opt == "pid" || opt == "tid" {
                guard FileManager.default.fileExists(atPath: script), let perl = Self.run(["perl", script, "--" + opt, tmp.path]) else { continue }
                expected = unquoted(perl)
            }
            XCTAssertEqual(ours, expected, result)
            compared += 1
            if cut.count != input.count {
                // The whole capture: the same stacks, and the last sample's stack once more.
                let whole = unquoted(try collapse(base.appendingPathComponent(stem + ".txt").path, options([opt])))
                let extra = Set(whole.split(separator: "\n")).subtracting(ours.split(separator: "\n"))
                XCTAssertLessThanOrEqual(extra.count, 2, "\(result): only the last sample differs")
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 64)
    }

    /// Every inferno collapse-perf and collapse-dtrace reference, byte for byte.
    func testInfernoReferences() throws {
        let base = try Corpus.require().appendingPathComponent("stacks-raw")
        var compared = 0
        for result in try FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent("inferno-perf/results").path).sorted() {
            let name = String(result.dropLast(4))
            let parts = name.components(separatedBy: "-collapsed")
            let opts = parts[1].isEmpty ? [] : parts[1].dropFirst().components(separatedBy: "+")
            let candidates = ["inferno-perf/\(parts[0]).txt", "flamegraph/\(parts[0]).txt", "flamegraph/\(parts[0]).txt.gz"]
            let input = try XCTUnwrap(candidates.map { base.appendingPathComponent($0).path }.first { FileManager.default.fileExists(atPath: $0) }, result)
            let expected = try String(contentsOf: base.appendingPathComponent("inferno-perf/results/" + result), encoding: .utf8)
            if (try FileManager.default.attributesOfItem(atPath: input)[.size] as? Int) == 0 {
                // inferno prints nothing for an empty capture; flamegen says it is empty.
                XCTAssertEqual(expected, "")
                XCTAssertThrowsError(try ProfileLoader().collapsed(path: input))
                compared += 1
                continue
            }
            XCTAssertEqual(try collapse(input, options(opts)), expected, result)
            compared += 1
        }
        let dtraceInputs = ["dtrace-example": ("flamegraph/example-dtrace-stacks.txt", false),
                            "dtrace-example-offsets": ("flamegraph/example-dtrace-stacks.txt", true),
                            "flamegraph-bug": ("inferno-dtrace/flamegraph-bug.txt", true)]
        for result in try FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent("inferno-dtrace/results").path).sorted() where result.hasSuffix(".txt") {
            let name = String(result.dropLast(4))
            let (input, offsets) = dtraceInputs[name] ?? ("inferno-dtrace/\(name).txt", false)
            let expected = try String(contentsOf: base.appendingPathComponent("inferno-dtrace/results/" + result), encoding: .utf8)
            XCTAssertEqual(try collapse(base.appendingPathComponent(input).path, options(offsets ? ["includeoffset"] : [])), expected, result)
            compared += 1
        }
        XCTAssertEqual(compared, 23)
    }

    /// The input up to and including its last blank line (all of it when it ends with one).
    static func cutAfterLastBlankLine(_ data: Data) -> Data {
        let bytes = [UInt8](data)
        if bytes.suffix(2) == [0x0A, 0x0A] { return data }
        var i = bytes.count - 2
        while i >= 0 && !(bytes[i] == 0x0A && bytes[i + 1] == 0x0A) { i -= 1 }
        return i < 0 ? data : Data(bytes[...(i + 1)])
    }

    static func run(_ args: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }
}
