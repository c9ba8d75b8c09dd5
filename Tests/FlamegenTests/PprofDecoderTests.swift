import FlameImport
import FlameModel
import XCTest

final class PprofDecoderTests: XCTestCase {
    func names(_ profile: Profile, _ sample: Int) -> [String] {
        profile.stack(sample).map { profile.frames[$0].name }
    }

    func testPackedAndUnpackedEncodingsDecodeAlike() throws {
        for packed in [true, false] {
            let p = try PprofDecoder.decode(ProtoBuilder.sampleProfile(packedSamples: packed))
            XCTAssertEqual(p.sampleCount, 3)
            XCTAssertEqual(p.sampleTypes, [SampleType(type: "samples", unit: "count"), SampleType(type: "cpu", unit: "nanoseconds")])
            XCTAssertEqual(p.defaultSampleIndex, 1, "without default_sample_type the last type is the default")
            XCTAssertEqual(p.total(1), 60)
            XCTAssertEqual(p.total(0), 6)
            XCTAssertEqual(names(p, 0), ["main", "work"])
            XCTAssertEqual(p.durationNanos, 2_000_000_000)
            XCTAssertEqual(p.mainBinary, "app")
        }
    }

    func testInlinedLinesExpandLeafFirstIntoRootFirstFrames() throws {
        let p = try PprofDecoder.decode(ProtoBuilder.sampleProfile(packedSamples: true))
        XCTAssertEqual(names(p, 1), ["main", "work", "work", "helper"])
        let frames = p.stack(1).map { p.frames[$0] }
        XCTAssertEqual(frames.map(\.isInlined), [false, false, false, true])
        XCTAssertEqual(frames[3].line, 30)
    }

    func testUnknownFieldsAreSkipped() throws {
        let bytes = ProtoBuilder.sampleProfile(packedSamples: true) { p in
            p.int(99, 7)
            p.string(100, "future")
            p.tag(101, 1); p.bytes += [1, 2, 3, 4, 5, 6, 7, 8]
            p.tag(102, 5); p.bytes += [1, 2, 3, 4]
        }
        XCTAssertEqual(try PprofDecoder.decode(bytes).total(1), 60)
    }

    func testDefaultSampleTypeIsHonoured() throws {
        // string 1 is "samples"
        let p = try PprofDecoder.decode(ProtoBuilder.sampleProfile(packedSamples: true) { $0.int(14, 1) })
        XCTAssertEqual(p.defaultSampleIndex, 0)
        XCTAssertEqual(try p.sampleIndex(named: "cpu"), 1)
        XCTAssertEqual(try p.sampleIndex(named: "0"), 0)
        XCTAssertThrowsError(try p.sampleIndex(named: "alloc_space"))
        XCTAssertThrowsError(try p.sampleIndex(named: "7"))
    }

    func testConcatenatedProfilesAreRejected() {
        let one = ProtoBuilder.sampleProfile(packedSamples: true)
        XCTAssertThrowsError(try PprofDecoder.decode(one + one)) { error in
            XCTAssertEqual(error as? ImportError, .invalidProfile("concatenated profiles detected"))
        }
    }

    func testNonEmptyFirstStringIsRejected() {
        var p = ProtoBuilder()
        p.string(6, "oops")
        XCTAssertThrowsError(try PprofDecoder.decode(p.bytes)) { error in
            XCTAssertEqual(error as? ImportError, .invalidProfile("string_table[0] must be ''"))
        }
    }

    func testOutOfRangeStringIndexIsRejected() {
        let bytes = ProtoBuilder.sampleProfile(packedSamples: true) { $0.int(14, 500) }
        XCTAssertThrowsError(try PprofDecoder.decode(bytes)) { error in
            guard case .malformedProto(let why)? = error as? ImportError else { return XCTFail("\(error)") }
            XCTAssertTrue(why.contains("string index 500"), why)
        }
    }

    func testMissingLocationAndValueCountMismatchAreRejected() {
        var p = ProtoBuilder()
        p.message(1) { $0.int(1, 1); $0.int(2, 1) }
        p.message(2) { $0.int(1, 42); $0.int(2, 1) }
        p.string(6, ""); p.string(6, "x")
        XCTAssertThrowsError(try PprofDecoder.decode(p.bytes))
        var q = ProtoBuilder()
        q.message(1) { $0.int(1, 1); $0.int(2, 1) }
        q.message(2) { $0.int(2, 1); $0.int(2, 2) }
        q.string(6, ""); q.string(6, "x")
        XCTAssertThrowsError(try PprofDecoder.decode(q.bytes))
    }

    func testTruncatedAndHostileBytesFailCleanly() throws {
        let bytes = ProtoBuilder.sampleProfile(packedSamples: true)
        for cut in stride(from: 1, to: bytes.count, by: 7) {
            _ = try? PprofDecoder.decode(Array(bytes.prefix(cut)))
        }
        // A length far beyond the buffer, a 100-byte varint, group wire types.
        XCTAssertThrowsError(try PprofDecoder.decode([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f]))
        XCTAssertThrowsError(try PprofDecoder.decode([0x08] + Array(repeating: 0xff, count: 100)))
        XCTAssertThrowsError(try PprofDecoder.decode([0x0b, 0x0c]))
        XCTAssertThrowsError(try PprofDecoder.decode([]))
    }

    func testDropFramesCutsMatchedFrameAndItsCallees() throws {
        // drop_frames = "work" (string 6): samples through work end at main.
        let p = try PprofDecoder.decode(ProtoBuilder.sampleProfile(packedSamples: true) { $0.int(7, 6) })
        XCTAssertEqual(names(p, 0), ["main"])
        XCTAssertEqual(names(p, 1), ["main"])
        XCTAssertEqual(p.total(1), 60, "dropping frames keeps every sample's value")
        // keep_frames overrides: keep "work" too.
        let kept = try PprofDecoder.decode(ProtoBuilder.sampleProfile(packedSamples: true) { $0.int(7, 6); $0.int(8, 6) })
        XCTAssertEqual(names(kept, 0), ["main", "work"])
    }
}
