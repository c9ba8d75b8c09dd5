/// pprof's `-tagfocus`/`-tagignore` value: `[KEY=]REGEX[,REGEX…]` over string labels, or a
/// numeric range with units (`32kb`, `:64kb`, `4mb:`, `12kb:64mb`, `bytes=1kb:`).
///
/// Without a key, every regex must match some `key:value`; with a key, any regex may match a
/// value of that key. A range matches a sample when any numeric value (of the key, or of any key)
/// converted to the range's unit lies in it.
public struct TagFilter: Sendable {
    private enum Test: Sendable {
        case regexes([NameRegex])
        case range(unit: String, low: Double?, high: Double?)
    }

    private let key: String?
    private let test: Test
    /// The numeric label units of the profile (pprof's `NumLabelUnits`).
    private let units: [String: String]

    public init(_ spec: String, flag: String, units: [String: String]) throws(ProfileError) {
        var value = Substring(spec)
        var key: String?
        if let eq = spec.firstIndex(of: "=") {
            key = String(spec[..<eq])
            value = spec[spec.index(after: eq)...]
        }
        self.key = key
        self.units = units
        if let range = Self.range(String(value)) {
            test = range
            return
        }
        var regexes: [NameRegex] = []
        for part in value.split(separator: ",", omittingEmptySubsequences: false) {
            do { regexes.append(try NameRegex(String(part))) } catch { throw .badRegex("--\(flag): \(error)") }
        }
        test = .regexes(regexes)
    }

    /// pprof's `parseTagFilterRange`: nil unless the whole value is a range.
    private static func range(_ filter: String) -> Test? {
        let numbers = Self.numbersWithUnits(filter, limit: 2)
        guard let first = numbers.first else { return nil }
        let (low, unit) = Units.scale(first.value, from: first.unit, to: first.unit)
        if numbers.count == 1 {
            switch filter {
            case first.text: return .range(unit: unit, low: low, high: low)
            case first.text + ":": return .range(unit: unit, low: low, high: nil)
            case ":" + first.text: return .range(unit: unit, low: nil, high: low)
            default: return nil
            }
        }
        let second = numbers[1]
        guard filter == first.text + ":" + second.text else { return nil }
        let (high, unit2) = Units.scale(second.value, from: second.unit, to: unit)
        guard unit2 == unit else { return nil }
        return .range(unit: unit, low: low, high: high)
    }

    /// Matches of `[+-]?[0-9]+[A-Za-z]*`, left to right, at most `limit`.
    private static func numbersWithUnits(_ s: String, limit: Int) -> [(text: String, value: Int64, unit: String)] {
        let bytes = Array(s.utf8)
        var result: [(String, Int64, String)] = []
        var i = 0
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 97 && (b | 0x20) <= 122 }
        while i < bytes.count && result.count < limit {
            var j = i
            if bytes[j] == 43 || bytes[j] == 45 { j += 1 }
            guard j < bytes.count, isDigit(bytes[j]) else { i += 1; continue }
            let numberStart = i
            while j < bytes.count && isDigit(bytes[j]) { j += 1 }
            let numberEnd = j
            while j < bytes.count && isAlpha(bytes[j]) { j += 1 }
            let number = String(decoding: bytes[numberStart..<numberEnd], as: UTF8.self)
            // pprof panics on numbers that do not fit; flamegen treats them as no range.
            guard let value = Int64(number) else { return [] }
            result.append((String(decoding: bytes[numberStart..<j], as: UTF8.self), value,
                           String(decoding: bytes[numberEnd..<j], as: UTF8.self)))
            i = j
        }
        return result
    }

    /// Whether a sample with these labels passes the test.
    public func matches(_ labels: [SampleLabel]) -> Bool {
        switch test {
        case .regexes(let regexes):
            if let key {
                return labels.contains { l in l.key == key && l.string.map { s in regexes.contains { $0.matches(s) } } ?? false }
            }
            return regexes.allSatisfy { rx in
                labels.contains { l in l.string.map { rx.matches(l.key + ":" + $0) } ?? false }
            }
        case .range(let unit, let low, let high):
            return labels.contains { l in
                guard let n = l.number, key == nil || l.key == key else { return false }
                let (v, u) = Units.scale(n, from: units[l.key] ?? "", to: unit)
                return u == unit && (low.map { v >= $0 } ?? true) && (high.map { v <= $0 } ?? true)
            }
        }
    }
}
