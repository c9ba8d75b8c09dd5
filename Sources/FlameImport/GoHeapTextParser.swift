import FlameModel
import Foundation

/// Reads Go's text heap profile (`/debug/pprof/heap?debug=1`): a `heap profile: …@ heap/RATE`
/// header, then records `inuse_objects: inuse_bytes [alloc_objects: alloc_bytes] @ addr…` with
/// `#` symbol lines. Values are scaled for the sampling rate as pprof does, giving the four
/// sample types `alloc_objects`, `alloc_space`, `inuse_objects`, `inuse_space` (the default).
public enum GoHeapTextParser {
    public static func looksLikeHeapText(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: Array("heap profile: ".utf8))
    }

    public static func parse(_ bytes: [UInt8]) throws(ImportError) -> Profile {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
        guard let header = lines.next(), header.hasPrefix("heap profile: ") else { throw .unreadable("no `heap profile:` header") }
        var rate: Int64 = 1
        // Go prints twice its MemProfileRate after `heap/`; pprof halves it back.
        if let at = header.range(of: "@ heap/") { rate = (Int64(header[at.upperBound...].trimmingCharacters(in: .whitespaces)) ?? 2) / 2 }
        var profile = Profile(source: .pprof, sampleTypes: [
            SampleType(type: "alloc_objects", unit: "count"), SampleType(type: "alloc_space", unit: "bytes"),
            SampleType(type: "inuse_objects", unit: "count"), SampleType(type: "inuse_space", unit: "bytes"),
        ])
        var values: [Int64]?
        var frames: [Frame] = []
        func flush() {
            if let v = values { profile.addSample(stack: frames.reversed().map { profile.frames.intern($0) }, values: v) }
            values = nil
            frames = []
        }
        while let line = lines.next() {
            if line.hasPrefix("# runtime.MemStats") { break }
            if let record = Self.record(line) {
                flush()
                let (inuseObjects, inuseBytes) = try scale(record.0, record.1, rate)
                let (allocObjects, allocBytes) = try scale(record.2, record.3, rate)
                values = [allocObjects, allocBytes, inuseObjects, inuseBytes]
            } else if let frame = GoSymbolLine.frame(line) {
                frames.append(frame)
            } else if line.trimmingCharacters(in: .whitespaces).isEmpty {
                flush()
            }
        }
        flush()
        guard profile.sampleCount > 0 else { throw .unreadable("heap profile without records") }
        return profile
    }

    /// `a: b [c: d] @ …` → (a, b, c, d).
    static func record(_ line: Substring) -> (Int64, Int64, Int64, Int64)? {
        guard let at = line.range(of: " @ ") else { return nil }
        let numbers = line[..<at.lowerBound].split(whereSeparator: { ": []".contains($0) }).compactMap { Int64($0) }
        return numbers.count == 4 ? (numbers[0], numbers[1], numbers[2], numbers[3]) : nil
    }

    /// pprof's `scaleHeapSample`: undo the sampling, which keeps one allocation per `rate` bytes on average.
    /// Counts or sizes that scale beyond 64 bits (or are negative) are refused.
    static func scale(_ count: Int64, _ size: Int64, _ rate: Int64) throws(ImportError) -> (Int64, Int64) {
        if count == 0 || size == 0 { return (0, 0) }
        guard count > 0, size > 0 else { throw .unreadable("negative count or size in a heap record") }
        if rate <= 1 { return (count, size) }
        let average = Double(size) / Double(count)
        let factor = 1 / (1 - exp(-average / Double(rate)))
        do {
            return (try Checked.integer(Double(count) * factor, "a scaled heap count"),
                    try Checked.integer(Double(size) * factor, "a scaled heap size"))
        } catch {
            throw .unreadable(error.description)
        }
    }
}

/// A `#\t0xaddr\tfunc+0xoff\tfile:line` symbol line of Go's `debug=1` text profiles.
enum GoSymbolLine {
    static func frame(_ line: Substring) -> Frame? {
        guard line.hasPrefix("#\t") || line.hasPrefix("# \t") else { return nil }
        let fields = line.split(separator: "\t", omittingEmptySubsequences: true)
        guard fields.count >= 3 else { return nil }
        var name = String(fields[2])
        if let plus = name.range(of: "+0x", options: .backwards) { name = String(name[..<plus.lowerBound]) }
        let (file, number) = fields.count >= 4 ? GoroutineDumpParser.position(fields[3]) : ("", 0)
        return Frame(name: name, file: file, line: number)
    }
}
