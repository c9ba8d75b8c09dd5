import FlameTrace
import FuzzSupport

/// libFuzzer entry: the Go execution trace reader, its ordering, every profile and analysis.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrace(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // Read a few bytes at a time too (headers and batches cut anywhere), as files are read.
    let chunk = Int(bytes.first ?? 0) % 61 + 1
    let chunked = Trace.streaming(size: bytes.count) { () throws(TraceError) -> Trace.Chunks in
        var offset = 0
        return { () throws(TraceError) -> [UInt8] in
            defer { offset = min(bytes.count, offset + chunk) }
            return Array(bytes[offset..<min(bytes.count, offset + chunk)])
        }
    }
    _ = try? GoroutineAnalysis(events: chunked)
    _ = try? MutatorUtilization(events: chunked, rules: .goToolTrace)
    guard let trace = try? Trace.parse(bytes) else { return 0 }
    for kind in TraceProfileKind.allCases { _ = trace.profile(kind) }
    let analysis = GoroutineAnalysis(trace)
    _ = analysis.groups
    _ = AnnotationTables(trace: trace, analysis: analysis)
    return 0
}

@_cdecl("FuzzTrace_main")
public func fuzzTraceMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzTrace)
}
