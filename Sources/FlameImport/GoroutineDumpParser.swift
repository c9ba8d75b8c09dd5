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
    /// Where the goroutine's state goes in its stack.
    public enum StatePlacement: String, CaseIterable, Sendable { case root, leaf, none }

    public var state: StatePlacement = .root
    public var includeCreatedBy = false

    public init(state: StatePlacement = .root, includeCreatedBy: Bool = false) {
        self.state = state
        self.includeCreatedBy = includeCreatedBy
    }

    /// True when `text` starts like a goroutine dump of either kind.
    public static func looksLikeDump(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        let first = head.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return first.hasPrefix("goroutine profile: total ") || isDebug2Header(first)
    }

    static func isDebug2Header(_ line: String) -> Bool {
        guard line.hasPrefix("goroutine "), line.hasSuffix("]:") else { return false }
        let rest = line.dropFirst("goroutine ".count)
        guard let space = rest.firstIndex(of: " ") else { return false }
        return !rest[..<space].isEmpty && rest[..<space].allSatisfy(\.isNumber) && rest[space...].hasPrefix(" [")
    }

    public func parse(_ bytes: [UInt8]) throws(ImportError) -> Profile {
        let text = String(decoding: bytes, as: UTF8.self)
        // Split on bytes: splitting a String by Character is several times slower.
        let lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { bytes -> Substring in
            let line = Substring(bytes)
            return line.utf8.last == 0x0D ? Substring(line.utf8.dropLast()) : line
        }
        var profile = Profile(source: .goroutineDump, sampleTypes: [SampleType(type: "goroutine", unit: "count")])
        var buckets: [[Int32]: Int] = [:]
        func add(_ frames: [Frame], count: Int64, waitMinutes: Int64) {
            let stack = frames.map { profile.frames.intern($0) }
            let i: Int
            if let existing = buckets[stack] {
                i = existing
                profile.addToValue(i, 0, count)
            } else {
                i = profile.sampleCount
                buckets[stack] = i
                profile.addSample(stack: stack, values: [count])
            }
            // The longest wait of the group, as a label (`traces` shows it).
            let longest = max(waitMinutes, profile.labels[i]?.first?.number ?? 0)
            if longest > 0 { profile.labels[i] = [SampleLabel(key: "wait_minutes", number: longest)] }
        }
        if lines.first?.hasPrefix("goroutine profile: total ") == true {
            try parseDebug1(lines, add: add)
        } else {
            try parseDebug2(lines, add: add)
        }
        guard profile.sampleCount > 0 else { throw .unreadable("goroutine dump without goroutines") }
        return profile
    }

    /// `debug=1`: `N @ addr…` then `#\taddr\tfunc+0xoff\tfile:line` lines, leaf first.
    private func parseDebug1(_ lines: [Substring], add: ([Frame], Int64, Int64) -> Void) throws(ImportError) {
        var count: Int64?
        var frames: [Frame] = []
        func flush() {
            if let count { add(frames.reversed(), count, 0) }
            count = nil
            frames = []
        }
        for line in lines.dropFirst() {
            if let at = line.range(of: " @ "), let n = Int64(line[..<at.lowerBound]) {
                flush()
                count = n
            } else if let frame = GoSymbolLine.frame(line) {
                frames.append(frame)
            } else if line.trimmingCharacters(in: .whitespaces).isEmpty {
                flush()
            }
        }
        flush()
    }

    /// `debug=2`: blocks separated by blank lines.
    private func parseDebug2(_ lines: [Substring], add: ([Frame], Int64, Int64) -> Void) throws(ImportError) {
        var i = 0
        var sawHeader = false
        while i < lines.count {
            guard lines[i].hasPrefix("goroutine ") else { i += 1; continue }
            let header = String(lines[i])
            i += 1
            guard Self.isDebug2Header(header) else { continue }
            sawHeader = true
            // `goroutine 7 [chan receive, 5 minutes, locked to thread]:`
            let inside = header[header.index(after: header.firstIndex(of: "[")!)..<header.index(header.endIndex, offsetBy: -2)]
            let parts = inside.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let stateName = parts.first ?? "unknown"
            // `5 minutes` (Go prints waits of a minute or more).
            let wait = parts.dropFirst().compactMap { p in p.hasSuffix(" minutes") ? Int64(p.dropLast(8)) : nil }.first ?? 0
            var frames: [Frame] = []
            var createdBy: Frame?
            while i < lines.count, !lines[i].isEmpty {
                let line = lines[i]
                i += 1
                if line.hasPrefix("created by ") {
                    var name = String(line.dropFirst("created by ".count))
                    if let r = name.range(of: " in goroutine ") { name = String(name[..<r.lowerBound]) }
                    var position: (String, Int64) = ("", 0)
                    if i < lines.count, lines[i].hasPrefix("\t") { position = Self.position(lines[i].dropFirst()); i += 1 }
                    createdBy = Frame(name: "created by " + name, file: position.0, line: position.1)
                } else if line.hasPrefix("\t") || line.hasPrefix("...") {
                    continue // a position line without a function, or "additional frames elided"
                } else {
                    var position: (String, Int64) = ("", 0)
                    if i < lines.count, lines[i].hasPrefix("\t") { position = Self.position(lines[i].dropFirst()); i += 1 }
                    frames.append(Frame(name: Self.functionName(line), file: position.0, line: position.1))
                }
            }
            var stack: [Frame] = frames.reversed()
            if includeCreatedBy, let createdBy { stack.insert(createdBy, at: 0) }
            let stateFrame = Frame(name: "[\(stateName)]")
            switch state {
            case .root: stack.insert(stateFrame, at: 0)
            case .leaf: stack.append(stateFrame)
            case .none: break
            }
            add(stack, 1, wait)
        }
        if !sawHeader { throw .unreadable("no `goroutine N [state]:` blocks found") }
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
