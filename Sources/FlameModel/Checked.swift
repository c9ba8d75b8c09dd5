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
}
