import Foundation

/// The tables of `go tool trace`'s `/usertasks` and `/userregions` pages: per task type, and per
/// region type and starting frame, how many there were and how long they took, in logarithmic
/// buckets (five per decade).
public struct AnnotationTables: Sendable {
    /// Durations in buckets `⌊ln d / ln 10^⅕⌋`, as `traceviewer.TimeHistogram` counts them.
    public struct Histogram: Sendable {
        public private(set) var buckets: [Int: Int] = [:]
        public private(set) var count = 0
        public private(set) var minBucket = 0
        public private(set) var maxBucket = 0
        static let logDivisor = log(pow(10.0, 1.0 / 5))

        mutating func add(_ nanoseconds: Int64) {
            let bucket = nanoseconds > 0 ? Int(log(Double(nanoseconds)) / Self.logDivisor) : 0
            buckets[bucket, default: 0] += 1
            // Go's own rule (its minimum only moves while no bucket above 0 was seen).
            if bucket < minBucket || maxBucket == 0 { minBucket = bucket }
            if bucket > maxBucket { maxBucket = bucket }
            count += 1
        }

        /// The lower bound of a bucket, in nanoseconds.
        public static func bucketMinimum(_ bucket: Int) -> Int64 {
            let v = exp(Double(bucket) * logDivisor)
            return v < 9.2e18 ? Int64(v) : Int64.max
        }

        /// (bucket minimum, count) from the smallest to the largest bucket, empty ones included.
        public var rows: [(minimum: Int64, count: Int)] {
            guard count > 0 else { return [] }
            return (minBucket...maxBucket).map { (Self.bucketMinimum($0), buckets[$0] ?? 0) }
        }
    }

    public struct TaskRow: Sendable {
        public var type: String
        /// Complete and incomplete tasks.
        public var count: Int
        /// Complete tasks only.
        public var histogram: Histogram
    }

    public struct RegionRow: Sendable {
        public var type: String
        public var function: String
        public var file: String
        public var line: Int64
        public var pc: UInt64
        public var histogram: Histogram
    }

    public let tasks: [TaskRow]
    public let regions: [RegionRow]

    public init(trace: Trace, analysis: GoroutineAnalysis) {
        var byType: [String: TaskRow] = [:]
        for task in analysis.tasks.values {
            var row = byType[task.name] ?? TaskRow(type: task.name, count: 0, histogram: Histogram())
            row.count += 1
            if let start = task.start, let end = task.end { row.histogram.add(end &- start) }
            byType[task.name] = row
        }
        tasks = byType.values.sorted { $0.type < $1.type }
        var byRegion: [String: RegionRow] = [:]
        // Go's reader ends with a sync event just after the last event.
        let traceEnd = trace.endTime &+ 1
        for r in analysis.regions {
            let frame = r.frame >= 0 ? trace.frames[r.frame] : nil
            let key = "\(r.name)\u{0}\(frame?.address ?? 0)"
            var row = byRegion[key] ?? RegionRow(type: r.name, function: frame?.name ?? "", file: frame?.file ?? "", line: frame?.line ?? 0,
                                                 pc: frame?.address ?? 0, histogram: Histogram())
            row.histogram.add((r.end ?? traceEnd) &- (r.start ?? trace.startTime))
            byRegion[key] = row
        }
        regions = byRegion.values.sorted { ($0.type, $0.pc) < ($1.type, $1.pc) }
    }
}
