import FlameImport
import FuzzSupport

/// libFuzzer entry: the perf script and DTrace collapsers, with options taken from the first byte.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCollapse(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var options = CollapseOptions()
    if let flags = bytes.first {
        options.includePid = flags & 1 != 0
        options.includeTid = flags & 2 != 0
        options.annotateKernel = flags & 4 != 0
        options.annotateJit = flags & 8 != 0
        options.includeAddrs = flags & 16 != 0
        options.includeOffset = flags & 32 != 0
        if flags & 64 != 0 { options.skipAfter = ["main"] }
    }
    var perf = PerfScriptCollapser(options: options)
    var dtrace = DTraceCollapser(options: options)
    for line in bytes.dropFirst().split(separator: 0x0A, omittingEmptySubsequences: false) {
        try? perf.line(line)
        try? dtrace.line(line)
    }
    try? perf.finish()
    try? dtrace.finish()
    _ = perf.result.foldedText()
    _ = dtrace.result.foldedText()
    _ = PerfScriptCollapser.looksLikePerfScript(bytes)
    _ = DTraceCollapser.looksLikeDTrace(bytes)
    return 0
}

@_cdecl("FuzzCollapse_main")
public func fuzzCollapseMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzCollapse)
}
