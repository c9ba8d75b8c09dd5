/// flamegraph.pl's colour schemes, made deterministic: the "random" components come from a hash
/// of the name, so the same input gives the same picture every run.
public enum Palette: String, CaseIterable, Sendable {
    case hot, mem, io, red, green, blue, aqua, yellow, purple, orange

    /// Colour for three values in [0, 1].
    func color(_ v1: Double, _ v2: Double, _ v3: Double) -> Color {
        func c(_ base: Double, _ span: Double, _ v: Double) -> UInt8 { UInt8(min(255, base + (span * v).rounded(.down))) }
        switch self {
        case .hot: return Color(c(205, 50, v3), c(0, 230, v1), c(0, 55, v2))
        case .mem: return Color(0, c(190, 50, v2), c(0, 210, v1))
        case .io: return Color(c(80, 60, v1), c(80, 60, v1), c(190, 55, v2))
        case .red: return Color(c(200, 55, v1), c(50, 80, v1), c(50, 80, v1))
        case .green: return Color(c(50, 60, v1), c(200, 55, v1), c(50, 60, v1))
        case .blue: return Color(c(80, 60, v1), c(80, 60, v1), c(205, 50, v1))
        case .aqua: return Color(c(50, 60, v1), c(165, 55, v1), c(165, 55, v1))
        case .yellow: return Color(c(175, 55, v1), c(175, 55, v1), c(50, 20, v1))
        case .purple: return Color(c(190, 65, v1), c(80, 60, v1), c(190, 65, v1))
        case .orange: return Color(c(190, 65, v1), c(90, 65, v1), 0)
        }
    }
}

/// Picks each frame's fill colour.
public struct FrameColoring: Sendable {
    public var palette: Palette = .hot
    /// `--hash`: colours follow the leading characters of the name, so similar names look alike
    /// across graphs; otherwise every name gets its own well-spread colour.
    public var nameHash = false
    /// Colour Go (and other dotted) names by package rather than by function.
    public var byPackage = false

    public init(palette: Palette = .hot, nameHash: Bool = false, byPackage: Bool = false) {
        self.palette = palette
        self.nameHash = nameHash
        self.byPackage = byPackage
    }

    /// Fill for a frame named `name`. Folded annotation suffixes pick a fixed family:
    /// kernel `_[k]` orange, JIT `_[j]` green, inlined `_[i]` aqua, waker `_[w]` blue.
    public func color(for name: String) -> Color {
        var palette = self.palette
        if name.hasSuffix("]"), let annotation = Self.annotation(of: name) {
            switch annotation {
            case "k": palette = .orange
            case "j": palette = .green
            case "i": palette = .aqua
            default: palette = .blue
            }
        }
        let key = byPackage ? Self.packageName(name) : name
        if nameHash {
            let v = Self.leadingWeightedHash(key)
            return palette.color(v, v, v)
        }
        let h = Self.fnv(key)
        let v1 = Double(h & 0xffff) / 65535, v2 = Double((h >> 16) & 0xffff) / 65535, v3 = Double((h >> 32) & 0xffff) / 65535
        return palette.color(v1, v2, v3)
    }

    /// The annotation letter of `name_[x]`, if any.
    public static func annotation(of name: String) -> Character? {
        let u = Array(name.utf8.suffix(4))
        guard u.count == 4, u[0] == 0x5F, u[1] == 0x5B, u[3] == 0x5D else { return nil }
        switch u[2] {
        case 0x6B: return "k"
        case 0x6A: return "j"
        case 0x69: return "i"
        case 0x77: return "w"
        default: return nil
        }
    }

    /// Go package of a function name: the part before the first `.` after the last `/`
    /// (`net/http.(*conn).serve` → `net/http`).
    public static func packageName(_ name: String) -> String {
        let afterSlash = name.lastIndex(of: "/").map { name.index(after: $0) } ?? name.startIndex
        guard let dot = name[afterSlash...].firstIndex(of: ".") else { return name }
        return String(name[..<dot])
    }

    static func fnv(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        return h
    }

    /// A value in [0, 1] from the first characters of `s`, the earliest weighing most.
    static func leadingWeightedHash(_ s: String) -> Double {
        var sum = 0.0, norm = 0.0, weight = 1.0
        for (i, b) in s.utf8.prefix(6).enumerated() {
            let modulus = Double(10 + i)
            sum += Double(Int(b) % (10 + i)) / (modulus - 1) * weight
            norm += weight
            weight *= 0.7
        }
        return norm == 0 ? 0 : 1 - sum / (norm + 1)
    }

    /// Differential fill: red for growth, blue for shrink, white-ish when unchanged; intensity
    /// by `delta / maxDelta`.
    public static func differential(delta: Int64, maxDelta: Int64) -> Color {
        guard delta != 0, maxDelta > 0 else { return Color(250, 250, 250) }
        let fade = UInt8(max(0, min(210, 210 * Double(maxDelta - abs(delta)) / Double(maxDelta))))
        return delta > 0 ? Color(255, fade, fade) : Color(fade, fade, 255)
    }
}
