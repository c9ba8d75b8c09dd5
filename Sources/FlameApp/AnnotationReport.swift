import FlameModel
import FlameReport
import FlameTrace
import Foundation

/// `flamegen tasks`: the user task and region latency tables of a trace (go tool trace's
/// `/usertasks` and `/userregions`), as text or JSON (schema 1, kind `annotations`).
public struct AnnotationReport: Sendable {
    public let tables: AnnotationTables

    public init(trace: Trace) {
        tables = AnnotationTables(trace: trace, analysis: GoroutineAnalysis(trace))
    }

    /// The tables of events as they are parsed (none kept).
    public init(events: @escaping Trace.EventSource) throws(TraceError) {
        let capture = Trace.Capture()
        let analysis = try GoroutineAnalysis(events: capture.wrap(events))
        tables = AnnotationTables(trace: capture.trace ?? Trace(), analysis: analysis)
    }

    public func text() -> String {
        var out = "Tasks (count: complete and incomplete; durations: complete tasks)\n"
        if tables.tasks.isEmpty { out += "  (none)\n" }
        for t in tables.tasks {
            out += "\n\(TerminalText.escaped(t.type.isEmpty ? "(no type)" : t.type))  count \(t.count)\n" + Self.histogram(t.histogram)
        }
        out += "\nRegions (by type and the outermost frame where they began)\n"
        if tables.regions.isEmpty { out += "  (none)\n" }
        for r in tables.regions {
            out += "\n\(TerminalText.escaped(r.type.isEmpty ? "(unnamed: goroutines created in a region)" : r.type))  count \(r.histogram.count)\n"
            out += "  \(TerminalText.escaped(r.function)) @ 0x\(String(r.pc, radix: 16)) \(TerminalText.escaped(r.file)):\(r.line)\n"
            out += Self.histogram(r.histogram)
        }
        return out
    }

    /// One line per bucket: its lower bound, a bar and the count.
    static func histogram(_ h: AnnotationTables.Histogram) -> String {
        let rows = h.rows
        let most = rows.map(\.count).max() ?? 1
        let width = rows.map { GoDuration.string($0.minimum).count }.max() ?? 0
        return rows.map { row in
            let label = GoDuration.string(row.minimum)
            return "  " + String(repeating: " ", count: width - label.count) + label + " " + String(repeating: "█", count: row.count * 40 / max(1, most)) + " \(row.count)"
        }.joined(separator: "\n") + (rows.isEmpty ? "" : "\n")
    }

    struct Document: Encodable {
        let schema = JSONSchemaVersion.current
        let kind = "annotations"
        let unit = "nanoseconds"
        let tasks: [Row]
        let regions: [Row]
        struct Row: Encodable {
            let type: String
            let count: Int
            let function: String?
            let pc: UInt64?
            let buckets: [Bucket]
        }
        struct Bucket: Encodable {
            let minimum: Int64
            let count: Int
        }
    }

    public func json() -> String {
        func buckets(_ h: AnnotationTables.Histogram) -> [Document.Bucket] { h.rows.map { .init(minimum: $0.minimum, count: $0.count) } }
        return JSONSchemaVersion.encode(Document(
            tasks: tables.tasks.map { .init(type: $0.type, count: $0.count, function: nil, pc: nil, buckets: buckets($0.histogram)) },
            regions: tables.regions.map { .init(type: $0.type, count: $0.histogram.count, function: $0.function, pc: $0.pc, buckets: buckets($0.histogram)) }))
    }
}
