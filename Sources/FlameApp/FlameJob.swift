import FlameTrace
import FlameImport
import FlameLayout
import FlameModel
import FlameRender

/// Everything one flame-graph (or icicle) rendering needs, as the CLI parsed it.
public struct FlameJob: Sendable {
    public var inputs: [String]
    public var output: String
    /// `--base`: profiles to compare against (differential flame graph).
    public var base: [String] = []
    public var tree = TreeOptions()
    public var flame = FlameOptions()
    /// `--title`; nil derives one from the profile.
    public var title: String?
    /// Colour by Go package; nil means "yes for pprof input".
    public var colorByPackage: Bool?
    public var interactive = true
    public var maxInputBytes = 4 << 30
    /// PNG output: pixels per SVG unit, and a font file to use instead of DejaVu.
    public var scale = 1.0
    public var fontPath: String?
    /// How goroutine dumps become stacks.
    public var goroutines = GoroutineDumpParser()
    /// How `perf script` and DTrace inputs are collapsed.
    public var collapse = CollapseOptions()
    /// Which profile a Go execution trace gives (nil: its CPU samples, else `sync`).
    public var traceProfile: TraceProfileKind?
    /// The window of a trace timeline, in nanoseconds since the trace started.
    public var timelineStart: Int64 = 0
    public var timelineEnd: Int64?

    public init(inputs: [String], output: String) {
        self.inputs = inputs
        self.output = output
    }

    /// Loads, builds, lays out and renders; writes the output atomically.
    public func run() throws(AppError) {
        // A trace is drawn as a timeline unless a profile of it (or a flame chart) is asked for.
        if traceProfile == nil, !tree.flameChart, inputs.count == 1, base.isEmpty, TimelineJob.isTrace(path: inputs[0]) {
            var timeline = TimelineJob(input: inputs[0], output: output)
            timeline.title = title
            timeline.width = flame.width
            timeline.scale = scale
            timeline.fontPath = fontPath
            timeline.maxInputBytes = maxInputBytes
            timeline.start = timelineStart
            timeline.end = timelineEnd
            try timeline.run()
            return
        }
        if Self.format(of: output) == .html {
            try viewJob().run()
            return
        }
        let prepared = try prepare()
        guard Self.format(of: output) != .png else { return try OutputFile.write(png(prepared, to: output), to: output) }
        // The SVG is written as it is made: a big one is never whole in memory.
        let scene = layout(prepared)
        var timer = PhaseTimer()
        defer { timer.mark("svg") }
        let stream = try OutputFile.Stream(path: output)
        var failure: AppError?
        _ = SVGWriter(interactive: interactive).render(scene) { bytes in
            do throws(AppError) { try stream.write(bytes) } catch { failure = error }
            return failure == nil
        }
        if let failure { throw failure }
        try stream.commit()
    }

    /// The finished picture's bytes, for `output`'s format.
    public func render() throws(AppError) -> [UInt8] {
        try render(prepare(), to: output)
    }

    /// The scene of a prepared tree.
    private func layout(_ prepared: Prepared) -> Scene {
        var timer = PhaseTimer()
        defer { timer.mark("layout") }
        return Self.noteOmitted(FlameLayout(options: prepared.options).layout(prepared.tree), prepared)
    }

    /// Says on standard error when frames were left out to bound the picture.
    static func noteOmitted(_ scene: Scene, _ prepared: Prepared) -> Scene {
        if scene.omittedFrames > 0 && prepared.warnOmitted {
            ImportWarnings.emit("\(scene.omittedFrames) of the narrowest frames were left out: a picture holds at most \(prepared.options.maxFrames) frames (raise --minwidth, or narrow it with --focus)")
        }
        return scene
    }

    /// A call tree ready to draw, with the options it is drawn with.
    public struct Prepared: Sendable {
        let tree: CallTree
        var options: FlameOptions
        /// Whether frames left out are worth a warning (not for the viewer's static fallback).
        var warnOmitted = true
    }

    /// Loads the inputs and builds the call tree once; `render(_:to:)` draws it in any format.
    public func prepare() throws(AppError) -> Prepared {
        guard let format = Self.format(of: output), format != .html else {
            throw AppError("\(output): unsupported output format (use .svg, .png, .html, or - for SVG on stdout)")
        }
        var timer = PhaseTimer()
        let profile: Profile, baseProfile: Profile?
        var loader = ProfileLoader(maxDecompressedBytes: maxInputBytes, goroutines: goroutines)
        loader.collapse = collapse
        loader.traceProfile = traceProfile
        loader.keepSampleOrder = self.tree.flameChart
        do {
            profile = try loader.load(paths: inputs)
            baseProfile = base.isEmpty ? nil : try loader.load(paths: base)
        } catch {
            throw AppError(error.description)
        }
        timer.mark("import")
        return try prepare(profile: profile, base: baseProfile)
    }

    /// Builds the call tree of profiles already loaded (`inputs` and `base` name them in errors).
    public func prepare(profile: Profile, base baseProfile: Profile?) throws(AppError) -> Prepared {
        var timer = PhaseTimer()
        do { try profile.checkValueRange(alongside: baseProfile.map { [$0] } ?? []) } catch {
            throw AppError("\((inputs + base).joined(separator: ", ")): \(error.description)")
        }
        let tree: CallTree
        do {
            defer { timer.mark("tree") }
            // Only what can be drawn is built: subtrees narrower than --minwidth are never shown.
            var treeOptions = self.tree
            let flame = self.flame
            treeOptions.minimumDrawnValue = { FlameLayout.minimumDrawnValue(total: $0, options: flame) }
            treeOptions.widthFromBase = flame.negate
            tree = try CallTree.build(from: profile, base: baseProfile, options: treeOptions)
        } catch {
            throw AppError("\(inputs.joined(separator: ", ")): \(error.description)")
        }
        guard tree.total[0] != 0 || tree.baseTotal?[0] ?? 0 != 0 else {
            throw AppError("\(inputs.joined(separator: ", ")): no samples with a non-zero value (after filters)")
        }
        var options = flame
        options.title = title ?? ProfileTitle.make(profile: profile, tree: tree, inverted: options.inverted)
        if options.subtitle == nil, let before = tree.baseTotal?[0] {
            options.subtitle = ProfileTitle.beforeAfter(before: before, after: tree.total[0], tree: tree)
        }
        // Go names (pprof profiles, goroutine dumps) are coloured by package unless asked otherwise.
        options.coloring.byPackage = colorByPackage ?? (profile.source != .folded)
        return Prepared(tree: tree, options: options)
    }

    enum Format { case svg, png, html }

    static func format(of output: String) -> Format? {
        let lower = output.lowercased()
        if output == "-" || lower.hasSuffix(".svg") { return .svg }
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") { return .html }
        return lower.hasSuffix(".png") ? .png : nil
    }

    /// The same inputs in the interactive viewer (`-o x.html`).
    func viewJob() -> ViewJob {
        var inputs = ReportInputs(inputs: self.inputs)
        inputs.base = base
        inputs.maxInputBytes = maxInputBytes
        inputs.goroutines = goroutines
        inputs.collapse = collapse
        inputs.traceProfile = traceProfile
        var job = ViewJob(inputs: inputs, output: output)
        job.sampleIndex = tree.sampleIndex
        job.filter = tree.filter
        job.title = title
        return job
    }

    /// Draws a prepared tree for `output`'s format (SVG with the script unless `interactive`
    /// is off, or PNG).
    public func render(_ prepared: Prepared, to output: String) throws(AppError) -> [UInt8] {
        guard Self.format(of: output) == .png else { return SVGWriter(interactive: interactive).render(layout(prepared)) }
        return try png(prepared, to: output)
    }

    private func png(_ prepared: Prepared, to output: String) throws(AppError) -> [UInt8] {
        do {
            let fonts = try Fonts(override: fontPath)
            // Truncate labels with the metrics of the font the PNG is drawn with.
            let scene = Self.noteOmitted(FlameLayout(options: prepared.options, measurer: fonts.monoMeasurer).layout(prepared.tree), prepared)
            return try PNGWriter(fonts: fonts, scale: scale).render(scene)
        } catch let error as FontError {
            throw AppError(error.message)
        } catch {
            // Too many pixels: the picture is refused, like any input past a limit.
            throw AppError("\(output): \(error)")
        }
    }
}
