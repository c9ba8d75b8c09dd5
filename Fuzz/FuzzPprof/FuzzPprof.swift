import FlameImport
import FuzzSupport
import FlameModel

/// libFuzzer entry: the pprof decoder, then the call tree built from whatever it accepted.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPprof(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let profile = try? PprofDecoder.decode(bytes) {
        for i in profile.sampleTypes.indices { _ = try? CallTree.build(from: profile, options: TreeOptions(sampleIndex: String(i))) }
    }
    return 0
}

@_cdecl("FuzzPprof_main")
public func fuzzPprofMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzPprof)
}
