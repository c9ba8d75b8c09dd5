import FuzzBodies
import FuzzSupport

/// libFuzzer target FuzzProfileShapes: `FuzzBodies.profileShapes` on each input (see `make fuzz`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProfileShapes(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzBodies.profileShapes(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_cdecl("FuzzProfileShapes_main")
public func fuzzProfileShapesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzProfileShapes)
}
