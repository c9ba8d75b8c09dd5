import FlameImport
import FlameModel
import FlameRender
import Foundation
import XCTest

/// The Swift side of the viewer's data contract: version, tree shape, and values that add up to
/// the profile's totals for every sample type; nothing in it can end its `<script>` element.
final class ViewerDocumentTests: XCTestCase {
    func decode(_ profile: Profile, base: Profile? = nil) throws -> [String: Any] {
        let bytes = try ViewerDocument(profile: profile, base: base).encode()
        XCTAssertFalse(bytes.contains(UInt8(ascii: "<")), "no raw < in the document")
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    func testEveryFixtureAddsUp() throws {
        for name in ["cpu.pb.gz", "heap_late.pb.gz", "block.pb.gz", "goroutine_debug2.txt", "goroutine_debug1.txt"] {
            let profile = try ProfileLoader().load(path: Fixture.path(name))
            let doc = try decode(profile)
            XCTAssertEqual(doc["format"] as? String, "flamegen-viewer")
            XCTAssertEqual(doc["version"] as? Int, ViewerDocument.version)
            let parent = try XCTUnwrap(doc["parent"] as? [Int]), function = try XCTUnwrap(doc["func"] as? [Int])
            XCTAssertEqual(parent.count, function.count)
            XCTAssertEqual(parent.first, -1)
            for i in 1..<parent.count { XCTAssertLessThan(parent[i], i, "\(name): a parent comes before its children") }
            let samples = try XCTUnwrap(doc["samples"] as? [String: Any])
            let values = try XCTUnwrap(samples["values"] as? [[Int64]])
            XCTAssertEqual(values.count, profile.sampleTypes.count)
            for (t, column) in values.enumerated() {
                XCTAssertEqual(column.reduce(0, +), profile.total(t), "\(name): total of sample type \(t)")
            }
            // Each sample's leaf node spells its stack (by function name).
            let names = try XCTUnwrap(doc["funcs"] as? [String]), nodes = try XCTUnwrap(samples["node"] as? [Int])
            for i in stride(from: 0, to: profile.sampleCount, by: max(1, profile.sampleCount / 50)) {
                var stack: [String] = []
                var n = nodes[i]
                while n > 0 { stack.append(names[function[n]]); n = parent[n] }
                XCTAssertEqual(stack.reversed(), profile.stack(i).map { let f = profile.frames[$0].name; return f.isEmpty ? "<unknown>" : f })
            }
        }
    }

    func testHostileNamesAreEscaped() throws {
        var profile = Profile(source: .folded, sampleTypes: [SampleType(type: "samples", unit: "count")])
        let evil = profile.frames.intern(Frame(name: "</script><!-- \u{2028}&\"\\"))
        profile.addSample(stack: [evil], values: [3])
        let bytes = try ViewerDocument(profile: profile, base: nil).encode()
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertFalse(text.contains("</script"))
        XCTAssertFalse(text.contains("\u{2028}"))
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        XCTAssertEqual(doc["funcs"] as? [String], ["</script><!-- \u{2028}&\"\\"])
    }
}
