import FlameApp
import FuzzSupport

/// libFuzzer entry: report templates filled with hostile values. Values must appear verbatim
/// and never be expanded again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parts = text.split(separator: "\u{1}", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
    let template = parts[0]
    let values = ["flame": parts.count > 1 ? parts[1] : "{{graph}}", "graph": parts.count > 2 ? parts[2] : "{{flame}}", "title": "T"]
    let out = Template.fill(template, values)
    // Output never exceeds the template plus one copy of a value per placeholder in it.
    let placeholders = template.components(separatedBy: "{{").count
    let bound = template.utf8.count + placeholders * values.values.map(\.utf8.count).max()!
    precondition(out.utf8.count <= bound, "a value was expanded again")
    return 0
}

@_cdecl("FuzzTemplate_main")
public func fuzzTemplateMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzTemplate)
}
