import CPNG
import FlameLayout
import Foundation

/// Rasterizes a Scene (the same one the SVG writer draws) and encodes it with libpng.
public struct PNGWriter: Sendable {
    public let fonts: Fonts
    /// Pixels per scene unit (2 for high-DPI screens).
    public var scale: Double

    public init(fonts: Fonts, scale: Double = 1) {
        self.fonts = fonts
        self.scale = scale
    }

    /// Pictures above this many pixels are refused rather than exhausting memory.
    public static let maxPixels = 64_000_000

    public func render(_ scene: Scene) throws(PNGError) -> [UInt8] {
        let pixels = (scene.width * scale).rounded(.up) * (scene.height * scale).rounded(.up)
        guard pixels <= Double(Self.maxPixels) else {
            throw PNGError(message: "a \(Int(scene.width * scale))×\(Int(scene.height * scale)) PNG is too large; use SVG, a smaller --scale, or --minwidth to drop narrow frames")
        }
        var canvas = draw(scene)
        return try Self.encode(&canvas)
    }

    func draw(_ scene: Scene) -> Canvas {
        let s = scale
        var canvas = Canvas(width: max(1, Int((scene.width * s).rounded(.up))), height: max(1, Int((scene.height * s).rounded(.up))))
        if scene.background.top == scene.background.bottom {
            canvas.fillRect(x: 0, y: 0, width: Double(canvas.width), height: Double(canvas.height), color: scene.background.top)
        } else {
            canvas.fillGradient(top: scene.background.top, bottom: scene.background.bottom)
        }
        // The titles and legends; the controls of the interactive SVG (zoom, search) are left out.
        for text in scene.decorations where text.id == nil || text.id == "title" || text.id == "subtitle" {
            draw(text, on: &canvas)
        }
        for f in scene.frames {
            canvas.fillRect(x: f.x * s, y: f.y * s, width: f.width * s, height: f.height * s, color: f.fill)
            if !f.label.isEmpty {
                fonts.mono.draw(f.label, x: (f.x + 3) * s, y: (f.y + f.height / 2 + 3) * s, fontSize: 12 * s,
                                anchor: .start, color: .black, on: &canvas)
            }
        }
        for figure in scene.figures {
            for shape in figure.shapes { draw(shape, on: &canvas) }
            for text in figure.texts { draw(text, on: &canvas) }
        }
        return canvas
    }

    private func draw(_ text: Text, on canvas: inout Canvas) {
        let font = text.proportional ? fonts.sans : fonts.mono
        font.draw(text.content, x: text.x * scale, y: text.y * scale, fontSize: text.fontSize * scale,
                  anchor: text.anchor, color: text.color, on: &canvas)
    }

    private func draw(_ shape: Shape, on canvas: inout Canvas) {
        let s = scale
        switch shape.geometry {
        case .rect(let x, let y, let w, let h):
            if let fill = shape.fill { canvas.fillRect(x: x * s, y: y * s, width: w * s, height: h * s, color: fill) }
            if let stroke = shape.stroke {
                canvas.strokeRect(x: x * s, y: y * s, width: w * s, height: h * s, color: stroke, lineWidth: shape.strokeWidth * s)
            }
        case .polygon(let points):
            let scaled = points.map { Point($0.x * s, $0.y * s) }
            if let fill = shape.fill { fillPolygons([Stroker.oriented(scaled)], color: fill, on: &canvas) }
            if let stroke = shape.stroke {
                // Each side on its own, with round corners.
                let width = shape.strokeWidth * s
                var pieces: [[Point]] = []
                for (a, b) in zip(scaled, scaled.dropFirst() + [scaled[0]]) { pieces += Stroker.stroke([a, b], width: width) }
                if width >= 1.5 { pieces += scaled.map { Stroker.disc($0, radius: width / 2) } }
                fillPolygons(pieces, color: stroke, on: &canvas)
            }
        case .bezier(let points):
            guard let stroke = shape.stroke else { return }
            let line = Stroker.flatten(points.map { Point($0.x * s, $0.y * s) })
            let width = shape.strokeWidth * s
            let pieces = shape.dotted ? Stroker.dash(line, on: 1 * s, off: 5 * s) : [line]
            fillPolygons(pieces.flatMap { Stroker.stroke($0, width: width) }, color: stroke, on: &canvas)
        }
    }

    private func fillPolygons(_ polygons: [[Point]], color: Color, on canvas: inout Canvas) {
        let all = polygons.flatMap { $0 }
        guard let minX = all.map(\.x).min(), let maxX = all.map(\.x).max(),
              let minY = all.map(\.y).min(), let maxY = all.map(\.y).max(),
              var mask = CoverageMask(bounds: (minX, minY, maxX, maxY), canvasWidth: canvas.width, canvasHeight: canvas.height)
        else { return }
        for p in polygons { mask.add(polygon: p) }
        canvas.blend(mask: mask, color: color)
    }

    /// Encodes RGB pixels as an 8-bit truecolour PNG, without timestamps (deterministic).
    static func encode(_ canvas: inout Canvas) throws(PNGError) -> [UInt8] {
        var buffer: UnsafeMutablePointer<CChar>?
        var size = 0
        guard let file = open_memstream(&buffer, &size) else { throw PNGError(message: "cannot allocate the PNG buffer") }
        let warnings = WarningLog()
        guard let png = png_create_write_struct(PNG_LIBPNG_VER_STRING, Unmanaged.passUnretained(warnings).toOpaque(), nil, { png, message in
            guard let png, let message, let context = png_get_error_ptr(png) else { return }
            Unmanaged<WarningLog>.fromOpaque(context).takeUnretainedValue().messages.append(String(cString: message))
        }), let info = png_create_info_struct(png) else {
            fclose(file)
            free(buffer)
            throw PNGError(message: "libpng could not start")
        }
        var pngPointer: png_structp? = png
        var infoPointer: png_infop? = info
        png_init_io(png, file)
        png_set_IHDR(png, info, png_uint_32(canvas.width), png_uint_32(canvas.height), 8, PNG_COLOR_TYPE_RGB,
                     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT)
        png_write_info(png, info)
        let rowBytes = canvas.width * 3
        canvas.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<canvas.height {
                png_write_row(png, pixels.baseAddress! + y * rowBytes)
            }
        }
        png_write_end(png, info)
        png_destroy_write_struct(&pngPointer, &infoPointer)
        fclose(file)
        defer { free(buffer) }
        guard warnings.messages.isEmpty else { throw PNGError(message: "libpng: " + warnings.messages.joined(separator: "; ")) }
        guard let buffer else { throw PNGError(message: "empty PNG") }
        return buffer.withMemoryRebound(to: UInt8.self, capacity: size) { Array(UnsafeBufferPointer(start: $0, count: size)) }
    }

    /// Collects libpng's warnings (there should be none).
    final class WarningLog {
        var messages: [String] = []
    }
}

/// A failure to encode a PNG.
public struct PNGError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
