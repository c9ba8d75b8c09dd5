import FlameImport
import FlameModel
import FlameReport
import FuzzSupport

/// libFuzzer entry, structured: the input drives a generator of valid-shaped profile.proto
/// (sample types, functions, locations with many inline lines, samples, labels) whose numbers
/// are pushed to extremes (0, 1, 2^31, 2^63-1, -2^63, huge IDs), then the whole pipeline runs:
/// decode, value-range check, filters, call tree, call graph and every text report.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProfileShapes(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = Input(Array(UnsafeBufferPointer(start: data, count: size)))
    let bytes = ShapeGenerator.profile(&input)
    guard let profile = try? PprofDecoder.decode(bytes), (try? profile.checkValueRange()) != nil else { return 0 }
    for i in profile.sampleTypes.indices {
        _ = try? CallTree.build(from: profile, options: TreeOptions(sampleIndex: String(i)))
        var options = ReportOptions()
        options.sampleIndex = String(i)
        options.filter.tagFocus = "k=v"
        if input.bool() { options.filter.hide = "f1" }
        guard let context = try? ReportContext(profile: profile, options: options) else { continue }
        _ = TopReport(context: context).text()
        _ = try? TracesReport(context: context).text()
        _ = TagsReport(context: context).text()
        _ = DotGraph(context: context).dotText()
        _ = try? PeekReport(context: context, pattern: ".").text()
    }
    return 0
}

/// Reads choices from the fuzzer's bytes (zeros once exhausted).
struct Input {
    var bytes: [UInt8]
    var at = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    mutating func byte() -> UInt8 { defer { at += 1 }; return at < bytes.count ? bytes[at] : 0 }
    mutating func bool() -> Bool { byte() & 1 == 1 }
    mutating func small(_ limit: Int) -> Int { Int(byte()) % max(1, limit) }
    /// A number from a list of extremes, or a small one.
    mutating func number() -> UInt64 {
        let extremes: [UInt64] = [0, 1, 2, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, UInt64(Int64.max), UInt64(bitPattern: Int64.min),
                                  UInt64.max, UInt64(bitPattern: -1), 1 << 40]
        let b = byte()
        return b < 128 ? UInt64(b) : extremes[Int(b) % extremes.count]
    }
}

/// Writes profile.proto messages from fuzzer choices.
enum ShapeGenerator {
    static func varint(_ v: UInt64, _ out: inout [UInt8]) {
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }
    static func field(_ n: UInt64, _ payload: [UInt8], _ out: inout [UInt8]) {
        varint(n << 3 | 2, &out); varint(UInt64(payload.count), &out); out += payload
    }
    static func number(_ n: UInt64, _ v: UInt64, _ out: inout [UInt8]) { varint(n << 3, &out); varint(v, &out) }

    static func profile(_ input: inout Input) -> [UInt8] {
        var out: [UInt8] = []
        let strings = ["", "samples", "count", "bytes", "f1", "f2", "k", "v", "main", "{{flame}}", "a;b 12"]
        let types = 1 + input.small(3)
        for _ in 0..<types {
            var t: [UInt8] = []
            number(1, UInt64(1 + input.small(strings.count - 1)), &t); number(2, UInt64(input.small(strings.count)), &t)
            field(1, t, &out)
        }
        let functions = 1 + input.small(6)
        for f in 1...functions {
            var m: [UInt8] = []
            number(1, input.bool() ? UInt64(f) : input.number(), &m)
            number(2, UInt64(input.small(strings.count)), &m)
            number(5, input.number(), &m)
            field(5, m, &out)
        }
        let locations = 1 + input.small(5)
        for l in 1...locations {
            var m: [UInt8] = []
            number(1, input.bool() ? UInt64(l) : input.number(), &m)
            for _ in 0..<(1 + input.small(40)) {
                var line: [UInt8] = []
                number(1, UInt64(1 + input.small(functions)), &line)
                number(2, input.number(), &line)
                field(4, line, &m)
            }
            field(4, m, &out)
        }
        for _ in 0..<(1 + input.small(20)) {
            var m: [UInt8] = []
            var ids: [UInt8] = []
            for _ in 0..<(input.small(30)) { varint(UInt64(1 + input.small(locations)), &ids) }
            field(1, ids, &m)
            var values: [UInt8] = []
            for _ in 0..<types { varint(input.number(), &values) }
            field(2, values, &m)
            if input.bool() {
                var label: [UInt8] = []
                number(1, UInt64(6 + input.small(2)), &label)
                if input.bool() { number(2, 7, &label) } else { number(3, input.number(), &label); number(4, 3, &label) }
                field(3, label, &m)
            }
            field(2, m, &out)
        }
        if input.bool() { number(7, 4, &out) } // drop_frames "f1"
        for s in strings { field(6, Array(s.utf8), &out) }
        return out
    }
}

@_cdecl("FuzzProfileShapes_main")
public func fuzzProfileShapesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzProfileShapes)
}
