@testable import FlameImport
import FlameModel
import Foundation
import XCTest

/// The reading of the next piece of input by whichever threads are free, and the counters and
/// barrier the parsing threads share.
final class ReadAheadTests: XCTestCase {
    private func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "flamegen-readahead-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    private func noise(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    /// Four threads claiming at once, with a limit that grows step by step: every number is
    /// handed out once, and none at or over the limit of its step.
    func testTaskCounterHandsOutEveryNumberOnce() {
        let counter = TaskCounter()
        let steps = 50, perStep = 37
        let claimed = UnsafeMutablePointer<Int>.allocate(capacity: steps * perStep)
        claimed.initialize(repeating: 0, count: steps * perStep)
        defer { claimed.deallocate() }
        let barrier = SpinBarrier(parties: 4)
        nonisolated(unsafe) let counts = claimed
        let group = DispatchGroup()
        // Threads of their own: a pool may run fewer at once than the barrier waits for.
        for _ in 0..<4 {
            group.enter()
            Thread {
                for step in 0..<steps {
                    while let task = counter.claim(below: (step + 1) * perStep) {
                        XCTAssertLessThan(task, (step + 1) * perStep)
                        XCTAssertGreaterThanOrEqual(task, step * perStep)
                        counts[task] += 1
                    }
                    barrier.wait()
                }
                group.leave()
            }.start()
        }
        group.wait()
        XCTAssertEqual((0..<steps * perStep).filter { claimed[$0] != 1 }, [])
    }

    /// A piece read by several helpers at once, from an offset inside the file: the bytes of
    /// the file there; a piece that passes the end holds the rest, and says how much.
    func testHelpersReadTheFileAtItsOffset() throws {
        let bytes = noise(3 * ReadAhead.taskSize + 12_345)
        let path = try temporaryFile(bytes)
        let fd = open(path, O_RDONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * ReadAhead.taskSize + 77, alignment: 8)
        defer { buffer.deallocate() }
        for (offset, expected) in [(1000, buffer.count), (bytes.count - 5000, 5000), (bytes.count, 0)] {
            let ahead = ReadAhead(fd: fd, into: buffer, offset: offset)
            XCTAssertEqual(ahead.taskCount, 3)
            DispatchQueue.concurrentPerform(iterations: 3) { _ in _ = ahead.help() }
            guard case .success(let count) = ahead.finish() else { return XCTFail("read failed") }
            XCTAssertEqual(count, expected)
            XCTAssertEqual(Array(buffer[..<count]), Array(bytes[offset..<(offset + count)]))
        }
        // Nobody helps: the background thread and `finish` read it all.
        let ahead = ReadAhead(fd: fd, into: buffer, offset: 0)
        ahead.readInBackground()
        guard case .success(let count) = ahead.finish() else { return XCTFail("read failed") }
        XCTAssertEqual(Array(buffer[..<count]), Array(bytes[..<buffer.count]))
    }

    /// A pipe is read in order by one thread; helpers find nothing to take.
    func testPipeIsReadInOrder() throws {
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        let bytes = noise(300_000)
        let writer = Thread { [ends] in
            bytes.withUnsafeBytes { all in
                var sent = 0
                while sent < all.count {
                    let n = write(ends[1], all.baseAddress! + sent, min(4096, all.count - sent))
                    if n <= 0 { break }
                    sent += n
                }
            }
            close(ends[1])
        }
        writer.start()
        defer { close(ends[0]) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 8)
        defer { buffer.deallocate() }
        let ahead = ReadAhead(fd: ends[0], into: buffer, offset: nil)
        XCTAssertFalse(ahead.help())
        guard case .success(let count) = ahead.finish() else { return XCTFail("read failed") }
        XCTAssertEqual(count, bytes.count)
        XCTAssertEqual(Array(buffer[..<count]), bytes)
    }

    /// A folded file big enough to be parsed on two threads, read while it is parsed: the
    /// profile of one serial pass.
    func testFoldedFileReadWhileParsedGivesTheSerialProfile() throws {
        var text = ""
        var state: UInt64 = 7
        for _ in 0..<150_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let base = Int(state >> 40) % 900, depth = Int(state >> 20) % 20 + 2
            text += (base..<(base + depth)).map { "svc\($0 % 17).op\($0)" }.joined(separator: ";") + " \(state >> 58) \(state >> 59)\n"
        }
        let bytes = Array(text.utf8)
        XCTAssertGreaterThan(bytes.count, 12 << 20)
        let path = try temporaryFile(bytes)
        var serial = FoldedParser()
        bytes.withUnsafeBytes { serial.parse($0) }
        let expected = try CallTree.build(from: serial.profile()).cumulativeByName()
        let loaded = try ProfileLoader().load(path: path)
        XCTAssertEqual(loaded.sampleCount, serial.profile().sampleCount)
        XCTAssertEqual(try CallTree.build(from: loaded).cumulativeByName(), expected)
    }
}
