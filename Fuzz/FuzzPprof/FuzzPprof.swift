import FuzzBodies
import FuzzSupport

/// libFuzzer target FuzzPprof: `FuzzBodies.pprof` on each input (see `make fuzz`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPprof(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzBodies.pprof(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_cdecl("FuzzPprof_main")
public func fuzzPprofMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzPprof)
}
