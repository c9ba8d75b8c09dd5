@testable import FlameImport
import FlameModel
import XCTest

final class FoldedParserTests: XCTestCase {
    func parse(_ text: String) -> (Profile, FoldedParser) {
        var parser = FoldedParser()
        Array(text.utf8).withUnsafeBytes { parser.parse($0) }
        return (parser.profile(), parser)
    }

    func stacks(_ p: Profile) -> [String] {
        (0..<p.sampleCount).map { s in p.stack(s).map { p.frames[$0].name }.joined(separator: ";") }
    }

    func testStacksCountsAndBadLines() {
        let (p, parser) = parse("a;b;c 5\na;b 2\r\n\nno count here\n   \na;d\t7\n;x 1\n# comment 3\ny; 2\n")
        XCTAssertEqual(stacks(p), ["a;b;c", "a;b", "a;d", ";x", "y;"])
        XCTAssertEqual((0..<p.sampleCount).map { p.value($0, 0) }, [5, 2, 7, 1, 2])
        XCTAssertEqual(p.stack(4).count, 2, "a trailing `;` adds an empty frame, as inferno does")
        XCTAssertEqual(parser.skippedLines, 1)
        XCTAssertEqual(p.valueDivisor, 1)
    }

    /// Names of every length (empty, under 8 bytes, across the 8-byte scan, past 32), sorted so
    /// that new stacks share first frames with the one before, and a frame that only looks
    /// like the one before (a prefix of it): each stack holds exactly the names `split` finds,
    /// with the counts of its lines summed.
    func testFramesOfEveryLengthAndSharedFirstFrames() {
        var rng = FlamePruningTests.Generator(state: 20261125)
        let names = (0..<60).map { k in String(repeating: "abcdefghij", count: 8).prefix(rng.next(70)) + (k % 3 == 0 ? "" : "\(k)") }
        var lines: [String] = []
        for _ in 0..<3000 {
            lines.append((0..<(1 + rng.next(9))).map { _ in String(names[rng.next(names.count)]) }.joined(separator: ";"))
        }
        lines.sort()
        var expected: [String: Int64] = [:]
        var text = ""
        for (i, line) in lines.enumerated() {
            text += "\(line) \(i % 7 + 1)\n"
            expected[line.split(separator: ";", omittingEmptySubsequences: false).joined(separator: ";"), default: 0] += Int64(i % 7 + 1)
        }
        let (profile, _) = parse(text)
        var got: [String: Int64] = [:]
        for (s, stack) in stacks(profile).enumerated() {
            XCTAssertNil(got[stack], "a stack in two samples")
            got[stack] = profile.values[s]
        }
        XCTAssertEqual(got, expected)
        XCTAssertEqual(profile.frames.count, Set(names).count)
    }

    /// New stacks whose callers mostly call what they called before (a new stack's next frame
    /// is guessed from its caller's last callee), with callees that change, names that are a
    /// prefix or an extension of the guess, and over 4096 names (callers whose guesses share a
    /// slot): every stack holds exactly its own names, parsed on one thread or in partitions
    /// (whose names are numbered anew when the input is split after its first MiB).
    func testGuessedCalleesNeverReplaceTheRealOnes() {
        var rng = FlamePruningTests.Generator(state: 20261126)
        let names = (0..<6000).map { "fn\($0)" }
        var expected: [String: Int64] = [:]
        var text = ""
        for i in 0..<70000 {
            let first = rng.next(5990)
            var frames = Array(names[first..<(first + 1 + rng.next(10))])
            if rng.next(4) == 0 {
                let k = rng.next(frames.count)
                frames[k] = [String(frames[k].dropLast()), frames[k] + "0", names[rng.next(names.count)]][rng.next(3)]
            }
            let line = frames.joined(separator: ";")
            text += "\(line) \(i % 5 + 1)\n"
            expected[line, default: 0] += Int64(i % 5 + 1)
        }
        var split = FoldedParser()
        Array(text.utf8).withUnsafeBytes { split.feed($0, parts: 2) }
        split.finish()
        XCTAssertEqual(split.partitionCount, 2)
        for profile in [parse(text).0, split.profile()] {
            var got: [String: Int64] = [:]
            for (s, stack) in stacks(profile).enumerated() { got[stack, default: 0] += profile.values[s] }
            XCTAssertEqual(got, expected)
        }
    }

    func testFractionalCountsBecomeFixedPoint() {
        let (p, _) = parse("a 1\na;b 2.5\na;c 0.125\n")
        XCTAssertEqual(p.valueDivisor, 1000)
        XCTAssertEqual((0..<p.sampleCount).map { p.value($0, 0) }, [1000, 2500, 125])
    }

    func testTwoColumnInputIsDifferential() {
        let (p, _) = parse("a;b 3 5\na;c 4 1\n")
        XCTAssertEqual(p.baselineSampleIndex, 0)
        XCTAssertEqual(p.total(0), 7)
        XCTAssertEqual(p.total(1), 6)
        XCTAssertEqual(p.defaultSampleIndex, 1)
    }

    func testFrameNamesKeepSpacesAnnotationsAndInvalidUTF8() {
        var bytes = Array("java;Interpreter_[j];sys_read_[k];func with space 9\n".utf8)
        bytes += [0x66, 0xff, 0x3b, 0x62, 0x20, 0x31, 0x0a] // "f\xff;b 1"
        var parser = FoldedParser()
        bytes.withUnsafeBytes { parser.parse($0) }
        let p = parser.profile()
        XCTAssertEqual(stacks(p), ["java;Interpreter_[j];sys_read_[k];func with space", "f\u{FFFD};b"])
    }

    func testHugeStackParsesWithoutRecursion() {
        let line = Array(repeating: "f", count: 100_000).joined(separator: ";") + " 1\n"
        let (p, _) = parse(line)
        XCTAssertEqual(p.stack(0).count, 100_000)
        let tree = try! CallTree.build(from: p)
        XCTAssertEqual(tree.nodeCount, 100_001)
        XCTAssertEqual(tree.cumulativeByName()["f"], 1, "recursion counts once")
    }

    func testLimitsGiveClearErrors() {
        var parser = FoldedParser()
        let deep = Array(repeating: "f", count: ImportLimits.maxStackDepth + 1).joined(separator: ";") + " 1\n"
        Array(deep.utf8).withUnsafeBytes { parser.parse($0) }
        XCTAssertEqual(parser.limitError, .limitExceeded("a stack deeper than \(ImportLimits.maxStackDepth) frames"))
        var long = FoldedParser()
        let name = String(repeating: "x", count: ImportLimits.maxNameBytes + 1) + " 1\n"
        Array(name.utf8).withUnsafeBytes { long.parse($0) }
        XCTAssertEqual(long.limitError, .limitExceeded("a frame name of \(ImportLimits.maxNameBytes + 1) bytes exceeds the limit of \(ImportLimits.maxNameBytes)"))
    }

    func testParallelParsingGivesTheSameProfile() throws {
        let text = try String(contentsOfFile: try Corpus.path("folded/flamegraph-test-results/perf-vertx-stacks-01-collapsed-all.txt"), encoding: .utf8)
        let big = String(repeating: text + "\n", count: 2000) + "x;y 0.5\n"
        let bytes = Array(big.utf8)
        var serial = FoldedParser(), parallel = FoldedParser()
        bytes.withUnsafeBytes { serial.parse($0) }
        bytes.withUnsafeBytes { parallel.feed($0, parts: 4) }
        parallel.finish()
        XCTAssertEqual(parallel.partitionCount, 4)
        let a = serial.profile(), b = parallel.profile()
        XCTAssertEqual(a.sampleCount, b.sampleCount)
        XCTAssertEqual(a.valueDivisor, 10)
        XCTAssertEqual(b.valueDivisor, 10)
        XCTAssertEqual(try CallTree.build(from: a).cumulativeByName(), try CallTree.build(from: b).cumulativeByName())
    }

    /// Stacks split between two threads by hash, fed in pieces cut inside lines: the profile,
    /// the counts and the line of the first skipped line are those of one serial pass, and
    /// `profile()` holds every complete line even before `finish`.
    func testChunksFedOnTwoThreadsGiveTheSerialProfile() throws {
        var text = ""
        for i in 0..<120_000 {
            text += "main;serve;handler_\(i % 5000);leaf_\(i % 777) \(i % 9 + 1)\n"
            if i == 90_000 { text += "a line without a count\n" }
        }
        text += "tail;x 3\n"
        let bytes = Array(text.utf8)
        var serial = FoldedParser()
        bytes.withUnsafeBytes { serial.parse($0) }
        // Unsized, and sized for the input once 1 MiB is read.
        for sized in [false, true] {
            var fed = FoldedParser()
            if sized { fed.expectedBytes = bytes.count }
            // Cuts inside lines, the first piece over the size that starts the threads.
            let cuts = [0, bytes.count / 3 + 7, 2 * bytes.count / 3 + 11, bytes.count]
            bytes.withUnsafeBytes { all in
                for k in 0..<3 { fed.feed(UnsafeRawBufferPointer(rebasing: all[cuts[k]..<cuts[k + 1]]), parts: 2) }
            }
            XCTAssertGreaterThan(cuts[1], 1 << 20)
            XCTAssertEqual(fed.partitionCount, 2)
            let early = fed.profile()
            fed.finish()
            let a = serial.profile(), b = fed.profile()
            XCTAssertEqual(a.sampleCount, b.sampleCount)
            XCTAssertEqual(early.sampleCount, b.sampleCount)
            XCTAssertEqual(fed.stackLines, serial.stackLines)
            XCTAssertEqual(fed.deepStackLines, serial.deepStackLines)
            XCTAssertEqual(fed.skippedLines, 1)
            XCTAssertEqual(fed.firstSkipped?.line, serial.firstSkipped?.line)
            XCTAssertEqual(fed.firstSkipped?.line, 90_002)
            XCTAssertEqual(try CallTree.build(from: a).cumulativeByName(), try CallTree.build(from: b).cumulativeByName())
            XCTAssertEqual(try CallTree.build(from: early).cumulativeByName(), try CallTree.build(from: b).cumulativeByName())
        }
    }

    /// Each line is taken apart once, for the partition that keeps it, yet a file that turns
    /// differential or fractional part way gets the serial result: one-column lines before the
    /// first two-column line count as unchanged, those after it as new; earlier counts are
    /// rescaled in every partition, at the line that needed it.
    func testPartitionsFollowLaterDifferentialAndFractionalLines() throws {
        var text = ""
        for i in 0..<100_000 {
            let stack = "main;work_\(i % 300);leaf_\(i % 41)"
            switch i {
            case ..<35_000: text += "\(stack) \(i % 7 + 1)\n"
            case ..<70_000: text += "\(stack) \(i % 5) \(i % 7 + 1)\n"
            default: text += i % 3 == 0 ? "\(stack) \(i % 7).25\n" : "\(stack) \(i % 4) \(i % 6)\n"
            }
        }
        let bytes = Array(text.utf8)
        XCTAssertGreaterThan(bytes.count, 2 << 20)
        var serial = FoldedParser(), parallel = FoldedParser()
        bytes.withUnsafeBytes { serial.parse($0) }
        bytes.withUnsafeBytes { parallel.feed($0, parts: 2) }
        parallel.finish()
        XCTAssertEqual(parallel.partitionCount, 2)
        let a = serial.profile(), b = parallel.profile()
        XCTAssertEqual(a.sampleCount, b.sampleCount)
        XCTAssertEqual(a.valueDivisor, 100)
        XCTAssertEqual(b.valueDivisor, 100)
        XCTAssertEqual(b.baselineSampleIndex, 0)
        XCTAssertEqual(stackValues(a), stackValues(b))
        XCTAssertEqual(stackValues(a).count, 12_300) // lcm(300, 41) distinct stacks
    }

    /// Each stack (names joined by `;`) with its values, one per sample type.
    private func stackValues(_ profile: Profile) -> [String: [Int64]] {
        let types = profile.sampleTypes.count
        var byStack: [String: [Int64]] = [:]
        for s in 0..<profile.sampleCount {
            let key = profile.stackFrames[profile.stackStart[s]..<profile.stackStart[s + 1]].map { profile.frames[$0].name }.joined(separator: ";")
            XCTAssertNil(byStack[key], "a stack in two samples")
            byStack[key] = Array(profile.values[(s * types)..<((s + 1) * types)])
        }
        return byStack
    }

    /// A new name on most lines (wide, flat profiles): putting the partitions' names together
    /// would cost what the threads save, so such input stays on one thread, the other taking
    /// lines apart ahead of it (blocks cut at line ends, a repeated stack and a skipped line
    /// among them): the serial result.
    func testInputWithANewNamePerLineIsParsedOnOneThread() {
        var text = ""
        for i in 0..<90_000 {
            text += "main;dispatch;handler_\(i) \(i % 9 + 1)\n"
            if i % 1000 == 0 { text += "main;dispatch;again 2\n" }
            if i == 70_000 { text += "no count here\n" }
        }
        let bytes = Array(text.utf8)
        XCTAssertGreaterThan(bytes.count, 2 << 20)
        var parser = FoldedParser(), serial = FoldedParser()
        bytes.withUnsafeBytes { parser.feed($0, parts: 2) }
        parser.finish()
        bytes.withUnsafeBytes { serial.parse($0) }
        XCTAssertEqual(parser.partitionCount, 1)
        XCTAssertEqual(parser.sampleCount, 90_001)
        XCTAssertEqual(parser.firstSkipped?.line, serial.firstSkipped?.line)
        XCTAssertEqual(parser.lineCount, serial.lineCount)
        XCTAssertEqual(stackValues(parser.profile()), stackValues(serial.profile()))
        XCTAssertEqual(stackValues(parser.profile())["main;dispatch;again"], [180])
        // Kept in order (flame charts): every line a sample, in input order, as serially.
        var ordered = FoldedParser(), orderedSerial = FoldedParser()
        ordered.keepOrder = true
        orderedSerial.keepOrder = true
        bytes.withUnsafeBytes { ordered.feed($0, parts: 2) }
        ordered.finish()
        bytes.withUnsafeBytes { orderedSerial.parse($0) }
        let a = ordered.profile(), b = orderedSerial.profile()
        XCTAssertEqual(a.sampleCount, 90_090)
        XCTAssertEqual(a.stackStart, b.stackStart)
        XCTAssertEqual(a.values, b.values)
        XCTAssertEqual(a.stackFrames.map { a.frames[$0].name }, b.stackFrames.map { b.frames[$0].name })
    }

    /// Binary noise with line breaks (names of any bytes, counts here and there, lines of every
    /// kind) through the threads: the totals of one serial pass, and no crash. Fresh noise on
    /// every line stays on one thread; lines made of 300 noisy names are split.
    func testNoiseFedOnTwoThreadsGivesTheSerialTotals() {
        for (fresh, partitions) in [(true, 1), (false, 2)] {
            var rng = FlamePruningTests.Generator(state: 20261124)
            let vocabulary = (0..<300).map { _ in (0..<(1 + rng.next(20))).map { _ in UInt8(rng.next(256)) } }
            var bytes = [UInt8]()
            while bytes.count < 3 << 20 {
                if fresh {
                    for _ in 0..<rng.next(120) { bytes.append(UInt8(rng.next(256))) }
                } else {
                    for k in 0..<(1 + rng.next(12)) { bytes += (k > 0 ? [0x3B] : []) + vocabulary[rng.next(300)] }
                }
                if rng.next(3) != 0 { bytes += Array(" \(rng.next(1000))".utf8) }
                if rng.next(7) == 0 { bytes += Array(" \(rng.next(50)).\(rng.next(100))".utf8) }
                bytes.append(0x0A)
            }
            checkNoise(bytes, partitions: partitions)
        }
    }

    private func checkNoise(_ bytes: [UInt8], partitions: Int) {
        var serial = FoldedParser(), parallel = FoldedParser()
        bytes.withUnsafeBytes { serial.parse($0) }
        bytes.withUnsafeBytes { parallel.feed($0, parts: 2) }
        parallel.finish()
        XCTAssertEqual(parallel.lineCount, serial.lineCount)
        XCTAssertEqual(parallel.skippedLines, serial.skippedLines)
        XCTAssertEqual(parallel.stackLines, serial.stackLines)
        XCTAssertEqual(parallel.sampleCount, serial.sampleCount)
        let a = serial.profile(), b = parallel.profile()
        XCTAssertEqual(a.valueDivisor, b.valueDivisor)
        XCTAssertEqual(a.values.reduce(0, +), b.values.reduce(0, +))
        XCTAssertGreaterThan(a.sampleCount, 10_000)
        XCTAssertEqual(parallel.partitionCount, partitions)
    }

    /// Deep stacks that each bring a new name, but one per 700 bytes or so: the threads save
    /// more than the names cost to put together, so the stacks are split between them.
    func testDeepInputWithFewNamesPerByteIsSplit() {
        let frames = (0..<40).map { "pkg\($0 % 7).Service.handleRequestNumber\($0)" }.joined(separator: ";")
        var text = ""
        for i in 0..<6000 { text += "\(frames);leaf_\(i) \(i % 5 + 1)\n" }
        let bytes = Array(text.utf8)
        XCTAssertGreaterThan(bytes.count, 2 << 20)
        var parser = FoldedParser()
        bytes.withUnsafeBytes { parser.feed($0, parts: 2) }
        parser.finish()
        XCTAssertEqual(parser.partitionCount, 2)
        XCTAssertEqual(parser.sampleCount, 6000)
    }
}
