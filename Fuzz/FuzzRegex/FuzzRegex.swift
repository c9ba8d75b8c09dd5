import FuzzBodies
import FuzzSupport

/// libFuzzer target FuzzRegex: `FuzzBodies.regex` on each input (see `make fuzz`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegex(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzBodies.regex(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_cdecl("FuzzRegex_main")
public func fuzzRegexMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzRegex)
}
