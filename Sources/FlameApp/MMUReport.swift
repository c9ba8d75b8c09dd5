import FlameLayout
import FlameRender
import FlameTrace
import Foundation

/// `flamegen mmu`: the minimum mutator utilization of a trace, as a table of window lengths
/// with the worst windows, and as a picture.
public struct MMUReport: Sendable {
    public let mmu: MutatorUtilization
    public static let listedWindows: [Int64] = [1_000_000, 10_000_000, 100_000_000]

    public init(trace: Trace) { mmu = MutatorUtilization(trace) }

    /// The utilization of events as they are parsed (none kept), by `rules`.
    public init(events: Trace.EventSource, rules: MutatorUtilization.Rules = .corrected) throws(TraceError) {
        mmu = try MutatorUtilization(events: events, rules: rules)
    }

    public func text() -> String {
        var out = "window        MMU\n"
        for w in MMULayout(mmu, title: "").windows.enumerated().filter({ $0.offset % 5 == 0 || $0.offset == MMULayout(mmu, title: "").windows.count - 1 }).map(\.element) {
            out += GoDuration.string(w).padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: "%6.2f%%\n", mmu.minimum(window: w).utilization * 100)
        }
        for w in Self.listedWindows where mmu.times[0] + w <= mmu.end {
            out += "\nworst \(GoDuration.string(w)) windows:\n"
            for (u, start) in mmu.worstWindows(window: w, count: 5) {
                out += "  at \(GoDuration.string(start - mmu.times[0])): \(String(format: "%.2f%%", u * 100)) left to the program\n"
            }
        }
        return out
    }

    public func picture(for output: String, title: String, fontPath: String?) throws(AppError) -> [UInt8] {
        let scene = MMULayout(mmu, title: title).layout()
        if output.lowercased().hasSuffix(".png") {
            do { return try PNGWriter(fonts: try Fonts(override: fontPath), scale: 1).render(scene) } catch let error as FontError {
                throw AppError(error.message)
            } catch {
                throw AppError("\(output): \(error)")
            }
        }
        guard output == "-" || output.lowercased().hasSuffix(".svg") else { throw AppError("\(output): unsupported output format (use .svg or .png)") }
        return SVGWriter().render(scene)
    }
}
