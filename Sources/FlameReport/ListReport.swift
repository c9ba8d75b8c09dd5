import FlameModel
import Foundation

/// pprof's `-list REGEX`: the source lines of matching functions, each with its flat and cum
/// value, from the function's first line (or five lines before the first costly one) to five lines after the last.
public struct ListReport: Sendable {
    public let context: ReportContext
    public let pattern: String
    /// Directories searched for source files (like pprof's `-source_path`); the current one if empty.
    public var sourcePath: [String] = []
    /// Prefix removed from recorded file names (`-trim_path`).
    public var trimPath: String?

    public init(context: ReportContext, pattern: String) {
        self.context = context
        self.pattern = pattern
    }

    static let margin: Int64 = 5

    public func text() throws(ProfileError) -> String {
        let regex = try NameRegex(pattern)
        var graph = CallGraph(profile: context.filtered, granularity: .lines, noInlines: context.options.noInlines)
        // Under --mean pprof's list prints raw sums against the mean total: only the total changes.
        graph.build(profile: context.filtered, index: context.index, mean: context.meanDivisor, kept: nil)
        // Matching functions (by name order) and their line nodes, in graph order.
        var byFunction: [String: [Int]] = [:]
        for n in graph.order where regex.matches(graph.nodes[n].function) {
            byFunction[graph.nodes[n].function, default: []].append(n)
        }
        guard !byFunction.isEmpty else { throw .badRegex("no matches found for regexp: \(pattern)") }
        let format = { (v: Int64) in Units.label(v, unit: context.sampleUnit, to: context.outputUnit) }
        var out = "Total: \(format(context.total))\n"
        for function in byFunction.keys.sorted() {
            var byFile: [String: [Int]] = [:]
            for n in byFunction[function]! where !graph.nodes[n].file.isEmpty {
                byFile[trimmed(graph.nodes[n].file), default: []].append(n)
            }
            if byFile.isEmpty {
                out += "No source information for \(TerminalText.escaped(function))\n"
                continue
            }
            for file in byFile.keys.sorted() {
                let nodes = byFile[file]!
                let flat = nodes.reduce(Int64(0)) { $0 + graph.nodes[$1].flat }
                let cum = nodes.reduce(Int64(0)) { $0 + graph.nodes[$1].cum }
                out += "ROUTINE ======================== \(TerminalText.escaped(function)) in \(TerminalText.escaped(file))\n"
                out += pad(format(flat)) + " " + pad(format(cum)) + " (flat, cum) " + Units.percentage(cum, of: context.total) + " of Total\n"
                guard let source = readSource(file) else {
                    out += " Error: could not find file \(file) on path \(sourcePath.isEmpty ? FileManager.default.currentDirectoryPath : sourcePath.joined(separator: ":"))\n"
                    continue
                }
                out += listing(source, nodes.map { graph.nodes[$0] }, format: format)
            }
        }
        return out
    }

    /// The window of lines around the sampled ones (pprof's `getSourceFromFile`).
    private func listing(_ source: [Substring], _ nodes: [CallGraph.Node], format: (Int64) -> String) -> String {
        var start = nodes[0].startLine != 0 ? nodes[0].startLine : nodes[0].line - Self.margin
        var end = nodes[0].line + Self.margin
        var flat: [Int64: Int64] = [:], cum: [Int64: Int64] = [:]
        for n in nodes {
            let nodeStart = n.startLine != 0 ? n.startLine : n.line - Self.margin, nodeEnd = n.line + Self.margin
            if nodeStart < start { start = nodeStart } else if nodeEnd > end { end = nodeEnd }
            flat[n.line, default: 0] += n.flat
            cum[n.line, default: 0] += n.cum
        }
        start = max(start, 1)
        var out = ""
        var line = start
        while line <= end && Int(line) <= source.count {
            let f = flat[line] ?? 0, c = cum[line] ?? 0
            let number = String(line)
            out += pad(f == 0 ? "." : format(f)) + " " + pad(c == 0 ? "." : format(c)) + " "
            out += String(repeating: " ", count: max(0, 6 - number.count)) + number + ":" + source[Int(line) - 1] + "\n"
            line += 1
        }
        return out
    }

    /// pprof's `trimPath`: removes the configured prefix (and `/proc/self/cwd/`).
    func trimmed(_ path: String) -> String {
        var prefixes = (trimPath ?? "").split(separator: ":").map(String.init)
        prefixes += ["/proc/self/cwd/./", "/proc/self/cwd/"]
        for var prefix in prefixes where !prefix.isEmpty {
            if !prefix.hasSuffix("/") { prefix += "/" }
            if path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        }
        if trimPath == nil {
            // Without a trim path, guess: strip everything up to a search directory's base name.
            for dir in sourcePath {
                let want = "/" + (dir as NSString).lastPathComponent + "/"
                if let r = path.range(of: want) { return String(path[r.upperBound...]) }
            }
        }
        return path
    }

    /// The file's lines, searched in each source directory and its parents, like pprof.
    private func readSource(_ file: String) -> [Substring]? {
        func lines(_ path: String) -> [Substring]? {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            var result = text.split(separator: "\n", omittingEmptySubsequences: false)
            if text.hasSuffix("\n") { result.removeLast() }
            return result
        }
        if file.hasPrefix("/") { return lines(file) }
        for start in sourcePath.isEmpty ? [FileManager.default.currentDirectoryPath] : sourcePath {
            var dir = URL(fileURLWithPath: start).standardizedFileURL
            while true {
                if let found = lines(dir.appendingPathComponent(file).path) { return found }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }

    private func pad(_ s: String) -> String {
        s.count >= 10 ? s : String(repeating: " ", count: 10 - s.count) + s
    }
}
