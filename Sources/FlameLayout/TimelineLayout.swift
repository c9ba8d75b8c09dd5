import FlameModel
import FlameTrace
import Foundation

/// Options of a trace timeline.
public struct TimelineOptions: Sendable {
    public var width = 1600.0
    /// The window shown, in nanoseconds from the start of the trace (nil: to the end).
    public var start: Int64 = 0
    public var end: Int64?
    public var title: String?

    public init() {}
}

/// Lays out a Go execution trace as a timeline: GC cycles with stop-the-world pauses, heap and
/// heap goal, goroutine counts, one row per P with the goroutines that ran on it, goroutines in
/// syscalls, and user tasks and regions. Slices narrower than a pixel become density bars, so
/// the picture stays the same size however long the trace.
public struct TimelineLayout {
    public var options: TimelineOptions
    let trace: Trace
    let rows: TimelineRows
    let axis: Axis

    static let left = 120.0, right = 16.0, rowGap = 6.0
    static let font = 11.0

    /// Reads the events twice, keeping none: once for the trace's length (so the window's
    /// pixel columns are known), then for the rows.
    public init(events source: Trace.EventSource, options: TimelineOptions = TimelineOptions()) throws(TraceError) {
        self.options = options
        // Only the first pass's times are kept (its tables would double the memory).
        let first = try { () throws(TraceError) -> (start: Int64, end: Int64) in
            let t = try source { _, _ in }
            return (t.startTime, t.endTime)
        }()
        let length = first.end &- first.start
        if options.start > 0 && options.start >= length {
            throw .input("--start \(GoDuration.string(options.start)) is past the end of the trace (\(GoDuration.string(length)) long)")
        }
        let start = first.start &+ max(0, options.start)
        let end = options.end.map { min(first.end, first.start &+ $0) } ?? first.end
        axis = Axis(t0: start, t1: max(end, start &+ 1), x0: Self.left, x1: options.width - Self.right)
        var rows = TimelineRows(axis: axis)
        trace = try source { event, trace in rows.consume(event, trace) }
        guard trace.startTime == first.start, trace.endTime == first.end else {
            throw .input("the trace changed while it was read")
        }
        rows.finish(at: trace.endTime)
        self.rows = rows
    }

    /// Times in the window, and x for a time.
    struct Axis {
        let t0: Int64, t1: Int64, x0: Double, x1: Double
        func x(_ t: Int64) -> Double { x0 + Double(max(t0, min(t1, t)) &- t0) / Double(max(1, t1 &- t0)) * (x1 - x0) }
        var columns: Int { Int((x1 - x0).rounded(.up)) }
        func column(_ t: Int64) -> Int { min(columns - 1, max(0, Int(x(t) - x0))) }
        var nanosPerPixel: Double { Double(max(1, t1 &- t0)) / (x1 - x0) }
    }

    public func layout() -> Scene {
        var scene = Scene(width: options.width, height: 0)
        scene.background = (Color.white, Color.white)
        var y = 0.0
        header(&scene, &y, axis)
        gcRow(&scene, &y, axis)
        heapRow(&scene, &y, axis)
        goroutineRow(&scene, &y, axis)
        procRows(&scene, &y, axis)
        syscallRow(&scene, &y, axis)
        annotationRows(&scene, &y, axis, title: "Tasks", trace.tasks)
        annotationRows(&scene, &y, axis, title: "Regions", trace.regions)
        scene.height = y + 10
        return scene
    }

    // MARK: Rows

    private func header(_ scene: inout Scene, _ y: inout Double, _ axis: Axis) {
        let longest = trace.stopTheWorld.filter { $0.end >= 0 }.map { $0.end &- $0.begin }.max() ?? 0
        scene.decorations.append(Text(x: options.width / 2, y: 24, content: options.title ?? "Go execution trace", fontSize: 17, anchor: .middle, proportional: true))
        var facts = ["\(GoDuration.string(trace.endTime &- trace.startTime)) traced",
                     "\(trace.gcCyclesBegun) GC cycles",
                     "\(trace.stopTheWorld.count) stop-the-world pauses (longest \(GoDuration.string(longest)))",
                     "\(rows.goroutineRoots.count) goroutines"]
        if axis.t0 != trace.startTime || axis.t1 != trace.endTime {
            facts.append("window \(GoDuration.string(axis.t0 &- trace.startTime))–\(GoDuration.string(axis.t1 &- trace.startTime))")
        }
        if let cut = trace.truncation { facts.append("partial: \(cut)") }
        scene.decorations.append(Text(x: options.width / 2, y: 42, content: facts.joined(separator: " · "), fontSize: 12, anchor: .middle, color: Color(80, 80, 80), proportional: true))
        y = 58
        // Ticks at a round step, about every 120 pixels.
        let span = Double(axis.t1 &- axis.t0)
        let raw = span / max(1, (axis.x1 - axis.x0) / 120)
        let magnitude = pow(10, floor(log10(max(raw, 1))))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var shapes: [Shape] = [Shape(.rect(x: axis.x0, y: y + 14, width: axis.x1 - axis.x0, height: 1), fill: Color(120, 120, 120))]
        var texts: [Text] = []
        // Ticks are counted, not added up: past 2^53 ns a step too small to change a Double
        // would never end the loop. A step is at least a pixel's worth, so there are few.
        let firstTick = (Double(axis.t0 &- trace.startTime) / step).rounded(.up)
        let lastTick = (Double(axis.t1 &- trace.startTime) / step).rounded(.down)
        let ticks = max(0, min(lastTick - firstTick + 1, (axis.x1 - axis.x0).rounded(.up)))
        for i in 0..<Int(ticks) {
            let t = Checked.clamped((firstTick + Double(i)) * step)
            let x = axis.x(trace.startTime &+ t)
            shapes.append(Shape(.rect(x: x, y: y + 10, width: 1, height: 5), fill: Color(120, 120, 120)))
            texts.append(Text(x: x, y: y + 8, content: GoDuration.string(t), fontSize: 10, anchor: .middle, color: Color(90, 90, 90), proportional: true))
        }
        scene.figures.append(Figure(id: "axis", tooltip: "time since the trace started", shapes: shapes, texts: texts))
        y += 22
    }

    private func rowLabel(_ scene: inout Scene, _ y: Double, _ height: Double, _ text: String) {
        scene.decorations.append(Text(x: Self.left - 8, y: y + height / 2 + 4, content: text, fontSize: Self.font, anchor: .end, proportional: true))
        scene.figures.append(Figure(id: "row", tooltip: text, shapes: [Shape(.rect(x: Self.left, y: y, width: options.width - Self.left - Self.right, height: height), fill: Color(248, 248, 248))], texts: []))
    }

    private func gcRow(_ scene: inout Scene, _ y: inout Double, _ axis: Axis) {
        let h = 34.0
        rowLabel(&scene, y, h, "GC / STW")
        var drawnTo = -1.0
        for (i, gc) in trace.gcCycles.enumerated() {
            let end = gc.end < 0 ? trace.endTime : gc.end
            guard end >= axis.t0, gc.begin <= axis.t1 else { continue }
            let x = axis.x(gc.begin), w = max(1, axis.x(end) - x)
            // Cycles within a pixel already drawn add nothing to the picture.
            if x + w <= drawnTo + 0.5 { continue }
            drawnTo = x + w
            scene.figures.append(Figure(id: "gc\(i)", tooltip: "GC cycle \(gc.detail): \(GoDuration.string(end &- gc.begin))",
                                        shapes: [Shape(.rect(x: x, y: y + 16, width: w, height: h - 16), fill: Color(253, 205, 140))], texts: []))
        }
        let pauses = trace.stopTheWorld.enumerated().filter { $0.element.end >= axis.t0 && $0.element.begin <= axis.t1 }
        // The five longest pauses are labelled, the longest first, each where it does not cover another.
        var lanes = LabelLanes(count: 2, top: y + 7, spacing: 8, axis: axis)
        var labels: [Int: Text] = [:]
        for (i, stw) in pauses.sorted(by: { ($0.element.end &- $0.element.begin) > ($1.element.end &- $1.element.begin) }).prefix(5) {
            let end = stw.end < 0 ? trace.endTime : stw.end
            labels[i] = lanes.place("STW \(GoDuration.string(end &- stw.begin))", at: axis.x(stw.begin), fontSize: 9, color: Color(180, 0, 0))
        }
        drawnTo = -1.0
        for (i, stw) in pauses {
            let end = stw.end < 0 ? trace.endTime : stw.end
            let x = axis.x(stw.begin), w = max(1.5, axis.x(end) - x)
            let texts = labels[i].map { [$0] } ?? []
            if texts.isEmpty && x + w <= drawnTo + 0.5 { continue }
            drawnTo = max(drawnTo, x + w)
            scene.figures.append(Figure(id: "stw\(i)", tooltip: "\(trace.string(Int32(stw.detail))) stop-the-world: \(GoDuration.string(end &- stw.begin))",
                                        shapes: [Shape(.rect(x: x, y: y + 14, width: w, height: h - 14), fill: Color(215, 25, 28))], texts: texts))
        }
        y += h + Self.rowGap
    }

    private func heapRow(_ scene: inout Scene, _ y: inout Double, _ axis: Axis) {
        let h = 60.0
        rowLabel(&scene, y, h, "Heap")
        let peak = max(rows.heapInUse.peak, rows.heapGoal.peak)
        guard peak > 0 else { y += h + Self.rowGap; return }
        /// A step line through the largest value of each pixel column (spikes stay visible).
        func series(_ values: TimelineRows.Series) -> [Point] {
            var points: [Point] = []
            var current = values.before
            for c in 0..<values.columns.count {
                if let v = values.columns[c] { current = v }
                let py = y + h - Double(current) / Double(peak) * (h - 4)
                points.append(Point(axis.x0 + Double(c), py))
                points.append(Point(axis.x0 + Double(c) + 1, py))
            }
            return points
        }
        let alloc = series(rows.heapInUse)
        scene.figures.append(Figure(id: "heap", tooltip: "heap in use (peak \(Units.label(Int64(clamping: rows.heapInUse.peak), unit: "bytes")))",
                                    shapes: [Shape(.polygon([Point(axis.x0, y + h)] + alloc + [Point(alloc.last?.x ?? axis.x1, y + h)]), fill: Color(158, 202, 225))], texts: []))
        let goal = series(rows.heapGoal)
        if goal.count > 1 {
            var spline = [goal[0]]
            for p in goal.dropFirst() { spline += [spline.last!, p, p] }
            scene.figures.append(Figure(id: "heapgoal", tooltip: "heap goal (peak \(Units.label(Int64(clamping: rows.heapGoal.peak), unit: "bytes")))",
                                        shapes: [Shape(.bezier(spline), stroke: Color(49, 130, 189), strokeWidth: 1.2)], texts: []))
        }
        scene.decorations.append(Text(x: axis.x0 + 4, y: y + 11, content: "peak \(Units.label(Int64(clamping: peak), unit: "bytes")) (area: in use, line: goal)", fontSize: 10, color: Color(60, 60, 60), proportional: true))
        y += h + Self.rowGap
    }

    /// Goroutines running, runnable and waiting, stacked, sampled at the end of each column; and
    /// the longest scheduler waits, marked.
    private func goroutineRow(_ scene: inout Scene, _ y: inout Double, _ axis: Axis) {
        let h = 60.0
        rowLabel(&scene, y, h, "Goroutines")
        var current = rows.countsBefore
        var peak = 1
        var filled: [(Int, Int, Int)] = []
        for c in rows.countColumns {
            if let c { current = c }
            filled.append(current)
            peak = max(peak, current.0 + current.1 + current.2)
        }
        let colors = [Color(90, 174, 97), Color(253, 174, 97), Color(189, 189, 189)]
        let names = ["running (or in syscall)", "runnable", "waiting"]
        for layer in 0..<3 {
            var shapes: [Shape] = []
            var c = 0
            while c < filled.count {
                // Runs of equal height become one rectangle.
                let v = [filled[c].0, filled[c].1, filled[c].2]
                let below = v.prefix(layer).reduce(0, +)
                var run = c + 1
                while run < filled.count && [filled[run].0, filled[run].1, filled[run].2] == v { run += 1 }
                if v[layer] > 0 {
                    let top = y + h - Double(below + v[layer]) / Double(peak) * (h - 2)
                    shapes.append(Shape(.rect(x: axis.x0 + Double(c), y: top, width: Double(run - c), height: Double(v[layer]) / Double(peak) * (h - 2)), fill: colors[layer]))
                }
                c = run
            }
            scene.figures.append(Figure(id: "goroutines-\(layer)", tooltip: "goroutines \(names[layer])", shapes: shapes, texts: []))
        }
        scene.decorations.append(Text(x: axis.x0 + 4, y: y + 11, content: "peak \(peak) (green: running, orange: runnable, grey: waiting)", fontSize: 10, color: Color(60, 60, 60), proportional: true))
        // The longest scheduler waits: runnable, but not running.
        var lanes = LabelLanes(count: 3, top: y + h - 30, spacing: 10, axis: axis)
        for (i, w) in rows.longestWaits.enumerated() {
            let x = axis.x(w.begin), x2 = max(x + 2, axis.x(w.end))
            let label = lanes.place("sched wait \(GoDuration.string(w.end &- w.begin))", at: x, fontSize: 9, color: Color(165, 0, 38))
            scene.figures.append(Figure(id: "schedwait\(i)", tooltip: "goroutine \(w.goroutine) (\(rows.name(of: w.goroutine, trace))) waited \(GoDuration.string(w.end &- w.begin)) to run",
                                        shapes: [Shape(.rect(x: x, y: y + h - 5 - Double(i), width: x2 - x, height: 2), fill: Color(215, 48, 39))],
                                        texts: label.map { [$0] } ?? []))
        }
        y += h + Self.rowGap
    }

    /// One row per P: what ran on it. Slices of a pixel or more are drawn (coloured by the
    /// goroutine's start function; syscalls purple); shorter ones add up into a grey density bar.
    private func procRows(_ scene: inout Scene, _ y: inout Double, _ axis: Axis) {
        let h = 18.0
        for (proc, row) in rows.procs.sorted(by: { $0.key < $1.key }) where row.ran {
            rowLabel(&scene, y, h, "P\(proc)")
            var figures: [Figure] = []
            for s in Self.drawable(row.wide, axis) {
                let x = axis.x(s.begin), w = axis.x(s.end) - x
                let name = rows.name(of: s.goroutine, trace)
                let fill = s.syscall ? Color(123, 50, 148) : Self.color(for: name)
                var texts: [Text] = []
                let label = "G\(s.goroutine) \(name)"
                let fits = Int((w - 4) / 6)
                if fits >= 4 { texts.append(Text(x: x + 2, y: y + 13, content: fits >= label.count ? label : String(label.prefix(fits - 2)) + "..", fontSize: 10, proportional: false)) }
                figures.append(Figure(id: "p\(proc)", tooltip: "G\(s.goroutine) \(name)\(s.syscall ? " (syscall)" : ""): \(GoDuration.string(s.end &- s.begin))",
                                      shapes: [Shape(.rect(x: x, y: y + 1, width: w, height: h - 5), fill: fill)], texts: texts))
            }
            figures += Self.columnRuns(row.assisted, axis: axis, y: y + h - 4, height: 3, fill: Color(197, 27, 125), id: "assist", tooltip: "GC mark assist on P\(proc)")
            var c = 0
            var density: [Shape] = []
            while c < row.busy.count {
                guard row.busy[c] > 0 else { c += 1; continue }
                let level = min(1, row.busy[c])
                let shade = UInt8(200 - level * 120)
                density.append(Shape(.rect(x: axis.x0 + Double(c), y: y + 1, width: 1, height: h - 5), fill: Color(shade, shade, shade)))
                c += 1
            }
            if !density.isEmpty { scene.figures.append(Figure(id: "p\(proc)-density", tooltip: "P\(proc): many short slices", shapes: density, texts: [])) }
            scene.figures += figures
            scene.figures += Self.columnRuns(row.swept, axis: axis, y: y + h - 4, height: 3, fill: Color(140, 81, 10), id: "sweep", tooltip: "GC sweep on P\(proc)")
            y += h
        }
        if !rows.hiddenProcs.isEmpty {
            rowLabel(&scene, y, h, "+\(rows.hiddenProcs.count) Ps")
            let note = "\(rows.hiddenProcs.count) more Ps ran goroutines; only the \(TimelineRows.maxProcRows) lowest-numbered are drawn"
            scene.figures.append(Figure(id: "hidden-procs", tooltip: note, shapes: [], texts: [Text(x: Self.left + 4, y: y + 13, content: note, fontSize: 10, color: Color(90, 90, 90), proportional: true)]))
            y += h
        }
        scene.decorations.append(Text(x: Self.left, y: y + 11, content: "P rows: colour = the goroutine's start function; purple: syscall; magenta underline: GC assist; brown underline: sweep; grey: slices under a pixel", fontSize: 10, color: Color(90, 90, 90), proportional: true))
        y += 16 + Self.rowGap
    }

    private func syscallRow(_ scene: inout Scene, _ y: inout Double, _ axis: Axis) {
        let h = 28.0
        rowLabel(&scene, y, h, "In syscalls")
        var shapes: [Shape] = []
        let peak = rows.syscallPeak
        var current = rows.syscallsBefore
        for (c, v) in rows.syscallColumns.enumerated() {
            if let v { current = v }
            if current > 0 {
                let bh = Double(current) / Double(peak) * (h - 2)
                shapes.append(Shape(.rect(x: axis.x0 + Double(c), y: y + h - bh, width: 1, height: bh), fill: Color(123, 50, 148)))
            }
        }
        scene.figures.append(Figure(id: "syscalls", tooltip: "goroutines in system calls (peak \(peak))", shapes: shapes, texts: []))
        y += h + Self.rowGap
    }

    /// Tasks or regions in lanes, each in the first lane free at its start (at most 8 lanes).
    private func annotationRows(_ scene: inout Scene, _ y: inout Double, _ axis: Axis, title: String, _ items: [Trace.Annotation]) {
        let visible = items.filter { ($0.end < 0 ? trace.endTime : $0.end) >= axis.t0 && $0.begin <= axis.t1 }
        guard !visible.isEmpty else { return }
        let laneHeight = 14.0, maxLanes = 8
        var laneEnds: [Double] = []
        var figures: [Figure] = []
        var hidden = 0
        var short = 0
        for a in visible.sorted(by: { $0.begin < $1.begin }) {
            let end = a.end < 0 ? trace.endTime : a.end
            let x = axis.x(a.begin), w = axis.x(end) - x
            // Shorter than a pixel: counted, not drawn.
            guard w >= 1 else { short += 1; continue }
            guard let lane = laneEnds.firstIndex(where: { $0 <= x }) ?? (laneEnds.count < maxLanes ? laneEnds.count : nil) else { hidden += 1; continue }
            if lane == laneEnds.count { laneEnds.append(0) }
            laneEnds[lane] = x + w + 1
            let name = trace.string(a.name)
            var texts: [Text] = []
            let fits = Int((w - 4) / 6)
            if fits >= 4 { texts.append(Text(x: x + 2, y: y + Double(lane) * laneHeight + 10, content: fits >= name.count ? name : String(name.prefix(fits - 2)) + "..", fontSize: 9)) }
            figures.append(Figure(id: title.lowercased(), tooltip: "\(title == "Tasks" ? "task" : "region") \(name): \(GoDuration.string(end &- a.begin))",
                                  shapes: [Shape(.rect(x: x, y: y + Double(lane) * laneHeight + 1, width: w, height: laneHeight - 2), fill: Self.color(for: name))], texts: texts))
        }
        let h = Double(max(1, laneEnds.count)) * laneHeight
        rowLabel(&scene, y, h, title)
        scene.figures += figures
        if hidden + short > 0 {
            scene.decorations.append(Text(x: Self.left - 8, y: y + h / 2 + 16, content: "+\(hidden + short) not drawn", fontSize: 9, anchor: .end, color: Color(120, 120, 120), proportional: true))
        }
        y += h + Self.rowGap
    }

    /// A P's slices as they are drawn. On a P, slices overlap only where a syscall goes on
    /// after the P moved on; a row with more slices than twice its pixels (a hostile trace) keeps,
    /// in order of start, only those that reach half a pixel past all before them.
    static func drawable(_ slices: [TimelineRows.Slice], _ axis: Axis) -> [TimelineRows.Slice] {
        guard slices.count > 2 * axis.columns else { return slices }
        var kept: [TimelineRows.Slice] = []
        var drawnTo = -Double.infinity
        for s in slices.sorted(by: { ($0.begin, $0.goroutine) < ($1.begin, $1.goroutine) }) where axis.x(s.end) > drawnTo + 0.5 {
            kept.append(s)
            drawnTo = axis.x(s.end)
        }
        return kept
    }

    /// One rectangle per run of marked pixel columns.
    static func columnRuns(_ marked: [Bool], axis: Axis, y: Double, height: Double, fill: Color, id: String, tooltip: String) -> [Figure] {
        var shapes: [Shape] = []
        var c = 0
        while c < marked.count {
            guard marked[c] else { c += 1; continue }
            var end = c
            while end < marked.count && marked[end] { end += 1 }
            shapes.append(Shape(.rect(x: axis.x0 + Double(c), y: y, width: Double(end - c), height: height), fill: fill))
            c = end
        }
        return shapes.isEmpty ? [] : [Figure(id: id, tooltip: tooltip, shapes: shapes, texts: [])]
    }

    /// A pastel colour per name, the same run after run.
    static func color(for name: String) -> Color {
        var h: UInt32 = 2166136261
        for b in name.utf8 { h = (h ^ UInt32(b)) &* 16777619 }
        let hue = Double(h % 360) / 60, s = 0.45, v = 0.92
        let c = v * s, x = c * (1 - abs(hue.truncatingRemainder(dividingBy: 2) - 1)), m = v - c
        let (r, g, b): (Double, Double, Double)
        switch Int(hue) {
        case 0: (r, g, b) = (c, x, 0)
        case 1: (r, g, b) = (x, c, 0)
        case 2: (r, g, b) = (0, c, x)
        case 3: (r, g, b) = (0, x, c)
        case 4: (r, g, b) = (x, 0, c)
        default: (r, g, b) = (c, 0, x)
        }
        return Color(UInt8((r + m) * 255), UInt8((g + m) * 255), UInt8((b + m) * 255))
    }
}

/// Places short labels in a few text lines without letting two overlap; a label that fits
/// nowhere is left out (its shape keeps its tooltip).
struct LabelLanes {
    private var taken: [[(Double, Double)]]
    let top: Double, spacing: Double
    let axis: TimelineLayout.Axis

    init(count: Int, top: Double, spacing: Double, axis: TimelineLayout.Axis) {
        taken = Array(repeating: [], count: count)
        self.top = top
        self.spacing = spacing
        self.axis = axis
    }

    mutating func place(_ text: String, at x: Double, fontSize: Double, color: Color) -> Text? {
        let width = Double(text.count) * fontSize * 0.6
        let left = min(max(x - width / 2, axis.x0), axis.x1 - width)
        for lane in taken.indices where !taken[lane].contains(where: { left < $0.1 + 8 && $0.0 < left + width + 8 }) {
            taken[lane].append((left, left + width))
            return Text(x: left + width / 2, y: top + Double(lane) * spacing, content: text, fontSize: fontSize, anchor: .middle, color: color, proportional: true)
        }
        return nil
    }
}
