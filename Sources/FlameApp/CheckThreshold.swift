import FlameModel
import Foundation

/// A limit of `flamegen check`: a growth in percent of the base value (`10%`, or a bare `10`),
/// or an absolute amount in a unit of the profile's family (`5MB`, `200ms`, `1.5s`, `300count`).
public enum CheckThreshold: Sendable, Equatable {
    case percent(Double)
    case amount(Double, unit: String)

    /// Parses `10%`, `10`, `5MB`, `200ms`; nil when it is none of these.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let split = t.firstIndex(where: { !($0.isNumber || $0 == ".") }) else {
            guard let v = Double(t), v.isFinite, v >= 0 else { return nil }
            self = .percent(v)
            return
        }
        guard let v = Double(t[..<split]), v.isFinite, v >= 0 else { return nil }
        let unit = String(t[split...])
        if unit == "%" {
            self = .percent(v)
        } else {
            guard unit.allSatisfy(\.isLetter) else { return nil }
            self = .amount(v, unit: unit)
        }
    }

    /// Whether a growth of `delta` (in `sampleUnit`), `change` percent, is within the limit.
    /// Throws when the limit's unit cannot measure the profile (`5MB` for a CPU profile).
    func allows(delta: Int64, change: Double, sampleUnit: String) throws(AppError) -> Bool {
        switch self {
        case .percent(let p):
            return change <= p
        case .amount(let v, let unit):
            guard let amount = Units.convert(v, from: unit, to: sampleUnit) else {
                throw AppError("limit '\(text)': \(unit) cannot measure a profile of \(sampleUnit); use a percentage or a unit of \(sampleUnit)")
            }
            return Double(delta) <= amount
        }
    }

    /// As written on the command line, normalised (`10%`, `5MB`).
    public var text: String {
        switch self {
        case .percent(let p): return String(format: "%g%%", p)
        case .amount(let v, let unit): return String(format: "%g", v) + unit
        }
    }
}
