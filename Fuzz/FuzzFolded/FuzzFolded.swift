import FlameImport
import FlameModel

/// libFuzzer entry: the folded parser and the call tree of what it read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFolded(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var parser = FoldedParser()
    parser.parse(UnsafeRawBufferPointer(start: data, count: size))
    _ = try? CallTree.build(from: parser.profile())
    return 0
}

/// SwiftPM names an executable's entry point `<target>_main`; hand it to libFuzzer's driver.
@_cdecl("FuzzFolded_main")
public func fuzzFoldedMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzFolded)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
