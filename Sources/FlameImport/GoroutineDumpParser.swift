import FlameModel

/// Reads Go goroutine dumps: `debug=2` tracebacks (`goroutine 7 [chan receive, 5 minutes]:`
/// blocks of `func(args)` / `\tfile:line +0xoff` lines) and `debug=1` count profiles
/// (`goroutine profile: total N`, `N @ 0x…` records with `#` symbol lines).
///
/// Every goroutine is a sample of value 1; identical stacks are grouped into one sample whose
/// value is the number of goroutines (like panicparse's buckets). For `debug=2`, the wait state
/// becomes a frame (`[chan receive]`) at the root, at the leaf, or nowhere; `created by` can be
/// added as the outermost frame. The longest wait of each group is kept as a `wait_minutes` label.
public struct GoroutineDumpParser: Sendable {
    /// Where the goroutine's state goes: a frame at the root or the leaf, nowhere, or a `wait_state`
    /// label (the viewer groups by it; `tagfocus` filters on it).
    public enum StatePlacement: String, CaseIterable, Sendable { case root, leaf, none, label }

    public var state: StatePlacement = .root
    public var includeCreatedBy = false
    /// Wait-time buckets in minutes, ascending (e.g. 1, 10, 60): the state frame also says how
    /// long the goroutine waited, `[chan receive, ≥10 min]` or `[chan receive, <1 min]`.
    public var waitBuckets: [Int64] = []

    public init(state: StatePlacement = .root, includeCreatedBy: Bool = false, waitBuckets: [Int64] = []) {
        self.state = state
        self.includeCreatedBy = includeCreatedBy
        self.waitBuckets = waitBuckets.sorted()
    }

    /// The state frame's name: the state, with the wait bucket when buckets are set.
    func stateFrameName(state: String, waitMinutes: Int64) -> String {
        guard let first = waitBuckets.first else { return "[\(state)]" }
        guard let bucket = waitBuckets.last(where: { $0 <= waitMinutes }) else { return "[\(state), <\(first) min]" }
        return "[\(state), ≥\(bucket) min]"
    }

    /// True when `bytes` start like a goroutine dump of either kind, or a crash traceback (a
    /// `goroutine N [state]:` header within the first lines). A UTF-8 byte-order mark and CRLF
    /// line ends are accepted.
    public static func looksLikeDump(_ bytes: [UInt8]) -> Bool {
        let lines = splitLines(Array(bytes.prefix(4096)))
        guard let first = lines.first(where: { !$0.isEmpty }) else { return false }
        if first.hasPrefix("goroutine profile: total ") { return true }
        return lines.prefix(20).contains { GoroutineHeader($0) != nil }
    }

    /// Lines without their `\n`/`\r\n`, after any byte-order mark.
    static func splitLines(_ bytes: [UInt8]) -> [Substring] {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        let text = String(decoding: body, as: UTF8.self)
        // Split on bytes: splitting a String by Character is several times slower.
        return text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { bytes -> Substring in
            let line = Substring(bytes)
            return line.utf8.last == 0x0D ? Substring(line.utf8.dropLast()) : line
        }
    }

    /// Frame name of goroutines whose block is not a traceback: counted, never dropped.
    public static let unparsedFrame = "<unparsed goroutine>"

    public func parse(_ bytes: [UInt8]) throws(ImportError) -> Profile {
        let lines = Self.splitLines(bytes)
        var profile = Profile(source: .goroutineDump, sampleTypes: [SampleType(type: "goroutine", unit: "count")])
        profile.periodType = SampleType(type: "goroutine", unit: "count")
        profile.period = 1
        var buckets: [Bucket: Int] = [:]
        func add(_ frames: [Frame], count: Int64, waitMinutes: Int64, labels: [SampleLabel]) throws(ImportError) {
            guard frames.count <= ImportLimits.maxStackDepth else {
                throw .limitExceeded("a goroutine of \(frames.count) frames exceeds the limit of \(ImportLimits.maxStackDepth)")
            }
            for f in frames where f.name.utf8.count > ImportLimits.maxNameBytes {
                throw .limitExceeded("a function name of \(f.name.utf8.count) bytes exceeds the limit of \(ImportLimits.maxNameBytes)")
            }
            let stack = frames.map { profile.frames.intern($0) }
            let key = Bucket(stack: stack, labels: labels)
            let i: Int
            if let existing = buckets[key] {
                i = existing
                guard !profile.value(i, 0).addingReportingOverflow(count).overflow else {
                    throw .unreadable("goroutine counts overflow 64 bits")
                }
                profile.addToValue(i, 0, count)
            } else {
                i = profile.sampleCount
                buckets[key] = i
                profile.addSample(stack: stack, values: [count])
                if !labels.isEmpty { profile.labels[i] = labels }
            }
            // The longest wait of the group, as a label (`traces` shows it).
            let previous = profile.labels[i]?.first { $0.key == "wait_minutes" }?.number ?? 0
            if waitMinutes > previous {
                profile.labels[i] = (profile.labels[i] ?? []).filter { $0.key != "wait_minutes" }
                    + [SampleLabel(key: "wait_minutes", number: waitMinutes, numberUnit: "minutes")]
            }
        }
        if lines.first(where: { !$0.isEmpty })?.hasPrefix("goroutine profile: total ") == true {
            try parseDebug1(lines, add: add)
        } else {
            try parseDebug2(lines, add: add)
        }
        guard profile.sampleCount > 0 else { throw .unreadable("goroutine dump without goroutines") }
        return profile
    }

    private struct Bucket: Hashable {
        let stack: [Int32]
        let labels: [SampleLabel]
    }

    typealias Add = ([Frame], Int64, Int64, [SampleLabel]) throws(ImportError) -> Void

    /// `debug=1`: `N @ addr…`, an optional `# labels: {…}` line, then
    /// `#\taddr\tfunc+0xoff\tfile:line` lines, leaf first.
    private func parseDebug1(_ lines: [Substring], add: Add) throws(ImportError) {
        var count: Int64?
        var frames: [Frame] = []
        var labels: [SampleLabel] = []
        func flush() throws(ImportError) {
            if let count { try add(frames.reversed(), count, 0, labels) }
            count = nil
            frames = []
            labels = []
        }
        for line in lines.dropFirst() {
            if let at = line.range(of: " @ "), let n = Int64(line[..<at.lowerBound]) {
                try flush()
                guard n >= 0 else { throw .unreadable("negative goroutine count in \"\(line.prefix(80))\"") }
                count = n
            } else if line.hasPrefix("# labels: ") {
                labels = GoQuoted.labelMap(line.dropFirst("# labels: ".count)) ?? []
            } else if let frame = GoSymbolLine.frame(line) {
                frames.append(frame)
            } else if line.trimmingCharacters(in: .whitespaces).isEmpty {
                try flush()
            }
        }
        try flush()
    }

    /// `debug=2` and crash tracebacks: one block per goroutine, up to a blank line. Every
    /// header counts once; a block that is not a traceback is counted under
    /// `<unparsed goroutine>` and reported on standard error.
    private func parseDebug2(_ lines: [Substring], add: Add) throws(ImportError) {
        var i = 0
        var headers = 0, unparsed = 0
        while i < lines.count {
            guard lines[i].hasPrefix("goroutine "), let header = GoroutineHeader(lines[i]) else { i += 1; continue }
            i += 1
            headers += 1
            var frames: [Frame] = []
            var createdBy: Frame?
            var malformed = false
            while i < lines.count, !lines[i].isEmpty, GoroutineHeader(lines[i]) == nil {
                let line = lines[i]
                i += 1
                if line.hasPrefix("created by ") {
                    var name = String(line.dropFirst("created by ".count))
                    if let r = name.range(of: " in goroutine ") { name = String(name[..<r.lowerBound]) }
                    var position: (String, Int64) = ("", 0)
                    if i < lines.count, lines[i].hasPrefix("\t") { position = Self.position(lines[i].dropFirst()); i += 1 }
                    createdBy = Frame(name: "created by " + name, file: position.0, line: position.1)
                } else if line.hasPrefix("...") || line.hasPrefix("goroutine running on other thread") || line.hasPrefix("[originating from goroutine") {
                    continue // "additional frames elided", or no stack to show
                } else if line.utf8.last == UInt8(ascii: ")"), i < lines.count, lines[i].hasPrefix("\t") {
                    let position = Self.position(lines[i].dropFirst())
                    i += 1
                    frames.append(Frame(name: Self.functionName(line), file: position.0, line: position.1))
                } else {
                    malformed = true
                }
            }
            var stack: [Frame] = frames.reversed()
            if malformed {
                unparsed += 1
                stack = [Frame(name: Self.unparsedFrame)]
            } else if includeCreatedBy, let createdBy {
                stack.insert(createdBy, at: 0)
            }
            let stateFrame = Frame(name: stateFrameName(state: header.state, waitMinutes: header.waitMinutes))
            switch state {
            case .root: stack.insert(stateFrame, at: 0)
            case .leaf: stack.append(stateFrame)
            case .none, .label: break
            }
            if stack.isEmpty { stack = [Frame(name: "<no stack>")] }
            let labels = state == .label ? header.labels + [SampleLabel(key: "wait_state", string: header.state)] : header.labels
            try add(stack, 1, header.waitMinutes, labels)
        }
        if headers == 0 { throw .unreadable("no `goroutine N [state]:` blocks found") }
        if unparsed > 0 {
            ImportWarnings.emit("\(unparsed) of \(headers) goroutines have blocks that are not tracebacks; counted under \(Self.unparsedFrame)")
        }
    }

    /// `pkg.(*T).method(0x1, {0x2, 0x3})` → `pkg.(*T).method`: the trailing argument list removed.
    static func functionName(_ line: Substring) -> String {
        let bytes = line.utf8
        guard bytes.last == UInt8(ascii: ")") else { return String(line) }
        var depth = 0
        var index = bytes.endIndex
        while index > bytes.startIndex {
            index = bytes.index(before: index)
            switch bytes[index] {
            case UInt8(ascii: ")"): depth += 1
            case UInt8(ascii: "("):
                depth -= 1
                if depth == 0 { return String(line[..<index]) }
            default: break
            }
        }
        return String(line)
    }

    /// `file.go:123 +0x1f` → ("file.go", 123).
    static func position(_ s: Substring) -> (String, Int64) {
        // Byte scanning: this runs for every frame of dumps that can hold millions.
        let bytes = s.utf8
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start = bytes.index(after: start) }
        // Cut ` +0x…` (the PC offset) and anything after it.
        var i = start
        while i < end {
            if bytes[i] == 0x20, bytes.index(after: i) < end, bytes[bytes.index(after: i)] == UInt8(ascii: "+") { end = i; break }
            i = bytes.index(after: i)
        }
        while end > start, bytes[bytes.index(before: end)] == 0x20 || bytes[bytes.index(before: end)] == 0x09 { end = bytes.index(before: end) }
        let text = s[start..<end]
        guard let colon = text.utf8.lastIndex(of: UInt8(ascii: ":")), let n = Int64(text[text.index(after: colon)...]) else {
            return (String(text), 0)
        }
        return (String(text[..<colon]), n)
    }
}
