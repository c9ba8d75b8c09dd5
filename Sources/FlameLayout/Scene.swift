/// An 8-bit sRGB colour.
public struct Color: Equatable, Hashable, Sendable {
    public var r: UInt8, g: UInt8, b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// `rgb(r,g,b)`, the form SVG and CSS read.
    public var css: String { "rgb(\(r),\(g),\(b))" }

    /// Parses `#rrggbb`; nil for anything else.
    public init?(hex: String) {
        guard hex.count == 7, hex.hasPrefix("#"), let v = UInt32(hex.dropFirst(), radix: 16) else { return nil }
        self.init(UInt8(v >> 16), UInt8((v >> 8) & 0xff), UInt8(v & 0xff))
    }

    public static let black = Color(0, 0, 0)
    public static let white = Color(255, 255, 255)
}

/// A picture in pixel space, independent of the output format: layouts produce it, the SVG
/// writer and the rasterizer draw it.
public struct Scene: Sendable {
    public var width: Double
    public var height: Double
    /// Vertical background gradient (top colour, bottom colour); the same colour twice is a plain fill.
    public var background: (top: Color, bottom: Color) = (Color(238, 238, 238), Color(238, 238, 176))
    /// Fixed decorations: title, subtitle, labels.
    public var decorations: [Text] = []
    /// The boxes of a flame graph, in drawing order.
    public var frames: [FrameBox] = []
    /// Boxes, curves and their labels of a call graph, each with a tooltip.
    public var figures: [Figure] = []
    /// Facts the interactive viewer needs (orientation, total, unit…), as name/value pairs.
    public var metadata: [(String, String)] = []
    /// Frames wide enough to draw that were left out to keep the picture bounded.
    public var omittedFrames = 0

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }
}

/// A run of text, already laid out: `content` fits its box (truncated with `..` by the layout).
public struct Text: Sendable {
    public enum Anchor: String, Sendable { case start, middle, end }
    public var x: Double
    public var y: Double
    public var content: String
    public var fontSize: Double
    public var anchor: Anchor = .start
    public var color: Color = .black
    /// An id for the interactive viewer (e.g. `title`, `details`), or nil.
    public var id: String?
    /// Proportional (call graphs) rather than monospace (flame graphs).
    public var proportional = false

    public init(x: Double, y: Double, content: String, fontSize: Double, anchor: Anchor = .start, color: Color = .black,
                id: String? = nil, proportional: Bool = false) {
        self.x = x
        self.y = y
        self.content = content
        self.fontSize = fontSize
        self.anchor = anchor
        self.color = color
        self.id = id
        self.proportional = proportional
    }
}

/// One frame of a flame graph: its rectangle, fill, label and tooltip.
public struct FrameBox: Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public var fill: Color
    /// Label as drawn (may be truncated, may be empty when the box is too narrow).
    public var label: String
    /// Full name of the frame.
    public var name: String
    /// Frames with the same `nameID` have the same `name`, so a writer can encode each distinct
    /// name once (recursion and common frames repeat names thousands of times).
    public var nameID: Int32
    /// The tooltip's text after the name, inside its parentheses: value and percentage.
    public var detail: String
    /// Position in value units, for zooming: start offset, width and depth.
    public var start: Int64
    public var value: Int64
    public var depth: Int

    /// Tooltip: full name, value and percentage.
    public var tooltip: String { "\(name) (\(detail))" }

    public init(x: Double, y: Double, width: Double, height: Double, fill: Color, label: String,
                name: String, nameID: Int32, detail: String, start: Int64, value: Int64, depth: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.fill = fill
        self.label = label
        self.name = name
        self.nameID = nameID
        self.detail = detail
        self.start = start
        self.value = value
        self.depth = depth
    }
}

/// A point in pixel space.
public struct Point: Equatable, Sendable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// A filled and/or stroked outline.
public struct Shape: Sendable {
    public enum Geometry: Sendable {
        case rect(x: Double, y: Double, width: Double, height: Double)
        /// A cubic Bézier spline: the start point, then (control, control, end) triples.
        case bezier([Point])
        case polygon([Point])
    }

    public var geometry: Geometry
    public var fill: Color?
    public var stroke: Color?
    public var strokeWidth: Double = 1
    /// Drawn dotted (residual edges).
    public var dotted = false

    public init(_ geometry: Geometry, fill: Color? = nil, stroke: Color? = nil, strokeWidth: Double = 1, dotted: Bool = false) {
        self.geometry = geometry
        self.fill = fill
        self.stroke = stroke
        self.strokeWidth = strokeWidth
        self.dotted = dotted
    }
}

/// One node or edge of a call graph: its shapes and labels, with a tooltip.
public struct Figure: Sendable {
    public var id: String
    public var tooltip: String
    public var shapes: [Shape]
    public var texts: [Text]

    public init(id: String, tooltip: String, shapes: [Shape], texts: [Text]) {
        self.id = id
        self.tooltip = tooltip
        self.shapes = shapes
        self.texts = texts
    }
}
