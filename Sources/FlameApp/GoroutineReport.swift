import FlameModel
import FlameReport
import FlameTrace
import Foundation

/// `flamegen goroutines`: the goroutine analysis of a trace, grouped by start function, as text
/// or JSON (schema 1, kind `goroutines`). Times are nanoseconds in JSON and Go durations in text.
public struct GoroutineReport: Sendable {
    /// Per start function, the sums of `columns`, heaviest execution first.
    public let groups: [GoroutineAnalysis.Summary]

    public init(trace: Trace) {
        groups = GoroutineAnalysis(trace).summaries(Self.columns.map(\.value))
    }

    /// The report of events as they are parsed (none kept).
    public init(events: Trace.EventSource) throws(TraceError) {
        groups = try GoroutineAnalysis(events: events).summaries(Self.columns.map(\.value))
    }

    /// The columns: a title and how to read the value from one goroutine.
    static let columns: [(title: String, key: String, value: @Sendable (GoroutineAnalysis.Goroutine) -> Int64)] = [
        ("execution", "execution", { $0.execution }),
        ("sched wait", "schedulerWait", { $0.schedulerWait }),
        ("sync block", "syncBlock", { $0.syncBlock }),
        ("network wait", "networkWait", { $0.networkWait }),
        ("syscall", "syscall", { $0.syscall }),
        ("syscall blocked", "syscallBlocked", { $0.syscallBlocked }),
        ("GC assist", "gcAssist", { $0.gcAssist }),
        ("sweep", "sweep", { $0.sweep }),
    ]

    /// The table as text cells: a header row, then one row per group.
    public func rows() -> [[String]] {
        var table = [["start function", "count"] + Self.columns.flatMap { ["\($0.title) total", "mean"] }]
        for g in groups {
            var row = [g.name.isEmpty ? "(inactive, no stack trace sampled)" : g.name, String(g.count)]
            for total in g.sums {
                row += [GoDuration.string(total), GoDuration.string(total / Int64(max(1, g.count)))]
            }
            table.append(row)
        }
        return table
    }

    public func text() -> String {
        let table = rows().map { row in [TerminalText.escaped(row[0])] + row.dropFirst() }
        let widths = (0..<table[0].count).map { i in table.map { $0[i].count }.max() ?? 0 }
        return table.map { row in
            row.enumerated().map { i, cell in
                i == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    struct Document: Encodable {
        let schema = JSONSchemaVersion.current
        let kind = "goroutines"
        let unit = "nanoseconds"
        let groups: [Group]
        struct Group: Encodable {
            let name: String
            let count: Int
            let totals: [String: Int64]
            let means: [String: Int64]
        }
    }

    public func json() -> String {
        JSONSchemaVersion.encode(Document(groups: groups.map { g in
            var totals: [String: Int64] = [:], means: [String: Int64] = [:]
            for (c, total) in zip(Self.columns, g.sums) {
                totals[c.key] = total
                means[c.key] = total / Int64(max(1, g.count))
            }
            return .init(name: g.name, count: g.count, totals: totals, means: means)
        }))
    }
}
