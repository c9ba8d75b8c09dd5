import FlameModel

/// Options of the `perf script` and DTrace collapsers, with the meanings inferno's
/// collapse-perf and collapse-dtrace give them.
public struct CollapseOptions: Sendable, Equatable {
    /// Root frame `comm-PID` (`--pid`).
    public var includePid = false
    /// Root frame `comm-PID/TID` (`--tid`; implies `--pid`).
    public var includeTid = false
    /// `_[k]` after kernel frames (`--kernel`).
    public var annotateKernel = false
    /// `_[j]` after JIT frames from perf maps and jitdumps (`--jit`).
    public var annotateJit = false
    /// `[module <0xaddr>]` for frames without a symbol (`--addrs`).
    public var includeAddrs = false
    /// Keep only samples of this event; nil keeps the first event type seen (`--event-filter`).
    public var eventFilter: String?
    /// Frames (symbol without offset) after which a stack's callers are dropped (`--skip-after`).
    public var skipAfter: [String] = []
    /// DTrace: keep `+0x…` offsets on every frame but the leaf (`--includeoffset`).
    public var includeOffset = false

    public init() {}
}

/// A collapser's result: distinct stacks (root first, `;`-joined) and their counts, with what
/// was left out, for the note on standard error.
public struct CollapsedStacks: Sendable {
    public internal(set) var counts: [String: Int64] = [:]
    /// Lines that were neither event headers, stack frames nor blank.
    public internal(set) var unrecognizedLines = 0
    /// The first unrecognized line, for the note.
    public internal(set) var firstUnrecognized: String?
    /// perf: the event type kept, and the number of samples of every other event type skipped.
    public internal(set) var keptEvent: String?
    public internal(set) var skippedEvents: [String: Int] = [:]
    /// DTrace: the input ended inside a stack (no count line after its frames).
    public internal(set) var truncated = false

    /// Maximum distinct stacks kept (beyond it, stacks are refused: bounded memory).
    static let maxDistinctStacks = 20_000_000

    mutating func add(_ stack: String, _ count: Int64) throws(ImportError) {
        if let old = counts[stack] {
            let (sum, overflow) = old.addingReportingOverflow(count)
            guard !overflow else { throw .unreadable("the counts of stack \"\(stack.prefix(80))…\" add up past 2^63") }
            counts[stack] = sum
        } else {
            guard counts.count < Self.maxDistinctStacks else {
                throw .unreadable("more than \(Self.maxDistinctStacks) distinct stacks")
            }
            counts[stack] = count
        }
    }

    /// Adds the stacks and counts of another part of the same input.
    mutating func absorb(_ other: CollapsedStacks) throws(ImportError) {
        for (stack, count) in other.counts { try add(stack, count) }
        if firstUnrecognized == nil { firstUnrecognized = other.firstUnrecognized }
        unrecognizedLines += other.unrecognizedLines
        for (event, n) in other.skippedEvents { skippedEvents[event, default: 0] += n }
        truncated = truncated || other.truncated
    }

    mutating func unrecognized(_ line: String) {
        unrecognizedLines += 1
        if firstUnrecognized == nil { firstUnrecognized = String(line.prefix(200)) }
    }

    /// flamegraph.pl's folded text: `stack count` lines in byte order of the stacks.
    public func foldedText() -> [UInt8] {
        var out: [UInt8] = []
        for key in counts.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            out += Array(key.utf8)
            out.append(0x20)
            out += Array(String(counts[key]!).utf8)
            out.append(0x0A)
        }
        return out
    }

    /// The notes a user should see: skipped lines and events.
    public func notes(format: String) -> [String] {
        var notes: [String] = []
        if unrecognizedLines > 0 {
            notes.append("\(format): skipped \(unrecognizedLines) unrecognized lines; the first: \"\(ProfileLoader.printable(firstUnrecognized ?? ""))\"")
        }
        if let keptEvent, !skippedEvents.isEmpty {
            // The busiest few by name; a capture of a million event names stays one short line.
            let shown = skippedEvents.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5)
            var others = shown.map { "\(ProfileLoader.printable(String($0.key.prefix(100)))): \($0.value)" }.joined(separator: ", ")
            if skippedEvents.count > shown.count { others += " and \(skippedEvents.count - shown.count) more" }
            notes.append("\(format): kept the samples of event \(keptEvent); skipped other events (\(others)); choose one with --event-filter")
        }
        if truncated { notes.append("\(format): the input ends inside a stack; that stack was left out") }
        return notes
    }
}

/// Helpers the collapsers share.
enum SymbolCleanup {
    /// Rust symbols that a profiler demangled only partly (`_$LT$std..fs..File$GT$::read::h5d84…`)
    /// are finished: the hash is dropped and `$LT$`, `..` and friends become `<`, `::`.
    static func fixPartiallyDemangledRust(_ symbol: Substring) -> Substring {
        let bytes = Array(symbol.utf8)
        let hashLength = 17
        guard bytes.count >= hashLength else { return symbol }
        let hash = bytes[(bytes.count - hashLength)...]
        guard hash.first == UInt8(ascii: "h"), hash.dropFirst().allSatisfy(isHex) else { return symbol }
        var rest = Substring(String(decoding: bytes[..<(bytes.count - hashLength)], as: UTF8.self))
        if rest.hasSuffix("::") { rest = rest.dropLast(2) }
        if rest.hasPrefix("_$") { rest = rest.dropFirst() }
        let escapes: [(String, String)] = [
            ("$SP$", "@"), ("$BP$", "*"), ("$RF$", "&"), ("$LT$", "<"), ("$GT$", ">"), ("$LP$", "("), ("$RP$", ")"),
            ("$C$", ","), ("$u7e$", "~"), ("$u20$", " "), ("$u27$", "'"), ("$u3d$", "="), ("$u5b$", "["), ("$u5d$", "]"),
            ("$u7b$", "{"), ("$u7d$", "}"), ("$u3b$", ";"), ("$u2b$", "+"), ("$u21$", "!"), ("$u22$", "\""),
        ]
        var out = ""
        loop: while !rest.isEmpty {
            if rest.hasPrefix(".") {
                if rest.hasPrefix("..") { out += "::"; rest = rest.dropFirst(2) } else { out += "."; rest = rest.dropFirst() }
            } else if rest.hasPrefix("$") {
                for (pattern, text) in escapes where rest.hasPrefix(pattern) {
                    out += text
                    rest = rest.dropFirst(pattern.count)
                    continue loop
                }
                out += rest
                break
            } else {
                let end = rest.firstIndex { $0 == "$" || $0 == "." } ?? rest.endIndex
                out += rest[..<end]
                rest = rest[end...]
            }
        }
        return Substring(out)
    }

    /// The same on bytes; the bytes themselves when the symbol has no Rust hash (the usual case).
    static func fixPartiallyDemangledRust(bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard bytes.count >= 17, bytes[bytes.endIndex - 17] == UInt8(ascii: "h"), bytes.suffix(16).allSatisfy(isHex) else { return bytes }
        let symbol = Substring(String(decoding: bytes, as: UTF8.self))
        let fixed = fixPartiallyDemangledRust(symbol)
        return fixed == symbol ? bytes : ArraySlice(fixed.utf8)
    }

    static func isHex(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 97 && b <= 102) || (b >= 65 && b <= 70)
    }
}
