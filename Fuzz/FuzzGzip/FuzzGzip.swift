import FuzzBodies
import FuzzSupport

/// libFuzzer target FuzzGzip: `FuzzBodies.gzip` on each input (see `make fuzz`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzBodies.gzip(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_cdecl("FuzzGzip_main")
public func fuzzGzipMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzGzip)
}
