/// pprof's sample and frame filters, decided once per distinct frame and then applied per sample.
///
/// - `focus`: keep only samples with a frame matching (unanchored, like pprof).
/// - `ignore`: drop samples with a frame matching.
/// - `hide`: remove matching frames from stacks; the other frames stay.
/// - `show`: keep only matching frames.
public struct StackFilter: Sendable {
    public var focus: String?
    public var ignore: String?
    public var hide: String?
    public var show: String?

    public init(focus: String? = nil, ignore: String? = nil, hide: String? = nil, show: String? = nil) {
        self.focus = focus
        self.ignore = ignore
        self.hide = hide
        self.show = show
    }

    public var isEmpty: Bool { [focus, ignore, hide, show].allSatisfy { $0?.isEmpty ?? true } }

    /// Per-frame verdicts for a frame table.
    struct Verdicts {
        var focus: [Bool]?
        var ignore: [Bool]?
        var keepFrame: [Bool]?
    }

    func verdicts(for frames: FrameTable) throws(ProfileError) -> Verdicts {
        func matcher(_ pattern: String?, _ flag: String) throws(ProfileError) -> [Bool]? {
            guard let pattern, !pattern.isEmpty else { return nil }
            let regex: Regex<AnyRegexOutput>
            do { regex = try Regex(pattern) } catch {
                throw .badRegex("--\(flag): invalid regular expression \"\(pattern)\"")
            }
            var cache: [String: Bool] = [:]
            return frames.frames.map { frame in
                let key = frame.name + "\u{0}" + frame.file
                if let hit = cache[key] { return hit }
                let hit = frame.name.contains(regex) || (!frame.file.isEmpty && frame.file.contains(regex))
                cache[key] = hit
                return hit
            }
        }
        var v = Verdicts()
        v.focus = try matcher(focus, "focus")
        v.ignore = try matcher(ignore, "ignore")
        let hidden = try matcher(hide, "hide")
        let shown = try matcher(show, "show")
        if hidden != nil || shown != nil {
            v.keepFrame = (0..<frames.count).map { i in
                !(hidden?[i] ?? false) && (shown?[i] ?? true)
            }
        }
        return v
    }
}
