import FlameImport
import FlameLayout
import FlameRender
import FlameTrace
import Foundation

/// `flamegen trace.out -o timeline.svg|.png`: a Go execution trace as a timeline picture.
public struct TimelineJob: Sendable {
    public var input: String
    public var output: String
    public var title: String?
    public var width = 1600.0
    /// The window, in nanoseconds since the trace started.
    public var start: Int64 = 0
    public var end: Int64?
    public var scale = 1.0
    public var fontPath: String?
    public var maxInputBytes = 4 << 30

    public init(input: String, output: String) {
        self.input = input
        self.output = output
    }

    /// True when the file at `path` starts like a Go execution trace (standard input is never
    /// peeked at: it can be read only once).
    public static func isTrace(path: String) -> Bool {
        guard path != "-", let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64)) ?? Data()
        return Trace.looksLikeTrace(Array(head)[...])
    }

    static let maxWidth = 16_384.0

    public func run() throws(AppError) {
        var loader = ProfileLoader()
        loader.maxDecompressedBytes = maxInputBytes
        let events: Trace.EventSource
        do { events = try loader.traceEvents(path: input) } catch { throw AppError(error.description) }
        var options = TimelineOptions()
        // Every row keeps a value per pixel column: the width bounds the memory and the picture.
        guard width <= Self.maxWidth else { throw AppError("--width: a timeline is at most \(Int(Self.maxWidth)) pixels wide") }
        options.width = max(400, width)
        options.start = start
        options.end = end
        options.title = title ?? "Go execution trace: \((input as NSString).lastPathComponent)"
        // Each of the timeline, and the goroutine table of the HTML page, reads the events anew.
        let warnings = Trace.Capture()
        let scene: Scene
        do { scene = try TimelineLayout(events: warnings.wrap(events), options: options).layout() } catch { throw AppError("\(input): \(error)") }
        if let cut = warnings.trace?.truncation { ImportWarnings.emit("\(input): \(cut)") }
        let lower = output.lowercased()
        let bytes: [UInt8]
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") {
            // The viewer, with the trace's profile in its views and the timeline in a tab.
            var inputs = ReportInputs(inputs: [input])
            inputs.maxInputBytes = maxInputBytes
            var view = ViewJob(inputs: inputs, output: output)
            view.title = options.title
            view.timelineSVG = String(decoding: SVGWriter(interactive: false).render(scene), as: UTF8.self)
            do { view.goroutineTable = try GoroutineReport(events: events).rows() } catch { throw AppError("\(input): \(error)") }
            bytes = try view.render()
        } else if lower.hasSuffix(".png") {
            do {
                bytes = try PNGWriter(fonts: try Fonts(override: fontPath), scale: scale).render(scene)
            } catch let error as FontError {
                throw AppError(error.message)
            } catch {
                throw AppError("\(output): \(error)")
            }
        } else if output == "-" || lower.hasSuffix(".svg") {
            bytes = SVGWriter().render(scene)
        } else {
            throw AppError("\(output): unsupported output format for a trace timeline (use .svg, .png or .html; --trace-profile for profiles)")
        }
        try OutputFile.write(bytes, to: output)
    }
}
