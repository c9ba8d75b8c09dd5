import FlameModel
import FlameReport
import Foundation

/// `flamegen check`: a CI gate comparing a profile with a base. Fails when the total, or the
/// cumulative value of functions matching a pattern, grew by more than a limit (a percentage or
/// an absolute amount).
public struct RegressionCheck: Sendable {
    /// A per-function limit: functions whose name matches `pattern` may grow by `limit`.
    public struct FunctionLimit: Sendable {
        public let pattern: String
        public let limit: CheckThreshold

        /// Parses `regex=5%` or `regex=20ms`.
        public init(_ spec: String) throws(AppError) {
            guard let eq = spec.lastIndex(of: "="), let l = CheckThreshold(String(spec[spec.index(after: eq)...])) else {
                throw AppError("--max-function-increase '\(spec)': expected REGEX=LIMIT, e.g. 'json\\.=5%' or 'json\\.=20ms'")
            }
            pattern = String(spec[..<eq])
            limit = l
        }
    }

    /// How the two profiles' values are made comparable.
    public enum Comparison: String, Codable, Sendable {
        /// Values as recorded.
        case absolute
        /// CPU profiles of different durations: values per second of profile.
        case perSecond = "per-second"
        /// `--normalize`: the base scaled so its total equals the profile's.
        case normalized
    }

    /// The verdict on one measured value. `before` and `after` are in the profile's sample
    /// unit (per second of profile under `per-second`).
    public struct Result: Codable, Sendable {
        public let name: String
        public let before: Int64
        public let after: Int64
        public let beforeText: String
        public let afterText: String
        /// Growth in percent of `before`; for a function new in the profile (`isNew`), its
        /// value in percent of the base's total.
        public let change: Double
        /// `after - before`.
        public let delta: Int64
        public let deltaText: String
        /// The limit as given (`10%`, `5MB`).
        public let limit: String
        public let passed: Bool
        /// The function is not in the base at all.
        public var isNew = false

        enum CodingKeys: String, CodingKey {
            case name, before, after, beforeText, afterText, change, delta, deltaText, limit, passed
            case isNew = "new"
        }
    }

    /// The outcome of a check: the results, and how values were compared.
    public struct Outcome: Sendable {
        public let results: [Result]
        public let comparison: Comparison
        public let sampleType: String
        /// Unit of the raw values (`nanoseconds`, `bytes`, `count`).
        public let unit: String
        /// The line explaining a non-absolute comparison.
        public let note: String?
        public var passed: Bool { results.allSatisfy(\.passed) }
    }

    public var base: [String]
    public var inputs: ReportInputs
    public var sampleIndex: String?
    public var maxIncrease: CheckThreshold?
    public var functionLimits: [FunctionLimit] = []
    /// A function rule that matches no function is allowed (otherwise an error: a typo in a
    /// pattern would silently disable the gate).
    public var allowMissing = false
    /// Scale the base to the profile's total before comparing.
    public var normalize = false

    public init(base: [String], inputs: ReportInputs) {
        self.base = base
        self.inputs = inputs
    }

    public func run() throws(AppError) -> Outcome {
        var options = ReportOptions()
        options.sampleIndex = sampleIndex
        options.nodeFraction = 0
        options.edgeFraction = 0
        var before = ReportInputs(inputs: base)
        before.goroutines = inputs.goroutines
        before.collapse = inputs.collapse
        before.maxInputBytes = inputs.maxInputBytes
        let old = try before.context(options: options), new = try inputs.context(options: options)
        // A gate comparing a CPU profile with a heap profile would pass on nonsense.
        let oldType = old.profile.sampleTypes[old.index], newType = new.profile.sampleTypes[new.index]
        guard oldType == newType, old.profile.periodType?.type == new.profile.periodType?.type else {
            throw AppError("\(base.joined(separator: ", ")): the base measures \(oldType.type) in \(oldType.unit) but \(inputs.inputs.joined(separator: ", ")) measures \(newType.type) in \(newType.unit); compare profiles of the same kind")
        }
        let (comparison, oldScale, newScale, note) = scales(old, new)
        func scaled(_ v: Int64, _ factor: Double) -> Int64 {
            let x = (Double(v) * factor).rounded()
            return abs(x) < 9.2e18 ? Int64(x) : (x < 0 ? .min : .max)
        }
        let suffix = comparison == .perSecond ? "/s" : ""
        func result(_ name: String, _ a: Int64, _ b: Int64, limit: CheckThreshold, isNew: Bool = false, baseTotal: Int64 = 0) throws(AppError) -> Result {
            let delta = b &- a
            let change: Double
            if isNew {
                change = baseTotal == 0 ? 100 : 100 * Double(b) / Double(abs(baseTotal))
            } else {
                change = a == b ? 0 : a == 0 ? .infinity : 100 * Double(delta) / Double(abs(a))
            }
            let passed = try limit.allows(delta: delta, change: change, sampleUnit: newType.unit)
            var r = Result(name: name, before: a, after: b, beforeText: new.format(a) + suffix, afterText: new.format(b) + suffix,
                           change: change.isFinite ? change : 100, delta: delta, deltaText: (delta > 0 ? "+" : "") + new.format(delta) + suffix,
                           limit: limit.text, passed: passed)
            r.isNew = isNew || (a == 0 && b != 0)
            return r
        }
        var results: [Result] = []
        let baseTotal = scaled(old.total, oldScale)
        if let maxIncrease {
            results.append(try result("total", baseTotal, scaled(new.total, newScale), limit: maxIncrease))
        }
        let oldCum = Dictionary(TopReport(context: old).rows.map { ($0.name, $0.cum) }, uniquingKeysWith: +)
        let newCum = Dictionary(TopReport(context: new).rows.map { ($0.name, $0.cum) }, uniquingKeysWith: +)
        for rule in functionLimits {
            let regex: NameRegex
            do { regex = try NameRegex(rule.pattern) } catch { throw AppError("--max-function-increase: \(error)") }
            let names = Set(oldCum.keys).union(newCum.keys).filter { regex.matches($0) }.sorted()
            if names.isEmpty && !allowMissing {
                throw AppError("--max-function-increase '\(rule.pattern)': no function of either profile matches (a typo? --allow-missing accepts this)")
            }
            for name in names {
                results.append(try result(name, scaled(oldCum[name] ?? 0, oldScale), scaled(newCum[name] ?? 0, newScale),
                                          limit: rule.limit, isNew: oldCum[name] == nil, baseTotal: baseTotal))
            }
        }
        return Outcome(results: results, comparison: comparison, sampleType: newType.type, unit: newType.unit, note: note)
    }

    /// The factors applied to the base's and the profile's values, and why.
    private func scales(_ old: ReportContext, _ new: ReportContext) -> (Comparison, Double, Double, String?) {
        if normalize {
            guard old.total != 0 else { return (.normalized, 1, 1, "--normalize: the base's total is 0, values compared as they are") }
            let factor = Double(new.total) / Double(old.total)
            return (.normalized, factor, 1, String(format: "--normalize: base values scaled by %.4g to the profile's total", factor))
        }
        let a = old.profile.durationNanos, b = new.profile.durationNanos
        guard old.profile.periodType?.type == "cpu", a > 0, b > 0, a != b else { return (.absolute, 1, 1, nil) }
        let note = "durations differ (base \(Units.label(a, unit: "nanoseconds")), profile \(Units.label(b, unit: "nanoseconds"))): CPU compared per second of profile"
        return (.perSecond, 1e9 / Double(a), 1e9 / Double(b), note)
    }

    /// One line per check: `FAIL total: 1.20s → 1.50s (+300ms, +25.0%, limit 10%)`.
    public static func text(_ outcome: Outcome) -> String {
        var out = outcome.note.map { "note: \($0)\n" } ?? ""
        for r in outcome.results {
            let change = r.isNew ? String(format: "new, %.1f%% of the base total", r.change) : String(format: "%+.1f%%", r.change)
            out += "\(r.passed ? "ok  " : "FAIL") \(TerminalText.escaped(r.name)): \(r.beforeText) → \(r.afterText) (\(r.deltaText), \(change), limit \(r.limit))\n"
        }
        let failed = outcome.results.filter { !$0.passed }.count
        let count = outcome.results.count
        out += failed == 0 ? "check passed: \(count) values within limits\n" : "check failed: \(failed) of \(count) values over their limit\n"
        return out
    }

    /// The outcome as a version-1 JSON document (see docs/json.md).
    public static func json(_ outcome: Outcome) -> String {
        struct Document: Encodable {
            let schema = JSONSchemaVersion.current
            let kind = "check"
            let passed: Bool
            let sampleType: String
            let unit: String
            let comparison: Comparison
            let note: String?
            let checks: [Result]
        }
        return JSONSchemaVersion.encode(Document(passed: outcome.passed, sampleType: outcome.sampleType, unit: outcome.unit,
                                                 comparison: outcome.comparison, note: outcome.note, checks: outcome.results))
    }
}
