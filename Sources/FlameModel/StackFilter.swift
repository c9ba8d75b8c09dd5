/// pprof's sample, frame and label filters, decided once per distinct frame and then applied
/// per sample. Regexes are unanchored and match a frame's function name, its source file or
/// its binary (mapping) file, as pprof's do.
///
/// - `focus`: keep only samples with a frame matching.
/// - `ignore`: drop samples with a frame matching.
/// - `hide`: remove matching frames from stacks; the other frames stay.
/// - `show`: keep only matching frames.
/// - `tagFocus`/`tagIgnore`: keep/drop samples by label (see `TagFilter`).
/// - `tagShow`/`tagHide`: keep/remove label keys matching a regex.
/// - `tagRoot`/`tagLeaf`: comma-separated label keys whose values become pseudo-frames at the
///   root or the leaf of every stack (pprof's `-tagroot`, `-tagleaf`).
public struct StackFilter: Sendable {
    public var focus: String?
    public var ignore: String?
    public var hide: String?
    public var show: String?
    public var tagFocus: String?
    public var tagIgnore: String?
    public var tagShow: String?
    public var tagHide: String?
    public var tagRoot: String?
    public var tagLeaf: String?

    public init(focus: String? = nil, ignore: String? = nil, hide: String? = nil, show: String? = nil) {
        self.focus = focus
        self.ignore = ignore
        self.hide = hide
        self.show = show
    }

    public var isEmpty: Bool {
        [focus, ignore, hide, show, tagFocus, tagIgnore, tagShow, tagHide, tagRoot, tagLeaf].allSatisfy { $0?.isEmpty ?? true }
    }

    /// Per-frame verdicts for a frame table.
    struct Verdicts {
        var focus: [Bool]?
        var ignore: [Bool]?
        var keepFrame: [Bool]?
    }

    func verdicts(for frames: FrameTable) throws(ProfileError) -> Verdicts {
        func matcher(_ pattern: String?, _ flag: String) throws(ProfileError) -> [Bool]? {
            guard let pattern, !pattern.isEmpty else { return nil }
            let regex: NameRegex
            do { regex = try NameRegex(pattern) } catch { throw .badRegex("--\(flag): \(error)") }
            var cache: [String: Bool] = [:]
            var mappingCache: [String: Bool] = [:]
            return frames.frames.map { frame in
                if !frame.mappingFile.isEmpty {
                    if let hit = mappingCache[frame.mappingFile] {
                        if hit { return true }
                    } else {
                        let hit = regex.matches(frame.mappingFile)
                        mappingCache[frame.mappingFile] = hit
                        if hit { return true }
                    }
                }
                let key = frame.name + "\u{0}" + frame.file
                if let hit = cache[key] { return hit }
                let hit = regex.matches(frame.name) || (!frame.file.isEmpty && regex.matches(frame.file))
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

    /// The label-key regexes of `tagShow`/`tagHide`, nil when neither is set.
    func labelKeyTest() throws(ProfileError) -> ((String) -> Bool)? {
        func compile(_ p: String?, _ flag: String) throws(ProfileError) -> NameRegex? {
            guard let p, !p.isEmpty else { return nil }
            do { return try NameRegex(p) } catch { throw .badRegex("--\(flag): \(error)") }
        }
        let show = try compile(tagShow, "tagshow"), hide = try compile(tagHide, "taghide")
        if show == nil && hide == nil { return nil }
        return { key in (show?.matches(key) ?? true) && !(hide?.matches(key) ?? false) }
    }

    /// The keys of `tagRoot`/`tagLeaf`.
    static func keys(_ list: String?) -> [String] {
        (list ?? "").split(separator: ",").map(String.init)
    }
}
