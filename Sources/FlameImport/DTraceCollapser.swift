import FlameModel

/// Collapses DTrace `stack()`/`ustack()` aggregations into folded stacks, with the rules of
/// inferno's collapse-dtrace and stackcollapse.pl: the header up to the first blank line is
/// skipped; frames (`module`func+0xoff`, leaf first) are followed by a count line; offsets are
/// removed unless `includeOffset` (which keeps them on every frame but the leaf).
public struct DTraceCollapser {
    public let options: CollapseOptions
    public private(set) var result = CollapsedStacks()
    private var inHeader = true
    private var stack: [String] = []

    public init(options: CollapseOptions = CollapseOptions()) { self.options = options }

    /// True when, after the header's first blank line, frame lines (with a backtick, or a hex
    /// address) are followed by a count, or fill the whole head (a first stack deeper than it).
    public static func looksLikeDTrace(_ head: [UInt8]) -> Bool {
        var afterBlank = false, frames = 0
        for raw in head.prefix(1 << 18).split(separator: 0x0A, omittingEmptySubsequences: false).prefix(2000) {
            let line = String(decoding: raw, as: UTF8.self).trimmingWhitespace()
            if line.isEmpty { afterBlank = true; continue }
            guard afterBlank else { continue }
            if UInt64(line) != nil { return frames > 0 }
            if line.contains("`") || (line.hasPrefix("0x") && UInt64(line.dropFirst(2), radix: 16) != nil) { frames += 1 } else { return false }
        }
        return frames >= 1000
    }

    public mutating func line(_ raw: ArraySlice<UInt8>) throws(ImportError) {
        let line = String(decoding: raw, as: UTF8.self).trimmingWhitespace()
        if inHeader {
            if line.isEmpty { inHeader = false }
            return
        }
        if line.isEmpty { return }
        if let count = UInt64(line) {
            guard let value = Int64(exactly: count) else { throw .unreadable("count \(line) is larger than 2^63-1") }
            try endStack(value)
        } else {
            stackLine(Substring(line))
        }
    }

    public mutating func finish() throws(ImportError) {
        if !stack.isEmpty { result.truncated = true }
    }

    /// Whether the frame has inlines (`->`), looks like C++ (`::`) or has `;`, and the frame
    /// without its last `+offset`.
    static func removeOffset(_ line: Substring) -> (inlines: Bool, cpp: Bool, semicolon: Bool, frame: Substring) {
        var inlines = false, cpp = false, semicolon = false
        var previous: Character?
        var cut = line.endIndex
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if c == ">" && previous == "-" { inlines = true }
            if c == ":" && previous == ":" { cpp = true }
            if c == ";" { semicolon = true }
            if c == "+" { cut = i }
            previous = c
            i = line.index(after: i)
        }
        return (inlines, cpp, semicolon, line[..<cut])
    }

    /// C++ frames lose their argument or template list: `A::f(int)[mangled]` → `A::f`.
    static func uncpp(_ probe: Substring) -> Substring {
        guard let scope = probe.range(of: "::") else { return probe }
        let after = probe[scope.upperBound...]
        guard let open = after.lastIndex(where: { $0 == "(" || $0 == "<" }) else { return probe }
        return probe[..<open]
    }

    private func fixRust(_ frame: Substring) -> Substring {
        guard let tick = frame.firstIndex(of: "`") else { return frame }
        let module = frame[..<tick], function = frame[frame.index(after: tick)...]
        if options.includeOffset, let plus = function.lastIndex(of: "+") {
            let name = function[..<plus].droppingTrailingWhitespace(), offset = function[function.index(after: plus)...]
            let fixed = SymbolCleanup.fixPartiallyDemangledRust(name)
            return fixed == name ? frame : Substring("\(module)`\(fixed)+\(offset)")
        }
        let name = function.droppingTrailingWhitespace()
        let fixed = SymbolCleanup.fixPartiallyDemangledRust(name)
        return fixed == name ? frame : Substring("\(module)`\(fixed)")
    }

    private mutating func stackLine(_ line: Substring) {
        var (inlines, cpp, semicolon, frame) = options.includeOffset ? (true, true, true, line) : Self.removeOffset(line)
        if cpp { frame = Self.uncpp(frame) }
        let fixed: Substring = frame.isEmpty ? "-" : fixRust(frame)
        if inlines {
            var functions: [String] = []
            for part in fixed.components(separatedBy: "->") {
                var f = String(part.drop { $0 == "L" })
                if semicolon { f = f.replacingOccurrences(of: ";", with: ":") }
                if !functions.isEmpty { f += "_[i]" }
                functions.append(f)
            }
            stack.append(contentsOf: functions.reversed())
        } else {
            stack.append(semicolon ? fixed.replacingOccurrences(of: ";", with: ":") : String(fixed))
        }
    }

    private mutating func endStack(_ count: Int64) throws(ImportError) {
        guard !stack.isEmpty else { return } // a count with no frames: nothing to attribute it to
        // Frames come leaf first (`stack` holds them as read, each line's inlined functions
        // reversed): appended, then reversed once, never inserted at the front.
        var frames = Array(stack.reversed())
        if options.includeOffset, let leaf = frames.last { frames[frames.count - 1] = String(Self.removeOffset(Substring(leaf)).frame) }
        try result.add(frames.joined(separator: ";"), count)
        stack.removeAll(keepingCapacity: true)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs, CR and other whitespace.
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    func droppingTrailingWhitespace() -> Substring {
        var s = Substring(self)
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}
