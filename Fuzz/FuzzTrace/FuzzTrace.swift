import FuzzBodies
import FuzzSupport

/// libFuzzer target FuzzTrace: `FuzzBodies.trace` on each input (see `make fuzz`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrace(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzBodies.trace(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_cdecl("FuzzTrace_main")
public func fuzzTraceMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzTrace)
}
