import FuzzBodies
import FuzzSupport

/// libFuzzer target FuzzCollapse: `FuzzBodies.collapse` on each input (see `make fuzz`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCollapse(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzBodies.collapse(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_cdecl("FuzzCollapse_main")
public func fuzzCollapseMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzCollapse)
}
