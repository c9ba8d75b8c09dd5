import FlameModel
import FuzzSupport

/// libFuzzer entry: a pattern and a subject (split at the first NUL) through the regex engine
/// and the tag-filter parser; every match must end, whatever the pattern.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegex(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let cut = bytes.firstIndex(of: 0) ?? bytes.count
    let pattern = String(decoding: bytes[..<cut], as: UTF8.self)
    let subject = String(decoding: bytes[min(cut + 1, bytes.count)...], as: UTF8.self)
    if let regex = try? NameRegex(pattern) {
        _ = regex.matches(subject)
        _ = regex.matches(String(repeating: subject, count: 50))
    }
    let labels = [SampleLabel(key: "k", string: subject), SampleLabel(key: "bytes", number: Int64(size) << 40, numberUnit: "bytes")]
    if let filter = try? TagFilter(pattern, flag: "tagfocus", units: ["bytes": "bytes"]) { _ = filter.matches(labels) }
    return 0
}

@_cdecl("FuzzRegex_main")
public func fuzzRegexMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzRegex)
}
