import FlameLayout
import Foundation

/// Writes a Scene as a self-contained SVG: explicit size and viewBox, every label pre-laid-out,
/// a `<title>` tooltip on every frame, styles inline; the interactive script (from `templates/`)
/// is optional and the picture is complete without it.
public struct SVGWriter: Sendable {
    /// Include the interactive script (flame graphs: zoom, search; call graphs: pan and zoom).
    /// Without it the SVG is static.
    public var interactive = true

    public init(interactive: Bool = true) { self.interactive = interactive }

    public func render(_ scene: Scene) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + Self.estimatedSize(scene.frames[...]))
        _ = render(scene) { bytes.append(contentsOf: $0); return true }
        return bytes
    }

    /// Passes the SVG to `sink` in consecutive pieces of at most a few MiB (a big graph is
    /// never whole in memory), until `sink` returns false; whether every piece was taken.
    public func render(_ scene: Scene, to sink: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        var w = ByteWriter(capacity: 64 << 10)
        w.raw("<?xml version=\"1.0\" standalone=\"no\"?>\n")
        w.raw("<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\"")
        writeSize(scene, to: &w)
        w.raw(" viewBox=\"0 0 ")
        w.number(scene.width)
        w.raw(" ")
        w.number(scene.height)
        w.raw("\">\n<style type=\"text/css\"><![CDATA[\n")
        let isGraph = scene.frames.isEmpty && !scene.figures.isEmpty
        w.raw(isGraph ? EmbeddedTemplates.graph_css : EmbeddedTemplates.flame_css)
        w.raw("]]></style>\n")
        let plain = scene.background.top == scene.background.bottom
        if !plain {
            w.raw("<defs><linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">")
            w.raw("<stop stop-color=\"\(scene.background.top.css)\" offset=\"5%\"/>")
            w.raw("<stop stop-color=\"\(scene.background.bottom.css)\" offset=\"95%\"/></linearGradient></defs>\n")
        }
        w.raw("<rect x=\"0\" y=\"0\"")
        writeSize(scene, to: &w)
        w.raw(plain ? " fill=\"\(scene.background.top.css)\"/>\n" : " fill=\"url(#background)\"/>\n")
        for text in scene.decorations { write(text, to: &w) }
        if !scene.figures.isEmpty {
            w.raw("<g id=\"graph\">\n")
            for figure in scene.figures { write(figure, to: &w) }
            w.raw("</g>\n")
            if interactive && isGraph { script(EmbeddedTemplates.graph_js, to: &w) }
        }
        if !scene.frames.isEmpty {
            w.raw("<g id=\"frames\"")
            for (key, value) in scene.metadata {
                w.raw(" data-")
                w.raw(key)
                w.raw("=\"")
                w.escaped(value)
                w.raw("\"")
            }
            w.raw(">\n")
            guard w.flush(to: sink), writeFrames(scene.frames, to: sink) else { return false }
            w.raw("</g>\n")
            if interactive { script(EmbeddedTemplates.flame_js, to: &w) }
        }
        w.raw("</svg>\n")
        return w.flush(to: sink)
    }

    private func script(_ source: String, to w: inout ByteWriter) {
        w.raw("<script type=\"text/ecmascript\"><![CDATA[\n")
        w.raw(source)
        w.raw("]]></script>\n")
    }

    /// ` width="W" height="H"` of the whole picture.
    private func writeSize(_ scene: Scene, to w: inout ByteWriter) {
        w.raw(" width=\"")
        w.number(scene.width)
        w.raw("\" height=\"")
        w.number(scene.height)
        w.raw("\"")
    }

    private func write(_ text: Text, to w: inout ByteWriter) {
        w.raw("<text")
        if let id = text.id {
            w.raw(" id=\"")
            w.raw(id)
            w.raw("\"")
            if ["unzoom", "search", "matched", "details"].contains(id) { w.raw(" class=\"ctl\"") }
        }
        w.raw(" x=\"")
        w.number(text.x)
        w.raw("\" y=\"")
        w.number(text.y)
        w.raw("\"")
        if text.anchor != .start {
            w.raw(" text-anchor=\"")
            w.raw(text.anchor.rawValue)
            w.raw("\"")
        }
        if text.fontSize != 12 {
            w.raw(" font-size=\"")
            w.number(text.fontSize)
            w.raw("\"")
        }
        // Controls and titles take their colours from the stylesheet; other texts (legends) carry theirs.
        if text.id == nil && text.color != .black {
            w.raw(" style=\"fill:")
            w.raw(text.color.css)
            w.raw("\"")
        }
        w.raw(">")
        w.escaped(text.content)
        w.raw(text.proportional ? "</text>" : "</text>\n")
    }

    private func write(_ figure: Figure, to w: inout ByteWriter) {
        w.raw("<g id=\"")
        w.escaped(figure.id)
        w.raw(figure.id.hasPrefix("edge") ? "\" class=\"edge\"><title>" : "\" class=\"node\"><title>")
        w.escaped(figure.tooltip)
        w.raw("</title>")
        for shape in figure.shapes { write(shape, to: &w) }
        for text in figure.texts { write(text, to: &w) }
        w.raw("</g>\n")
    }

    private func write(_ shape: Shape, to w: inout ByteWriter) {
        switch shape.geometry {
        case .rect(let x, let y, let width, let height):
            w.raw("<rect x=\"")
            w.number(x)
            w.raw("\" y=\"")
            w.number(y)
            w.raw("\" width=\"")
            w.number(width)
            w.raw("\" height=\"")
            w.number(height)
            w.raw("\"")
        case .bezier(let points):
            w.raw("<path d=\"M")
            for (i, p) in points.enumerated() {
                if i == 1 { w.raw(" C") }
                w.raw(" ")
                w.number(p.x)
                w.raw(",")
                w.number(p.y)
            }
            w.raw("\"")
        case .polygon(let points):
            w.raw("<polygon points=\"")
            for (i, p) in points.enumerated() {
                if i > 0 { w.raw(" ") }
                w.number(p.x)
                w.raw(",")
                w.number(p.y)
            }
            w.raw("\"")
        }
        w.raw(" fill=\"")
        w.raw(shape.fill?.css ?? "none")
        w.raw("\"")
        if let stroke = shape.stroke {
            w.raw(" stroke=\"")
            w.raw(stroke.css)
            w.raw("\"")
            if shape.strokeWidth != 1 {
                w.raw(" stroke-width=\"")
                w.number(shape.strokeWidth)
                w.raw("\"")
            }
            if shape.dotted { w.raw(" stroke-dasharray=\"1,5\"") }
        }
        w.raw("/>")
    }

    /// Passes the frames' markup to `sink` in blocks of `blockFrames` frames. Big graphs are
    /// written by two threads: this one writes the even blocks and passes every block on in
    /// order; the other writes the odd ones, into two buffers it takes turns with (it waits
    /// for one to be passed on before it reuses it). A few buffers of a MiB or so are then
    /// all the output's memory, reused block after block instead of tens of fresh MiB.
    private func writeFrames(_ frames: [FrameBox], to sink: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        let blockFrames = 1024
        let blocks = (frames.count + blockFrames - 1) / blockFrames
        @Sendable func block(_ b: Int) -> ArraySlice<FrameBox> { frames[(b * blockFrames)..<min(frames.count, (b + 1) * blockFrames)] }
        var own = ByteWriter(capacity: 0)
        var names = EscapedNames()
        guard blocks > 1, frames.count >= 20_000, ProcessInfo.processInfo.activeProcessorCount > 1 else {
            for b in 0..<blocks {
                write(block(b), names: &names, to: &own)
                guard own.flush(to: sink) else { return false }
            }
            return true
        }
        let others = UnsafeMutablePointer<ByteWriter>.allocate(capacity: 2)
        others.initialize(repeating: ByteWriter(capacity: 0), count: 2)
        defer { others.deinitialize(count: 2); others.deallocate() }
        let written = DispatchSemaphore(value: 0)   // an odd block is ready
        let passedOn = DispatchSemaphore(value: 2)  // one of the two buffers is free again
        let group = DispatchGroup()
        nonisolated(unsafe) let shared = others
        DispatchQueue.global().async(group: group) {
            var names = EscapedNames()
            for b in stride(from: 1, to: blocks, by: 2) {
                passedOn.wait()
                write(block(b), names: &names, to: &shared[(b / 2) % 2])
                written.signal()
            }
        }
        var taken = true
        for b in stride(from: 0, to: blocks, by: 2) {
            if taken {
                write(block(b), names: &names, to: &own)
                taken = own.flush(to: sink)
            }
            guard b + 1 < blocks else { break }
            written.wait()
            if taken { taken = others[(b / 2) % 2].flush(to: sink) }
            passedOn.signal()
        }
        group.wait()
        return taken
    }

    /// The markup of `frames`, in place of what `w` held.
    private func write(_ frames: ArraySlice<FrameBox>, names: inout EscapedNames, to w: inout ByteWriter) {
        w.removeAll()
        w.reserve(Self.estimatedSize(frames))
        for f in frames { write(f, names: &names, to: &w) }
    }

    /// Bytes the frames will take, a little more than less, so their buffer is allocated once.
    static func estimatedSize(_ frames: ArraySlice<FrameBox>) -> Int {
        frames.reduce(0) { $0 + 200 + $1.name.utf8.count * 5 / 4 + $1.label.utf8.count * 5 / 4 + $1.detail.utf8.count }
    }

    /// A frame's markup without its name, detail and label: 16 fixed pieces and 12 numbers.
    private static let frameMarkupBound = 160 + 12 * TextCursor.numberBound

    private func write(_ f: FrameBox, names: inout EscapedNames, to w: inout ByteWriter) {
        let name = names.range(of: f)
        let limit = Self.frameMarkupBound + name.count + TextCursor.escapedBound(f.detail.utf8.count + f.label.utf8.count)
        names.withBytes(name) { nameBytes in
            w.write(atMost: limit) { c in
                c.raw("<g data-s=\"")
                c.integer(f.start)
                c.raw("\" data-v=\"")
                c.integer(f.value)
                c.raw("\" data-d=\"")
                c.integer(Int64(f.depth))
                c.raw("\"><title>")
                c.bytes(nameBytes)
                c.raw(" (")
                c.escaped(f.detail)
                c.raw(")</title><rect x=\"")
                c.number(f.x)
                c.raw("\" y=\"")
                c.number(f.y)
                c.raw("\" width=\"")
                c.number(f.width)
                c.raw("\" height=\"")
                c.number(f.height)
                c.raw("\" fill=\"rgb(")
                c.integer(Int64(f.fill.r))
                c.byte(0x2C)
                c.integer(Int64(f.fill.g))
                c.byte(0x2C)
                c.integer(Int64(f.fill.b))
                c.raw(")\"/><text x=\"")
                c.number(f.x + 3)
                c.raw("\" y=\"")
                c.number(f.y + f.height / 2 + 3)
                c.raw("\">")
                c.escaped(f.label)
                c.raw("</text></g>\n")
            }
        }
    }
}

/// Frame names escaped for XML, each distinct name (by `nameID`) once.
private struct EscapedNames {
    private var escaped = ByteWriter(capacity: 0)
    private var ranges: [Int32: Range<Int>] = [:]

    /// Where `f`'s escaped name is, escaping it if it is new.
    mutating func range(of f: FrameBox) -> Range<Int> {
        if let range = ranges[f.nameID] { return range }
        let start = escaped.count
        escaped.escaped(f.name)
        let range = start..<escaped.count
        ranges[f.nameID] = range
        return range
    }

    func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        escaped.bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }
}

/// The templates other modules fill in (the viewer page).
public enum EmbeddedTemplatesAccess {
    /// `templates/viewer.html`, `viewer.js` and `viewer.css`: the one-file interactive viewer.
    public static var viewerHTML: String { EmbeddedTemplates.viewer_html }
    public static var viewerJS: String { EmbeddedTemplates.viewer_js }
    public static var viewerCSS: String { EmbeddedTemplates.viewer_css }
}
