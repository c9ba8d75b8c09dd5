import FuzzBodies
import FuzzSupport

/// libFuzzer target FuzzFolded: `FuzzBodies.folded` on each input (see `make fuzz`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFolded(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzBodies.folded(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_cdecl("FuzzFolded_main")
public func fuzzFoldedMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzFolded)
}
