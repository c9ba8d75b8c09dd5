import FlameModel
import Foundation

/// Reads profile files of any supported format, sniffing the format from the content
/// (gzip magic, protobuf shape, text lines), never from the file name.
public struct ProfileLoader: Sendable {
    /// Inputs that decompress to more than this many bytes are refused (gzip bombs).
    public var maxDecompressedBytes: Int
    /// How goroutine dumps become stacks.
    public var goroutines = GoroutineDumpParser()

    public init(maxDecompressedBytes: Int = 4 << 30, goroutines: GoroutineDumpParser = GoroutineDumpParser()) {
        self.maxDecompressedBytes = maxDecompressedBytes
        self.goroutines = goroutines
    }

    
    /// A failure to load one file: the path and the reason, printed as one line.
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let reason: ImportError
        public var description: String { "\(path): \(reason)" }
    }

    /// Loads one file (`-` is standard input).
    public func load(path: String) throws(Failure) -> Profile {
        try load(paths: [path])
    }

    /// Loads several files. Folded files are concatenated (as flamegraph.pl reads several inputs);
    /// pprof files and goroutine dumps are merged (as pprof does); folded files cannot be mixed
    /// with the others.
    public func load(paths: [String]) throws(Failure) -> Profile {
        var folded = FoldedParser()
        var sawFolded = false
        var pprofs: [Profile] = []
        for path in paths {
            // Big plain-text folded files are parsed where they lie, mapped.
            if path != "-", let mapped = MappedFile(path: path), mapped.bytes.count >= 1 << 24 {
                guard mapped.bytes.count <= maxDecompressedBytes else { throw Failure(path: path, reason: .tooLarge(limit: maxDecompressedBytes)) }
                let head = Array(mapped.bytes.prefix(4096))
                if !Gzip.isGzip(head), Self.looksLikeText(head), !GoroutineDumpParser.looksLikeDump(head), !GoHeapTextParser.looksLikeHeapText(head) {
                    guard pprofs.isEmpty else { throw Failure(path: path, reason: .unreadable("cannot mix pprof and folded inputs")) }
                    let before = folded.sampleCount
                    let started = Date()
                    if mapped.bytes.count >= Progress.threshold { Progress.note("parsing \(path) (\(Progress.size(mapped.bytes.count)))…") }
                    folded.parseInParallel(mapped.bytes, parts: ProcessInfo.processInfo.activeProcessorCount)
                    if mapped.bytes.count >= Progress.threshold {
                        Progress.note(String(format: "parsed %d stacks in %.1f s; building the graph…", folded.sampleCount - before, Date().timeIntervalSince(started)))
                    }
                    if let limit = folded.limitError { throw Failure(path: path, reason: limit) }
                    if folded.sampleCount == before { throw Failure(path: path, reason: .unrecognizedFormat) }
                    sawFolded = true
                    continue
                }
            }
            let bytes = try read(path)
            do {
                switch try sniff(bytes) {
                case .pprof(let data):
                    guard !sawFolded else { throw ImportError.unreadable("cannot mix pprof and folded inputs") }
                    pprofs.append(try PprofDecoder.decode(data))
                case .heapText(let data):
                    guard !sawFolded else { throw ImportError.unreadable("cannot mix heap profiles and folded inputs") }
                    pprofs.append(try GoHeapTextParser.parse(data))
                case .goroutineDump(let data):
                    guard !sawFolded else { throw ImportError.unreadable("cannot mix goroutine dumps and folded inputs") }
                    pprofs.append(try goroutines.parse(data))
                case .folded(let data):
                    guard pprofs.isEmpty else { throw ImportError.unreadable("cannot mix pprof and folded inputs") }
                    let before = (folded.sampleCount, folded.skippedLines)
                    data.withUnsafeBytes { folded.parseInParallel($0, parts: ProcessInfo.processInfo.activeProcessorCount) }
                    if let limit = folded.limitError { throw limit }
                    if folded.sampleCount == before.0 {
                        throw folded.skippedLines > before.1 ? ImportError.unrecognizedFormat : ImportError.unreadable("no stacks found")
                    }
                    sawFolded = true
                }
            } catch let error as ImportError {
                throw Failure(path: path, reason: error)
            } catch {
                throw Failure(path: path, reason: .unrecognizedFormat)
            }
        }
        if pprofs.count == 1 { return pprofs[0] }
        if pprofs.count > 1 {
            do { return try Profile.merge(pprofs) } catch {
                throw Failure(path: paths.joined(separator: ", "), reason: .unreadable(error.description))
            }
        }
        return folded.profile()
    }

    enum Sniffed { case pprof([UInt8]), folded([UInt8]), goroutineDump([UInt8]), heapText([UInt8]) }

    func sniff(_ raw: [UInt8]) throws(ImportError) -> Sniffed {
        guard !raw.isEmpty else { throw .empty }
        let bytes = Gzip.isGzip(raw) ? try Gzip.decompress(raw, limit: maxDecompressedBytes) : raw
        guard !bytes.isEmpty else { throw .empty }
        if Self.looksLikeText(bytes) {
            if GoHeapTextParser.looksLikeHeapText(bytes) { return .heapText(bytes) }
            return GoroutineDumpParser.looksLikeDump(bytes) ? .goroutineDump(bytes) : .folded(bytes)
        }
        guard PprofDecoder.looksLikeProfile(bytes) else { throw .unrecognizedFormat }
        return .pprof(bytes)
    }

    /// Text has no NUL and few control bytes (tab, newline, CR and form feed aside) in its head;
    /// protobuf is full of them. A stray control character in a frame name stays text.
    static func looksLikeText(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(4096)
        var control = 0
        for b in head where b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C {
            if b == 0 { return false }
            control += 1
        }
        return control * 50 <= head.count
    }

    func read(_ path: String) throws(Failure) -> [UInt8] {
        let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY)
        guard fd >= 0 else {
            let why = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
            throw Failure(path: path, reason: .unreadable(why))
        }
        defer { if path != "-" { close(fd) } }
        var info = stat()
        var expected = 1 << 20
        if fstat(fd, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw Failure(path: path, reason: .unreadable("is a directory")) }
            if (info.st_mode & S_IFMT) == S_IFREG {
                guard Int(info.st_size) <= maxDecompressedBytes else { throw Failure(path: path, reason: .tooLarge(limit: maxDecompressedBytes)) }
                expected = Int(info.st_size) + 1
            }
        }
        // Read straight into the array: one copy, no intermediate Data.
        var out = [UInt8]()
        out.reserveCapacity(expected)
        var chunk = [UInt8](repeating: 0, count: 1 << 22)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: .unreadable("read failed: \(String(cString: strerror(errno)))"))
            }
            if n == 0 { break }
            if out.count + n > maxDecompressedBytes { throw Failure(path: path, reason: .tooLarge(limit: maxDecompressedBytes)) }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }
}
