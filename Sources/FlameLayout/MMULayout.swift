import FlameModel
import FlameTrace
import Foundation

/// The minimum mutator utilization curve as `go tool trace` draws it: window length on a log
/// axis, the worst utilization over windows of that length from 0 to 1.
public struct MMULayout {
    let mmu: MutatorUtilization
    let title: String

    public init(_ mmu: MutatorUtilization, title: String) {
        self.mmu = mmu
        self.title = title
    }

    /// Window lengths from 1µs to the trace's length, ten per decade.
    public var windows: [Int64] {
        let span = max(1, mmu.end - mmu.times[0])
        var out: [Int64] = []
        var w = 1000.0
        while w < Double(span) {
            out.append(Int64(w))
            w *= pow(10, 0.1)
        }
        return out + [span]
    }

    public func layout(width: Double = 900, height: Double = 480) -> Scene {
        var scene = Scene(width: width, height: height)
        scene.background = (Color.white, Color.white)
        let x0 = 70.0, x1 = width - 30, y0 = 60.0, y1 = height - 60
        scene.decorations.append(Text(x: width / 2, y: 24, content: title, fontSize: 17, anchor: .middle, proportional: true))
        scene.decorations.append(Text(x: width / 2, y: 44, content: "minimum mutator utilization: the worst share of \(mmu.procs) P\(mmu.procs == 1 ? "" : "s") left to the program over any window (STW, background mark workers, mark assists)",
                                      fontSize: 11, anchor: .middle, color: Color(80, 80, 80), proportional: true))
        let ws = windows
        let lo = log10(Double(ws.first ?? 1000)), hi = log10(Double(max(ws.last ?? 1001, 1001)))
        func x(_ w: Int64) -> Double { x0 + (log10(Double(w)) - lo) / max(1e-9, hi - lo) * (x1 - x0) }
        func y(_ u: Double) -> Double { y1 - u * (y1 - y0) }
        var axes: [Shape] = [Shape(.rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0), stroke: Color(150, 150, 150))]
        var labels: [Text] = []
        for u in stride(from: 0.0, through: 1.0, by: 0.25) {
            axes.append(Shape(.rect(x: x0, y: y(u), width: x1 - x0, height: 0.5), fill: Color(220, 220, 220)))
            labels.append(Text(x: x0 - 6, y: y(u) + 4, content: String(format: "%.0f%%", u * 100), fontSize: 10, anchor: .end, proportional: true))
        }
        var decade = pow(10, lo.rounded(.up))
        while decade <= pow(10, hi) {
            let px = x(Checked.clamped(decade))
            axes.append(Shape(.rect(x: px, y: y0, width: 0.5, height: y1 - y0), fill: Color(220, 220, 220)))
            labels.append(Text(x: px, y: y1 + 16, content: GoDuration.string(Checked.clamped(decade)), fontSize: 10, anchor: .middle, proportional: true))
            decade *= 10
        }
        labels.append(Text(x: (x0 + x1) / 2, y: y1 + 36, content: "window", fontSize: 11, anchor: .middle, proportional: true))
        scene.figures.append(Figure(id: "axes", tooltip: "utilization by window length", shapes: axes, texts: labels))
        var points: [Point] = []
        for w in ws { points.append(Point(x(w), y(mmu.minimum(window: w).utilization))) }
        if points.count > 1 {
            var spline = [points[0]]
            for p in points.dropFirst() { spline += [spline.last!, p, p] }
            scene.figures.append(Figure(id: "mmu", tooltip: "minimum mutator utilization", shapes: [Shape(.bezier(spline), stroke: Color(49, 130, 189), strokeWidth: 2)], texts: []))
        }
        return scene
    }
}
