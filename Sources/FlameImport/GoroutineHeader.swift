import FlameModel

/// The header line of one goroutine in a `debug=2` dump or a crash traceback, in every form Go
/// has printed since 1.19:
///
///     goroutine 7 [chan receive]:
///     goroutine 7 [chan receive, 12 minutes, locked to thread]:
///     goroutine 1 gp=0xc000002380 m=0 mp=0x5a0d20 [running]:
///     goroutine 9 [sync.WaitGroup.Wait] {handler: search, "request id": "a\"b"}:
///     goroutine 9 [chan receive, 3 minutes labels:{"handler": "search"}]:   (Go 1.26)
struct GoroutineHeader {
    /// The wait state (`chan receive`, `sync.Mutex.Lock`, `select (no cases)`).
    var state: String
    /// Minutes waited, 0 when the runtime printed none (under a minute).
    var waitMinutes: Int64 = 0
    /// Goroutine labels printed in the header (Go 1.27+, or GODEBUG=tracebacklabels=1).
    var labels: [SampleLabel] = []

    /// Parses a header line; nil when the line is not one.
    init?(_ line: Substring) {
        let bytes = Array(line.utf8)
        let prefix = Array("goroutine ".utf8)
        guard bytes.count > prefix.count + 4, bytes.starts(with: prefix), bytes.last == UInt8(ascii: ":") else { return nil }
        var i = prefix.count
        let digits = i
        while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
        guard i > digits, i < bytes.count, bytes[i] == 0x20 else { return nil }
        // Skip `gp=… m=… mp=…` words up to the bracket.
        guard let open = bytes[i...].firstIndex(of: UInt8(ascii: "[")) else { return nil }
        // Go 1.26 prints labels last inside the bracket (` labels:{…}]:`); their quoted values
        // may hold any character, so the bracket then closes at the end of the line.
        let marker = Array(" labels:{".utf8)
        if bytes.count >= 3, bytes[bytes.count - 2] == UInt8(ascii: "]"), bytes[bytes.count - 3] == UInt8(ascii: "}"),
           let at = (open..<(bytes.count - marker.count)).first(where: { bytes[$0..<($0 + marker.count)].elementsEqual(marker) }) {
            guard let labels = Self.labels(Array(bytes[(at + marker.count)..<(bytes.count - 3)])) else { return nil }
            self.labels = labels
            var minutes: Int64 = 0
            guard let state = Self.state(bytes[(open + 1)..<at], minutes: &minutes) else { return nil }
            (self.state, waitMinutes) = (state, minutes)
            return
        }
        guard let close = bytes[open...].firstIndex(of: UInt8(ascii: "]")) else { return nil }
        var minutes: Int64 = 0
        guard let state = Self.state(bytes[(open + 1)..<close], minutes: &minutes) else { return nil }
        (self.state, waitMinutes) = (state, minutes)
        var rest = bytes[(close + 1)..<(bytes.count - 1)]
        while rest.first == 0x20 { rest = rest.dropFirst() }
        if !rest.isEmpty {
            guard rest.first == UInt8(ascii: "{"), rest.last == UInt8(ascii: "}"),
                  let labels = Self.labels(Array(rest.dropFirst().dropLast())) else { return nil }
            self.labels = labels
        }
    }

    /// `chan receive, 12 minutes, locked to thread` → the wait state, and the minutes waited.
    static func state(_ bracket: ArraySlice<UInt8>, minutes: inout Int64) -> String? {
        let parts = String(decoding: bracket, as: UTF8.self).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, !first.isEmpty else { return nil }
        for p in parts.dropFirst() where p.hasSuffix(" minutes") || p.hasSuffix(" minute") {
            minutes = Int64(p.prefix { $0.isNumber }) ?? 0
        }
        return first
    }

    /// `key: value, "quoted key": "quoted \"value\""` → labels.
    static func labels(_ bytes: [UInt8]) -> [SampleLabel]? {
        var words: [String] = []
        var i = 0
        var pairs: [SampleLabel] = []
        while i < bytes.count {
            while i < bytes.count, bytes[i] == 0x20 { i += 1 }
            guard i < bytes.count else { break }
            guard let (word, next) = GoQuoted.token(bytes, from: i, stoppingAt: [UInt8(ascii: ":"), UInt8(ascii: ",")]) else { return nil }
            words.append(word)
            i = next
            while i < bytes.count, bytes[i] == 0x20 { i += 1 }
            if words.count == 1 {
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                i += 1
            } else {
                pairs.append(SampleLabel(key: words[0], string: words[1]))
                words = []
                if i < bytes.count {
                    guard bytes[i] == UInt8(ascii: ",") else { return nil }
                    i += 1
                }
            }
        }
        return words.isEmpty ? pairs : nil
    }
}

/// Go's quoted strings (`strconv.Quote`) as the runtime and pprof print them in dumps.
enum GoQuoted {
    /// A quoted string or a bare word starting at `from`; returns it and the index after it.
    static func token(_ bytes: [UInt8], from: Int, stoppingAt stops: [UInt8]) -> (String, Int)? {
        var i = from
        if bytes[i] == UInt8(ascii: "\"") {
            var out: [UInt8] = []
            i += 1
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { return (String(decoding: out, as: UTF8.self), i + 1) }
                if b == UInt8(ascii: "\\"), i + 1 < bytes.count {
                    i += 1
                    switch bytes[i] {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "x") where i + 2 < bytes.count:
                        guard let v = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) else { return nil }
                        out.append(v)
                        i += 2
                    case UInt8(ascii: "u") where i + 4 < bytes.count:
                        guard let v = UInt32(String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self), radix: 16),
                              let scalar = Unicode.Scalar(v) else { return nil }
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                        i += 4
                    default: out.append(bytes[i])
                    }
                } else {
                    out.append(b)
                }
                i += 1
            }
            return nil
        }
        while i < bytes.count, !stops.contains(bytes[i]), bytes[i] != 0x20 { i += 1 }
        guard i > from else { return nil }
        return (String(decoding: bytes[from..<i], as: UTF8.self), i)
    }

    /// `{"pool":"fixtures", "state":"recv"}` (debug=1's `# labels:` line) → labels.
    static func labelMap(_ text: Substring) -> [SampleLabel]? {
        var bytes = Array(text.utf8)
        while bytes.last == 0x20 { bytes.removeLast() }
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
        return GoroutineHeader.labels(Array(bytes.dropFirst().dropLast()))
    }
}
