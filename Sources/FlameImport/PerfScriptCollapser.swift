import FlameModel

/// Collapses `perf script` output into folded stacks, line by line (memory grows with the
/// distinct stacks, not with the capture), with the rules of inferno's collapse-perf and
/// stackcollapse-perf.pl: an event line (`comm pid/tid … period event:`) starts a sample, its
/// frame lines (`addr symbol+0xoff (module)`, leaf first) follow, a blank line ends it; the
/// stack is rooted at the process name; only the first event type is kept unless
/// `eventFilter` names one.
public struct PerfScriptCollapser {
    public let options: CollapseOptions
    public private(set) var result = CollapsedStacks()

    private enum Filter { case keep, skip, skipRemaining }
    private var eventFilter: String?
    private var inEvent = false
    private var processName = ""
    private var filter = Filter.keep
    private var stack: [String] = []
    private var period: Int64?

    public init(options: CollapseOptions = CollapseOptions()) {
        var o = options
        if o.includeTid { o.includePid = true }
        self.options = o
        eventFilter = options.eventFilter
    }

    /// True when the text starts like `perf script` output: its first event line is followed by
    /// a frame line (`#` comments and blank lines aside).
    public static func looksLikePerfScript(_ head: [UInt8]) -> Bool {
        var previousWasEvent = false
        for raw in head.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(200) {
            let line = String(decoding: raw, as: UTF8.self).trimmingWhitespace()
            if line.hasPrefix("#") { continue }
            if line.isEmpty { previousWasEvent = false; continue }
            if previousWasEvent { return stackLineParts(Substring(line)) != nil }
            guard eventLineParts(Substring(line)) != nil, line.contains(":") else { return false }
            previousWasEvent = true
        }
        return false
    }

    /// Feeds one line (without its newline).
    public mutating func line(_ raw: ArraySlice<UInt8>) throws(ImportError) {
        if raw.first == UInt8(ascii: "#") { return }
        let text = String(decoding: raw, as: UTF8.self)
        let line = Substring(text).droppingTrailingWhitespace()
        if line.isEmpty {
            try endEvent()
        } else if inEvent {
            stackLine(line)
        } else {
            eventLine(line)
            if !stack.isEmpty { try endEvent() } // an event line that carried its only frame
        }
    }

    /// Ends the input (a last sample without a blank line after it counts).
    public mutating func finish() throws(ImportError) {
        if !stack.isEmpty { try endEvent() }
        result.keptEvent = eventFilter
    }

    /// `comm`, pid (`?` when only the tid is printed), tid, and where the rest starts: the first
    /// all-digit word (`123` or `123/456`) followed by a space ends the command name.
    static func eventLineParts(_ line: Substring) -> (comm: Substring, pid: Substring, tid: Substring, rest: Substring.Index)? {
        var wordStart = line.startIndex
        var allDigits = false, lastWasSpace = false
        var slash: Substring.Index?
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if c == " " {
                if allDigits && !lastWasSpace {
                    let (pid, tid) = slash.map { (line[wordStart..<$0], line[line.index(after: $0)..<i]) } ?? ("?", line[wordStart..<i])
                    guard wordStart > line.startIndex else { return nil }
                    let comm = line[..<line.index(before: wordStart)].trimmingWhitespace()
                    return (Substring(comm), pid, tid, line.index(after: i))
                }
                wordStart = line.index(after: i)
                allDigits = true
            } else if c == "/" {
                if !allDigits { slash = nil } else { slash = i }
            } else if c.isASCII && c.isNumber {
            } else {
                allDigits = false
                slash = nil
            }
            lastWasSpace = c == " "
            i = line.index(after: i)
        }
        return nil
    }

    private mutating func eventLine(_ line: Substring) {
        inEvent = true
        guard let (comm, pid, tid, rest) = Self.eventLineParts(line) else {
            result.unrecognized(String(line))
            inEvent = false
            return
        }
        let parts = line[rest...].split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).dropFirst()
        period = nil
        if let periodAndEvent = parts.first {
            let words = periodAndEvent.split(separator: " ", omittingEmptySubsequences: false)
            let event = words.last.map(String.init) ?? ""
            if words.count >= 2 { period = Int64(words[words.count - 2]) }
            if let eventFilter {
                if event != eventFilter {
                    filter = .skip
                    result.skippedEvents[event, default: 0] += 1
                    return
                }
            } else {
                eventFilter = event
            }
        }
        var single: Substring?
        if parts.count >= 2 {
            let post = parts[parts.startIndex + 1]
            let start = post.firstIndex { $0 == ":" || $0 == " " }.map { post.index(after: $0) } ?? post.startIndex
            let frame = post[start...].trimmingWhitespace()
            if !frame.isEmpty { single = Substring(frame) }
        }
        processName = comm.replacingOccurrences(of: " ", with: "_")
        if options.includeTid { processName += "-\(pid)/\(tid)" } else if options.includePid { processName += "-\(pid)" }
        if let single {
            stackLine(single)
            inEvent = false
        }
    }

    /// The address, symbol (`" "` when empty, as the Perl version has it) and module of a frame line.
    static func stackLineParts(_ line: Substring) -> (pc: Substring, function: Substring, module: Substring)? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard let space = trimmed.firstIndex(of: " ") else { return nil }
        let pc = trimmed[..<space].droppingTrailingWhitespace()
        let rest = trimmed[trimmed.index(after: space)...]
        guard let lastSpace = rest.lastIndex(of: " ") else { return nil }
        let module = rest[rest.index(after: lastSpace)...]
        guard module.hasPrefix("("), module.hasSuffix(")"), module.count >= 2 else { return nil }
        let function = Substring(rest[..<lastSpace].trimmingWhitespace())
        return (pc, function.isEmpty ? " " : function, module.dropFirst().dropLast())
    }

    private mutating func stackLine(_ line: Substring) {
        if filter != .keep { return }
        guard let (pc, rawFunction, module) = Self.stackLineParts(line) else {
            result.unrecognized(String(line))
            return
        }
        var function = rawFunction
        if let offset = function.range(of: "+0x", options: .backwards),
           function[offset.upperBound...].utf8.allSatisfy(SymbolCleanup.isHex) {
            function = function[..<offset.lowerBound]
        }
        if function.hasPrefix("(") { return }
        function = SymbolCleanup.fixPartiallyDemangledRust(function)
        var frames: [String] = []
        for part in function.components(separatedBy: "->") {
            var name = Self.moduleFallback(module: module, function: part, pc: pc, includeAddrs: options.includeAddrs)
            name = Self.tidy(name)
            if processName.hasPrefix("java"), name.hasPrefix("L"), name.contains("/") { name.removeFirst() }
            if !frames.isEmpty {
                if !name.contains("_[i]") { name += "_[i]" }
            } else if options.annotateKernel && Self.isKernel(module) {
                name += "_[k]"
            } else if options.annotateJit && Self.isJit(module) && !name.contains("_[j]") {
                name += "_[j]"
            }
            frames.append(name)
        }
        stack.insert(contentsOf: frames, at: 0)
        if options.skipAfter.contains(where: { $0 == function }) { filter = .skipRemaining }
    }

    private mutating func endEvent() throws(ImportError) {
        if !stack.isEmpty {
            var joined = filter == .skipRemaining ? "" : processName + ";"
            joined += stack.joined(separator: ";")
            try result.add(joined, period ?? 1)
        }
        inEvent = false
        filter = .keep
        stack.removeAll(keepingCapacity: true)
        period = nil
    }

    /// `[unknown]` becomes the module's file name in brackets (with `<addr>` under `--addrs`).
    static func moduleFallback(module: Substring, function: String, pc: Substring, includeAddrs: Bool) -> String {
        guard function == "[unknown]" else { return function }
        let name: Substring
        if module == "[unknown]" {
            guard includeAddrs else { return function }
            name = "unknown"
        } else {
            name = module.lastIndex(of: "/").map { module[module.index(after: $0)...] } ?? module
        }
        return includeAddrs ? "[\(name) <\(pc)>]" : "[\(name)]"
    }

    /// `;` becomes `:`, and an argument list is removed, except Go's `pkg.(*T).M` receivers and
    /// C++'s `(anonymous namespace)`; parentheses inside `<>`, `{}` or `[]` are kept.
    static func tidy(_ function: String) -> String {
        let f = function.replacingOccurrences(of: ";", with: ":")
        var depth = 0
        var lastDotEnd: String.Index?
        var i = f.startIndex
        while i < f.endIndex {
            switch f[i] {
            case "<", "{", "[": depth += 1
            case ">", "}", "]", ")": depth -= 1
            case "(":
                if depth == 0 {
                    let goMethod = lastDotEnd == i
                    if !goMethod && !f[i...].hasPrefix("(anonymous namespace)") { return String(f[..<i]) }
                }
                depth += 1
            case ".": lastDotEnd = f.index(after: i)
            default: break
            }
            i = f.index(after: i)
        }
        return f
    }

    /// Kernel modules: `[kernel.kallsyms]`-style names, `.ko` files and vmlinux images.
    static func isKernel(_ module: Substring) -> Bool {
        guard module != "[unknown]" else { return false }
        if module.hasPrefix("[") || module.hasSuffix(".ko") { return true }
        guard let v = module.range(of: "vmlinux", options: .backwards) else { return false }
        return module[v.lowerBound...].allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." || $0 == "_" }
    }

    /// JIT code: perf map files (`/tmp/perf-PID.map`) and jitdump libraries (`…/jitted-….so`).
    static func isJit(_ module: Substring) -> Bool {
        (module.hasPrefix("/tmp/perf-") && module.hasSuffix(".map")) || (module.contains("/jitted-") && module.hasSuffix(".so"))
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
