import FlameImport
import FuzzSupport
import FlameModel

/// libFuzzer entry: the folded parser and the call tree of what it read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFolded(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var parser = FoldedParser()
    parser.parse(UnsafeRawBufferPointer(start: data, count: size))
    _ = try? CallTree.build(from: parser.profile())
    return 0
}

@_cdecl("FuzzFolded_main")
public func fuzzFoldedMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzFolded)
}
