import FuzzBodies
import FuzzSupport

/// libFuzzer target FuzzGoroutine: `FuzzBodies.goroutine` on each input (see `make fuzz`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGoroutine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzBodies.goroutine(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_cdecl("FuzzGoroutine_main")
public func fuzzGoroutineMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzGoroutine)
}
