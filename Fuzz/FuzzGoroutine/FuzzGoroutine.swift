import FlameImport
import FuzzSupport

/// libFuzzer entry: the goroutine dump parser (debug=1 and debug=2).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGoroutine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? GoroutineDumpParser().parse(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_cdecl("FuzzGoroutine_main")
public func fuzzGoroutineMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzGoroutine)
}
