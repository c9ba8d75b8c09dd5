import FlameImport
import FuzzSupport

/// libFuzzer entry: gzip decompression with a small output cap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? Gzip.decompress(Array(UnsafeBufferPointer(start: data, count: size)), limit: 1 << 20)
    return 0
}

@_cdecl("FuzzGzip_main")
public func fuzzGzipMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzGzip)
}
