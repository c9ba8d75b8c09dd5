import FlameApp
import FlameImport
import FlameLayout
import FlameModel
import FlameRender
import Foundation
import XCTest

/// A big SVG is passed on in blocks as it is written (two threads, blocks in order) and an
/// output file is written as they come: every frame once, in order; a refused block stops the
/// writing; an output never committed leaves nothing behind.
final class SVGStreamTests: XCTestCase {
    /// A flame graph of `leaves` frames side by side under `main`, every one drawn.
    func scene(leaves: Int) throws -> Scene {
        var text = ""
        for i in 0..<leaves { text += "main;handler_\(i) \(1 + i % 7)\n" }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("svgstream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("wide.folded")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let tree = try CallTree.build(from: try ProfileLoader().load(path: url.path), options: TreeOptions())
        var options = FlameOptions()
        options.minWidth = 0
        return FlameLayout(options: options).layout(tree)
    }

    /// The frame names of an SVG's tooltips, in order.
    func titles(_ svg: [UInt8]) -> [String] {
        String(decoding: svg, as: UTF8.self).components(separatedBy: "<title>").dropFirst().map { $0.components(separatedBy: " (")[0] }
    }

    func testBlocksOfABigGraphComeInOrderWithEveryFrameOnce() throws {
        let scene = try scene(leaves: 30_000)
        XCTAssertGreaterThan(scene.frames.count, 30_000)
        var pieces: [[UInt8]] = []
        XCTAssertTrue(SVGWriter().render(scene) { pieces.append(Array($0)); return true })
        XCTAssertGreaterThan(pieces.count, 20, "blocks of frames, not one buffer")
        XCTAssertLessThan(pieces.map(\.count).max()!, 4 << 20, "no piece holds a big part of the picture")
        let joined = pieces.flatMap { $0 }
        XCTAssertEqual(joined, SVGWriter().render(scene))
        XCTAssertEqual(titles(joined), scene.frames.map(\.name))
        XCTAssertTrue(String(decoding: joined, as: UTF8.self).hasSuffix("</svg>\n"))
    }

    func testARefusedBlockStopsTheWriting() throws {
        let scene = try scene(leaves: 30_000)
        var calls = 0
        XCTAssertFalse(SVGWriter().render(scene) { _ in calls += 1; return calls < 3 })
        XCTAssertEqual(calls, 3, "nothing is passed on after a refusal")
    }

    func testAnOutputStreamIsTheTargetOnlyOnceCommitted() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("outstream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("out.svg").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        do {
            let stream = try OutputFile.Stream(path: target)
            try Array("new, never committed".utf8).withUnsafeBytes { try stream.write($0) }
        }
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "old", "an abandoned output clobbers nothing")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["out.svg"], "no temporary file left")
        let stream = try OutputFile.Stream(path: target)
        for part in ["<svg>", "</svg>"] { try Array(part.utf8).withUnsafeBytes { try stream.write($0) } }
        try stream.commit()
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "<svg></svg>")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["out.svg"])
    }
}
