import FlameImport

/// libFuzzer entry: the goroutine dump parser (debug=1 and debug=2).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGoroutine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? GoroutineDumpParser().parse(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// SwiftPM names an executable's entry point `<target>_main`; hand it to libFuzzer's driver.
@_cdecl("FuzzGoroutine_main")
public func fuzzGoroutineMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzGoroutine)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
