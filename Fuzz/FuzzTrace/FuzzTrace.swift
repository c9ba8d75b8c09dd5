import FlameTrace
import FuzzSupport

/// libFuzzer entry: the Go execution trace reader, its ordering, every profile and analysis.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrace(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
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
