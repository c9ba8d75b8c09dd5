import FlameModel
import FlameReport
import Foundation

/// `flamegen check`: a CI gate comparing a profile with a base. Fails when the total, or the
/// cumulative value of functions matching a pattern, grew by more than a limit.
public struct RegressionCheck: Sendable {
    /// A per-function limit: functions whose name matches `pattern` may grow by `percent`.
    public struct FunctionLimit: Sendable {
        public let pattern: String
        public let percent: Double

        /// Parses `regex=5%`.
        public init(_ spec: String) throws(AppError) {
            guard let eq = spec.lastIndex(of: "="), let p = RegressionCheck.percent(String(spec[spec.index(after: eq)...])) else {
                throw AppError("--max-function-increase '\(spec)': expected REGEX=PERCENT, e.g. 'json\\.=5%'")
            }
            pattern = String(spec[..<eq])
            percent = p
        }
    }

    /// The verdict on one measured value.
    public struct Result: Codable, Sendable {
        public let name: String
        public let before: Int64
        public let after: Int64
        public let beforeText: String
        public let afterText: String
        /// Growth in percent of `before`; for a function new in the profile (`isNew`), its
        /// value in percent of the base's total.
        public let change: Double
        public let limit: Double
        public let passed: Bool
        /// The function is not in the base at all.
        public var isNew = false

        enum CodingKeys: String, CodingKey {
            case name, before, after, beforeText, afterText, change, limit, passed
            case isNew = "new"
        }
    }

    public var base: [String]
    public var inputs: ReportInputs
    public var sampleIndex: String?
    public var maxIncrease: Double?
    public var functionLimits: [FunctionLimit] = []
    /// A function rule that matches no function is allowed (otherwise an error: a typo in a
    /// pattern would silently disable the gate).
    public var allowMissing = false

    public init(base: [String], inputs: ReportInputs) {
        self.base = base
        self.inputs = inputs
    }

    /// `10%` or `10` → 10.
    public static func percent(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces)
        guard let v = Double(t.hasSuffix("%") ? String(t.dropLast()) : t), v.isFinite, v >= 0 else { return nil }
        return v
    }

    public func run() throws(AppError) -> [Result] {
        var options = ReportOptions()
        options.sampleIndex = sampleIndex
        options.nodeFraction = 0
        options.edgeFraction = 0
        var before = ReportInputs(inputs: base)
        before.goroutines = inputs.goroutines
        before.maxInputBytes = inputs.maxInputBytes
        let old = try before.context(options: options), new = try inputs.context(options: options)
        // A gate comparing a CPU profile with a heap profile would pass on nonsense.
        let oldType = old.profile.sampleTypes[old.index], newType = new.profile.sampleTypes[new.index]
        guard oldType == newType, old.profile.periodType?.type == new.profile.periodType?.type else {
            throw AppError("\(base.joined(separator: ", ")): the base measures \(oldType.type) in \(oldType.unit) but \(inputs.inputs.joined(separator: ", ")) measures \(newType.type) in \(newType.unit); compare profiles of the same kind")
        }
        let oldTop = TopReport(context: old), newTop = TopReport(context: new)
        func growth(_ a: Int64, _ b: Int64) -> Double {
            if a == b { return 0 }
            return a == 0 ? .infinity : 100 * Double(b - a) / Double(abs(a))
        }
        var results: [Result] = []
        if let maxIncrease {
            let a = old.total, b = new.total
            let change = growth(a, b)
            results.append(Result(name: "total", before: a, after: b, beforeText: old.format(a), afterText: new.format(b),
                                  change: change, limit: maxIncrease, passed: change <= maxIncrease))
        }
        let oldCum = Dictionary(oldTop.rows.map { ($0.name, $0.cum) }, uniquingKeysWith: +)
        let newCum = Dictionary(newTop.rows.map { ($0.name, $0.cum) }, uniquingKeysWith: +)
        for limit in functionLimits {
            let regex: NameRegex
            do { regex = try NameRegex(limit.pattern) } catch { throw AppError("--max-function-increase: \(error)") }
            let names = Set(oldCum.keys).union(newCum.keys).filter { regex.matches($0) }.sorted()
            if names.isEmpty && !allowMissing {
                throw AppError("--max-function-increase '\(limit.pattern)': no function of either profile matches (a typo? --allow-missing accepts this)")
            }
            for name in names {
                let a = oldCum[name] ?? 0, b = newCum[name] ?? 0
                let isNew = oldCum[name] == nil
                let change = isNew ? (old.total == 0 ? 100 : 100 * Double(b) / Double(abs(old.total))) : growth(a, b)
                var result = Result(name: name, before: a, after: b, beforeText: old.format(a), afterText: new.format(b),
                                    change: change, limit: limit.percent, passed: change <= limit.percent)
                result.isNew = isNew
                results.append(result)
            }
        }
        return results
    }

    /// One line per check: `FAIL total: 1.20s → 1.50s (+25.0%, limit 10%)`.
    public static func text(_ results: [Result]) -> String {
        var out = ""
        for r in results {
            let change = r.isNew ? String(format: "new, %.1f%% of the base total", r.change)
                : r.change.isInfinite ? "new" : String(format: "%+.1f%%", r.change)
            out += "\(r.passed ? "ok  " : "FAIL") \(r.name): \(r.beforeText) → \(r.afterText) (\(change), limit \(String(format: "%g", r.limit))%)\n"
        }
        let failed = results.filter { !$0.passed }.count
        out += failed == 0 ? "check passed: \(results.count) values within limits\n" : "check failed: \(failed) of \(results.count) values over their limit\n"
        return out
    }

    public static func json(_ results: [Result]) -> String {
        struct Document: Encodable {
            let passed: Bool
            let checks: [Result]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = (try? encoder.encode(Document(passed: results.allSatisfy(\.passed), checks: results))) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
