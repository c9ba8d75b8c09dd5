/// Overflow-checked arithmetic for values read from files: a sum that does not fit in 64 bits
/// is an error that names what was being added, never a trap or a wrapped number.
public enum Checked {
    public static func add(_ a: Int64, _ b: Int64, _ what: @autoclosure () -> String) throws(ProfileError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow { throw .overflow("\(what()) overflow 64 bits (\(a) + \(b))") }
        return sum
    }

    public static func multiply(_ a: Int64, _ b: Int64, _ what: @autoclosure () -> String) throws(ProfileError) -> Int64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw .overflow("\(what()) overflow 64 bits (\(a) × \(b))") }
        return product
    }

    /// `Double` → `Int64`, refusing NaN, infinities and values out of range.
    public static func integer(_ v: Double, _ what: @autoclosure () -> String) throws(ProfileError) -> Int64 {
        guard v.isFinite, v >= -9.2e18, v <= 9.2e18 else { throw .overflow("\(what()) out of range (\(v))") }
        return Int64(v)
    }

    /// `Double` → `Int64` as Go's `int64(f)` comes out on amd64 (`CVTTSD2SQ`): NaN and values out
    /// of range become `Int64.min`. For numbers that must equal pprof's byte for byte.
    public static func goInt64(_ v: Double) -> Int64 {
        guard v.isFinite, v >= -9_223_372_036_854_775_808.0, v < 9_223_372_036_854_775_808.0 else { return .min }
        return Int64(v)
    }

    /// `Double` → `Int64` for positions and lengths that only need to stay in range: values past
    /// either end become that end, NaN becomes 0.
    public static func clamped(_ v: Double) -> Int64 {
        guard !v.isNaN else { return 0 }
        if v >= 9_223_372_036_854_775_808.0 { return .max }
        if v <= -9_223_372_036_854_775_808.0 { return .min }
        return Int64(v)
    }

    /// Go's `abs64`: the negation wraps, so `Int64.min` stays itself instead of trapping.
    public static func goAbs(_ v: Int64) -> Int64 { v < 0 ? 0 &- v : v }
}

extension Profile {
    /// Refuses values whose magnitudes, summed over every sample of this profile and of `others`
    /// (profiles it will be merged or compared with), do not fit in 64 bits. Every total, flat,
    /// cum, edge weight and difference computed from them then fits too, so no report can wrap.
    public func checkValueRange(alongside others: [Profile] = []) throws(ProfileError) {
        for i in sampleTypes.indices {
            var sum: UInt64 = 0
            for p in [self] + others where i < p.sampleTypes.count {
                for s in 0..<p.sampleCount {
                    let (next, overflow) = sum.addingReportingOverflow(p.value(s, i).magnitude)
                    guard !overflow, next <= UInt64(Int64.max) else {
                        throw .overflow("the values of sample type \(sampleTypes[i].type) add up to more than 2^63-1; flamegen refuses rather than wrap")
                    }
                    sum = next
                }
            }
        }
    }
}
