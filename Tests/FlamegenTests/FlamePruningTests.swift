@testable import FlameApp
import FlameImport
import FlameLayout
import FlameModel
import FlameRender
import Foundation
import XCTest

/// Flame graphs build only the subtrees wide enough to draw. Whatever that shortcut skips, the
/// picture must be the full tree's, byte for byte: random inputs of several shapes and seeds.
final class FlamePruningTests: XCTestCase {
    /// A deterministic generator (64-bit LCG), so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    func folded(seed: UInt64, stacks: Int, functions: Int, maxDepth: Int, fractional: Bool, twoColumns: Bool = false,
                oneRoot: Bool = false, stem: Int = 0) -> String {
        var g = Generator(state: seed)
        var out = ""
        for _ in 0..<stacks {
            let depth = 1 + g.next(maxDepth)
            // Shared prefixes now and then, so that some subtrees are wide and some are not.
            // One root: a chain where one child dominates, then a fair split deeper down.
            var prefix = oneRoot ? (g.next(10) == 0 ? "main;" : "main;serve;") : g.next(3) == 0 ? "main;serve;" : ""
            if stem > 0 {
                // A long stem every stack shares, a few ending inside it (or right at its end).
                let length = g.next(40) == 0 ? 1 + g.next(stem) : stem
                prefix = "main;" + (0..<length).map { "rt.frame\($0)" }.joined(separator: ";")
                if length < stem || g.next(40) == 0 {
                    out += prefix + " 7\n"
                    continue
                }
                prefix += ";"
            }
            out += prefix + (0..<depth).map { _ in "pkg\(g.next(7)).fn\(g.next(functions))" }.joined(separator: ";")
            if twoColumns {
                // before and after; either may be 0 (a stack that appeared or went away).
                out += " \(g.next(4) == 0 ? 0 : 1 + g.next(300)) \(g.next(4) == 0 ? 0 : 1 + g.next(300))\n"
            } else {
                out += fractional ? " \(g.next(5000)).\(g.next(100))\n" : " \(1 + g.next(300))\n"
            }
        }
        return out
    }

    func svg(_ profile: Profile, options: FlameOptions, reverse: Bool, pruned: Bool) throws -> [UInt8] {
        var tree = TreeOptions(reverse: reverse)
        if pruned { tree.minimumDrawnValue = { FlameLayout.minimumDrawnValue(total: $0, options: options) } }
        tree.widthFromBase = options.negate
        let built = try CallTree.build(from: profile, options: tree)
        XCTAssertEqual(built.isPresorted, pruned)
        return SVGWriter().render(FlameLayout(options: options).layout(built))
    }

    func testPrunedTreesDrawExactlyTheFullTree() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pruning-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var compared = 0
        for seed: UInt64 in [1, 2, 3, 42, 2026] {
            for (functions, maxDepth, fractional) in [(2000, 40, false), (40, 12, false), (300, 25, true)] {
                let url = dir.appendingPathComponent("s\(seed)-\(functions).folded")
                try folded(seed: seed, stacks: 3000, functions: functions, maxDepth: maxDepth, fractional: fractional)
                    .write(to: url, atomically: true, encoding: .utf8)
                let profile = try ProfileLoader().load(path: url.path)
                for (width, minWidth, inverted, reverse) in [(1200.0, 0.1, false, false), (600.0, 2.0, true, false), (1200.0, 0.5, false, true)] {
                    var options = FlameOptions()
                    options.width = width
                    options.minWidth = minWidth
                    options.inverted = inverted
                    let full = try svg(profile, options: options, reverse: reverse, pruned: false)
                    let pruned = try svg(profile, options: options, reverse: reverse, pruned: true)
                    XCTAssertTrue(full == pruned, "seed \(seed), \(functions) functions, width \(width), minwidth \(minWidth), reverse \(reverse)")
                    compared += 1
                }
            }
        }
        XCTAssertEqual(compared, 45)
    }

    /// Profiles whose frames share names (pprof: one function at several lines, here a merge)
    /// group frames by name first: the same picture too.
    func testPrunedTreesOfFramesSharingNamesDrawExactlyTheFullTree() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pruning-shared-\(UUID().uuidString).folded")
        defer { try? FileManager.default.removeItem(at: url) }
        var compared = 0
        for seed: UInt64 in [8, 9] {
            try folded(seed: seed, stacks: 3000, functions: 500, maxDepth: 20, fractional: false).write(to: url, atomically: true, encoding: .utf8)
            let single = try ProfileLoader().load(path: url.path)
            let merged = try Profile.merge([single, single])
            XCTAssertTrue(single.frames.namesAreDistinct)
            XCTAssertFalse(merged.frames.namesAreDistinct)
            for reverse in [false, true] {
                let options = FlameOptions()
                let full = try svg(merged, options: options, reverse: reverse, pruned: false)
                let pruned = try svg(merged, options: options, reverse: reverse, pruned: true)
                XCTAssertTrue(full == pruned, "seed \(seed), reverse \(reverse)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, 4)
    }

    /// The same for differential input (two columns): widths from "after", or from "before"
    /// with --negate; colours and tooltips from both.
    func testPrunedDifferentialTreesDrawExactlyTheFullTree() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pruning-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var compared = 0
        for seed: UInt64 in [5, 6, 77] {
            for (functions, maxDepth) in [(2000, 40), (40, 12)] {
                let url = dir.appendingPathComponent("d\(seed)-\(functions).folded")
                try folded(seed: seed, stacks: 3000, functions: functions, maxDepth: maxDepth, fractional: false, twoColumns: true)
                    .write(to: url, atomically: true, encoding: .utf8)
                let profile = try ProfileLoader().load(path: url.path)
                XCTAssertEqual(profile.baselineSampleIndex, 0)
                for (negate, reverse) in [(false, false), (true, false), (false, true)] {
                    var options = FlameOptions()
                    options.negate = negate
                    let full = try svg(profile, options: options, reverse: reverse, pruned: false)
                    let pruned = try svg(profile, options: options, reverse: reverse, pruned: true)
                    XCTAssertTrue(full == pruned, "seed \(seed), \(functions) functions, negate \(negate), reverse \(reverse)")
                    compared += 1
                }
            }
        }
        XCTAssertEqual(compared, 18)
    }

    /// Big inputs build the tree on two threads from the first node whose children split the
    /// work fairly (the root, or deeper under a dominant chain): still the full tree's picture.
    func testTreesBuiltOnTwoThreadsDrawExactlyTheFullTree() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pruning-big-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var compared = 0
        for (seed, oneRoot, twoColumns) in [(UInt64(11), false, false), (12, true, false), (13, true, true)] {
            let url = dir.appendingPathComponent("b\(seed).folded")
            try folded(seed: seed, stacks: 30000, functions: 3000, maxDepth: 30, fractional: false, twoColumns: twoColumns, oneRoot: oneRoot)
                .write(to: url, atomically: true, encoding: .utf8)
            let profile = try ProfileLoader().load(path: url.path)
            XCTAssertGreaterThan(profile.sampleCount, CallTree.parallelSamples)
            for (negate, reverse) in [(false, false), (twoColumns, false), (false, true)] {
                var options = FlameOptions()
                options.negate = negate
                let full = try svg(profile, options: options, reverse: reverse, pruned: false)
                let pruned = try svg(profile, options: options, reverse: reverse, pruned: true)
                XCTAssertTrue(full == pruned, "seed \(seed), one root \(oneRoot), negate \(negate), reverse \(reverse)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, 9)
    }

    /// Long stems every stack shares are made in one pass (a few stacks end inside them), and
    /// the keys of ranges of 64Ki samples and more are read on two threads: the full tree's
    /// picture still, the other way up too.
    func testLongStemsAndBigRangesDrawExactlyTheFullTree() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pruning-stem-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var compared = 0
        for (seed, stacks) in [(UInt64(21), 3000), (22, 5000), (23, 70000)] {
            let url = dir.appendingPathComponent("stem\(seed).folded")
            try folded(seed: seed, stacks: stacks, functions: 500, maxDepth: 6, fractional: false, stem: 25)
                .write(to: url, atomically: true, encoding: .utf8)
            let profile = try ProfileLoader().load(path: url.path)
            for reverse in stacks > 10000 ? [false] : [false, true] {
                let options = FlameOptions()
                let full = try svg(profile, options: options, reverse: reverse, pruned: false)
                let pruned = try svg(profile, options: options, reverse: reverse, pruned: true)
                XCTAssertTrue(full == pruned, "seed \(seed), reverse \(reverse)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, 5)
    }

    /// End to end: the binary's SVG of the bench's random-unique shape (`bench/gen-shapes.py`,
    /// a twentieth of its size, several seeds) is, byte for byte, the drawing of the full tree,
    /// every node built, with the same flags.
    func testBinaryDrawsTheFullTreeOfRandomUniqueInputs() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            throw XCTSkip("python3 is needed to run bench/gen-shapes.py")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pruning-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var compared = 0
        for seed in [1, 2, 3] {
            let input = dir.appendingPathComponent("random-unique-\(seed).folded").path
            let generator = Process()
            generator.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            generator.arguments = [Corpus.repoRoot.appendingPathComponent("bench/gen-shapes.py").path, "random-unique", input, "0.05", "\(seed)"]
            try generator.run()
            generator.waitUntilExit()
            XCTAssertEqual(generator.terminationStatus, 0)
            let profile = try ProfileLoader().load(path: input)
            XCTAssertEqual(profile.sampleCount, 20000)
            let full = try CallTree.build(from: profile)
            for (minWidth, inverted) in [(0.1, false), (2.0, false), (0.5, true)] {
                let output = dir.appendingPathComponent("out.svg").path
                let drawn = try CLITests.run([inverted ? "icicle" : "flame", input, "-o", output, "--minwidth", "\(minWidth)"])
                XCTAssertEqual(drawn.status, 0, drawn.stderr)
                var job = FlameJob(inputs: [input], output: output)
                job.flame.minWidth = minWidth
                job.flame.inverted = inverted
                // The job's options (title, colours) with the tree it would build swapped for the full one.
                let options = try job.prepare(profile: profile, base: nil).options
                let expected = SVGWriter().render(FlameLayout(options: options).layout(full))
                let actual = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
                XCTAssertTrue(actual == expected, "seed \(seed), minwidth \(minWidth), inverted \(inverted)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, 9)
    }

    /// The shortcut builds far fewer nodes on input that is mostly too narrow to draw.
    func testPruningSkipsWhatCannotBeSeen() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pruning-\(UUID().uuidString).folded")
        try folded(seed: 7, stacks: 20000, functions: 2000, maxDepth: 40, fractional: false).write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let profile = try ProfileLoader().load(path: url.path)
        let full = try CallTree.build(from: profile)
        var options = TreeOptions()
        options.minimumDrawnValue = { FlameLayout.minimumDrawnValue(total: $0, options: FlameOptions()) }
        let pruned = try CallTree.build(from: profile, options: options)
        XCTAssertEqual(full.total[0], pruned.total[0])
        XCTAssertLessThan(pruned.nodeCount * 4, full.nodeCount, "\(pruned.nodeCount) of \(full.nodeCount) nodes")
    }
}
