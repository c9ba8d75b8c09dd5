import CFreeType
import FlameLayout
import Foundation

/// Text through FreeType: anti-aliased glyphs drawn onto a canvas, and advance widths for
/// layout, so what the layout truncates is what fits in the picture.
final class FontRenderer: @unchecked Sendable {
    private var library: FT_Library?
    private var face: FT_Face?
    private var glyphs: [GlyphKey: Glyph] = [:]
    private let lock = NSLock()

    struct GlyphKey: Hashable {
        let scalar: UInt32
        let pixelSize: Int
    }

    struct Glyph {
        let advance: Double
        let left: Int
        let top: Int
        let width: Int
        let rows: Int
        let bitmap: [UInt8]
    }

    /// Loads the font file; nil when FreeType cannot read it.
    init?(path: String) {
        guard FT_Init_FreeType(&library) == 0 else { return nil }
        guard FT_New_Face(library, path, 0, &face) == 0, face != nil else {
            // deinit runs for a failed class initializer too: it releases the library once.
            face = nil
            return nil
        }
    }

    deinit {
        if let face { FT_Done_Face(face) }
        if let library { FT_Done_FreeType(library) }
    }

    /// Pixel sizes are whole numbers (glyph bitmaps are rasterized per size).
    static func pixelSize(_ fontSize: Double) -> Int { max(1, Int(fontSize.rounded())) }

    private func glyph(_ scalar: Unicode.Scalar, _ size: Int) -> Glyph {
        let key = GlyphKey(scalar: scalar.value, pixelSize: size)
        if let g = glyphs[key] { return g }
        var result = Glyph(advance: Double(size) * 0.6, left: 0, top: 0, width: 0, rows: 0, bitmap: [])
        if let face, FT_Set_Pixel_Sizes(face, 0, FT_UInt(size)) == 0 {
            let index = FT_Get_Char_Index(face, FT_ULong(scalar.value))
            if FT_Load_Glyph(face, index, FT_Int32(FT_LOAD_RENDER)) == 0, let slot = face.pointee.glyph {
                let bitmap = slot.pointee.bitmap
                let width = Int(bitmap.width), rows = Int(bitmap.rows), pitch = Int(bitmap.pitch)
                var pixels = [UInt8](repeating: 0, count: width * rows)
                if let buffer = bitmap.buffer, pitch >= width {
                    for y in 0..<rows { for x in 0..<width { pixels[y * width + x] = buffer[y * pitch + x] } }
                }
                result = Glyph(advance: Double(slot.pointee.advance.x) / 64, left: Int(slot.pointee.bitmap_left),
                               top: Int(slot.pointee.bitmap_top), width: width, rows: rows, bitmap: pixels)
            }
        }
        glyphs[key] = result
        return result
    }

    /// Sum of the glyph advances of `text` at `fontSize` pixels.
    func width(of text: String, fontSize: Double) -> Double {
        lock.lock()
        defer { lock.unlock() }
        let size = Self.pixelSize(fontSize)
        return text.unicodeScalars.reduce(0) { $0 + glyph($1, size).advance }
    }

    /// Draws `text` with its baseline at `y`, anchored at `x`.
    func draw(_ text: String, x: Double, y: Double, fontSize: Double, anchor: Text.Anchor, color: Color, on canvas: inout Canvas) {
        lock.lock()
        defer { lock.unlock() }
        let size = Self.pixelSize(fontSize)
        let total = text.unicodeScalars.reduce(0) { $0 + glyph($1, size).advance }
        var penX = x
        switch anchor {
        case .start: break
        case .middle: penX -= total / 2
        case .end: penX -= total
        }
        let baseline = Int(y.rounded())
        for scalar in text.unicodeScalars {
            let g = glyph(scalar, size)
            let originX = Int(penX.rounded()) + g.left, originY = baseline - g.top
            for row in 0..<g.rows {
                for col in 0..<g.width {
                    let v = g.bitmap[row * g.width + col]
                    if v > 0 { canvas.blend(originX + col, originY + row, color, Double(v) / 255) }
                }
            }
            penX += g.advance
        }
    }
}

/// Measures text with FreeType, for layouts that will be rasterized.
public struct FreeTypeMeasurer: TextMeasurer {
    let renderer: FontRenderer

    public func width(of text: String, fontSize: Double) -> Double {
        renderer.width(of: text, fontSize: fontSize)
    }
}

/// The fonts flamegen draws with: DejaVu Sans Mono for flame graphs, DejaVu Sans for call graphs.
public struct Fonts: Sendable {
    let mono: FontRenderer
    let sans: FontRenderer

    static let searchDirectories = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
                                    "/usr/share/fonts/TTF", "/usr/local/share/fonts", "/usr/share/fonts"]

    /// Finds DejaVu Sans (Mono) in the usual places, or uses `override` for both.
    public init(override: String? = nil) throws(FontError) {
        func find(_ file: String) throws(FontError) -> FontRenderer {
            if let override {
                guard let r = FontRenderer(path: override) else { throw FontError(message: "\(override): FreeType cannot read this font") }
                return r
            }
            for dir in Self.searchDirectories {
                let path = dir + "/" + file
                if FileManager.default.fileExists(atPath: path), let r = FontRenderer(path: path) { return r }
            }
            throw FontError(message: "font \(file) not found in \(Self.searchDirectories.joined(separator: ", ")) (apt-get install fonts-dejavu-core, or pass --font FILE)")
        }
        mono = try find("DejaVuSansMono.ttf")
        sans = try find("DejaVuSans.ttf")
    }

    /// The measurer matching the flame graph's font.
    public var monoMeasurer: FreeTypeMeasurer { FreeTypeMeasurer(renderer: mono) }
}

/// A font that cannot be found or read.
public struct FontError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
