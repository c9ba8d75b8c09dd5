import FlameApp
import FlameImport
import FlameLayout
import FlameModel
import Foundation
import XCTest

/// Compares flamegen's folded layouts with the reference SVGs of the corpus (rendered by
/// inferno, which keeps flamegraph.pl's layout): same frames (name, depth, start, width in
/// samples) and pixel positions within 0.1 px at the same width.
final class FoldedReferenceTests: XCTestCase {
    struct RefFrame: Hashable {
        let name: String
        let depth: Int
        let start: Int64
        let width: Int64
    }

    /// Frames of an inferno SVG, with their x and width in pixels.
    static func referenceFrames(_ svg: String, inverted: Bool = false) -> [(RefFrame, x: Double, w: Double)] {
        let height = Double(capture(svg, #"<svg version="1.1" width="\d+" height="(\d+)""#) ?? "0")!
        var result: [(RefFrame, Double, Double)] = []
        let lines = svg.components(separatedBy: "\n")
        for (i, line) in lines.enumerated() where line.contains("<rect x=") && line.contains("fg:x=") {
            guard let title = capture(lines[i - 1], #"<title>(.*)</title>"#),
                  let name = capture(unescape(title), #"^(.*) \([0-9.,]+ samples?, [^()]*\)$"#),
                  let xp = capture(line, #"x="([0-9.]+)%""#), let y = capture(line, #"y="([0-9.]+)""#),
                  let wp = capture(line, #"width="([0-9.]+)%""#),
                  let fx = capture(line, #"fg:x="([0-9]+)""#), let fw = capture(line, #"fg:w="([0-9]+)""#)
            else { continue }
            let yv = Double(y)!
            let depth = inverted ? Int((yv - 52) / 16) : Int((height - 33 - yv) / 16) - 1
            result.append((RefFrame(name: name, depth: depth, start: Int64(fx)!, width: Int64(fw)!),
                           Double(xp)! * 1180 / 100 + 10, Double(wp)! * 1180 / 100))
        }
        return result
    }

    static func capture(_ s: String, _ pattern: String) -> String? {
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)),
              let r = Range(m.range(at: 1), in: s) else { return nil }
        return String(s[r])
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    func ourScene(_ inputs: [String], inverted: Bool = false, reverse: Bool = false, chart: Bool = false) throws -> Scene {
        var loader = ProfileLoader()
        loader.keepSampleOrder = chart
        let profile = try loader.load(paths: inputs)
        var treeOptions = TreeOptions(reverse: reverse)
        treeOptions.flameChart = chart
        let tree = try CallTree.build(from: profile, options: treeOptions)
        var options = FlameOptions()
        options.inverted = inverted
        options.rootName = "all" // flamegraph.pl's name for the root (flamegen --root-name all)
        return FlameLayout(options: options).layout(tree)
    }

    func compare(reference: String, inputs: [String], inverted: Bool = false, reverse: Bool = false, chart: Bool = false,
                 file: StaticString = #filePath, line: UInt = #line) throws {
        let ref = Self.referenceFrames(try Corpus.text("folded/flamegraph/" + reference), inverted: inverted)
        XCTAssertFalse(ref.isEmpty, "no frames read from \(reference)", file: file, line: line)
        let scene = try ourScene(try inputs.map { try Corpus.path("folded/" + $0) }, inverted: inverted, reverse: reverse, chart: chart)
        let ours = scene.frames.map { RefFrame(name: $0.name, depth: $0.depth, start: $0.start, width: $0.value) }
        let refSet = Dictionary(ref.map { ($0.0, 1) }, uniquingKeysWith: +)
        let ourSet = Dictionary(ours.map { ($0, 1) }, uniquingKeysWith: +)
        let missing = refSet.keys.filter { ourSet[$0] != refSet[$0] }.prefix(5)
        let extra = ourSet.keys.filter { refSet[$0] != ourSet[$0] }.prefix(5)
        XCTAssertTrue(missing.isEmpty && extra.isEmpty, "\(reference): missing \(Array(missing)), extra \(Array(extra))", file: file, line: line)
        XCTAssertEqual(ours.count, ref.count, reference, file: file, line: line)
        let pixels = Dictionary(scene.frames.map { (RefFrame(name: $0.name, depth: $0.depth, start: $0.start, width: $0.value), ($0.x, $0.width)) },
                                uniquingKeysWith: { a, _ in a })
        for (frame, x, w) in ref {
            guard let (ox, ow) = pixels[frame] else { continue }
            XCTAssertEqual(ox, x, accuracy: 0.1, "x of \(frame) in \(reference)", file: file, line: line)
            XCTAssertEqual(ow, w, accuracy: 0.1, "width of \(frame) in \(reference)", file: file, line: line)
        }
    }

    // References made with default options (REFERENCES.md).
    func testAustinDefaults() throws {
        try compare(reference: "austin/flame.svg", inputs: ["flamegraph/austin/flames.txt"])
    }

    func testDifferentialDefaults() throws {
        let input = "flamegraph/differential/perf-cycles-instructions-01-collapsed-all-diff.txt"
        try compare(reference: "differential/diff.svg", inputs: [input])
        try compare(reference: "options/default.svg", inputs: [input])
    }

    // `options/truncate-right.svg` and `colors/java.svg` were rendered by inferno from its own copy
    // of perf-java-stacks-01, which has stacks (ep_poll, __schedule, …) that the corpus copy lacks,
    // so they cannot be compared frame by frame here.

    func testEmptyInputIsAnErrorAndTheReferenceHasNoFrames() throws {
        let ref = Self.referenceFrames(try Corpus.text("folded/flamegraph/empty/empty.svg"))
        XCTAssertTrue(ref.isEmpty)
        XCTAssertThrowsError(try ProfileLoader().load(path: try Corpus.path("folded/flamegraph/empty/empty.txt")))
    }

    // References whose options change only colours (`--hash`): the geometry is the default one.
    func testHashColouredReferencesHaveTheDefaultGeometry() throws {
        try compare(reference: "perf-vertx-stacks/perf-vertx-stacks-01-collapsed-all.svg",
                    inputs: ["flamegraph/multiple-inputs/perf-vertx-stacks-01-collapsed-all-unsorted-1.txt",
                             "flamegraph/multiple-inputs/perf-vertx-stacks-01-collapsed-all-unsorted-2.txt"])
        try compare(reference: "perf-vertx-stacks/perf-vertx-stacks-01-collapsed-all.svg",
                    inputs: ["flamegraph/unsorted-input/perf-vertx-stacks-01-collapsed-all-unsorted.txt"])
        try compare(reference: "narrow-blocks/narrow-blocks.svg", inputs: ["flamegraph/narrow-blocks/narrow-blocks.txt"])
        try compare(reference: "grey-frames/grey-frames.svg", inputs: ["flamegraph/grey-frames/grey-frames.txt"])
        try compare(reference: "colors/async-profiler-java.svg", inputs: ["flamegraph/colors/async-profiler-collapsed-part.txt"])
        try compare(reference: "colors/js.svg", inputs: ["flamegraph-test-results/perf-js-stacks-01-collapsed-all.txt"])
    }

    func testInvertedReference() throws {
        // inferno's copy of this input has one more sample than the corpus copy (286 vs 285), so
        // the unsorted copy, which has inferno's 286, stands in for it.
        try compare(reference: "inverted/inverted.svg", inputs: ["flamegraph/unsorted-input/perf-vertx-stacks-01-collapsed-all-unsorted.txt"], inverted: true)
    }

    func testReversedStacks() throws {
        try compare(reference: "perf-vertx-stacks/perf-vertx-stacks-01-collapsed-all-reversed-stacks.svg",
                    inputs: ["flamegraph/unsorted-input/perf-vertx-stacks-01-collapsed-all-unsorted.txt"], reverse: true)
    }

    /// flamegraph.pl's flame chart (inferno's flamechart reference, made with flame_chart on).
    func testFlameChart() throws {
        try compare(reference: "flamechart/flame.svg", inputs: ["flamegraph/flamechart/flames.txt"], chart: true)
    }
}
