import ArgumentParser
import Foundation

/// The first word of a command line: a subcommand, or an input of the default flame command.
/// A word that is neither a subcommand nor a file, but close to a subcommand, is a typo.
enum CommandWords {
    static var names: [String] {
        Flamegen.configuration.subcommands.map { $0._commandName } + ["help"]
    }

    /// "unknown command 'topp'; did you mean 'top'?" when `word` looks like a mistyped command.
    static func unknownCommand(_ word: String) -> String? {
        guard !word.hasPrefix("-"), !FileManager.default.fileExists(atPath: word), !names.contains(word) else { return nil }
        guard !word.contains("/"), !word.contains(".") else { return nil }
        let best = names.map { ($0, distance($0, word)) }.min { $0.1 < $1.1 }
        if let (name, d) = best, d <= 2 {
            return "unknown command '\(word)'; did you mean '\(name)'? (see flamegen help)"
        }
        if word == "version" { return "unknown command 'version'; use flamegen --version" }
        return "'\(word)' is neither a command (\(names.joined(separator: ", "))) nor a file (see flamegen help)"
    }

    /// `flamegen help SUBCOMMAND` for the subcommand of a command line, else `flamegen help`.
    static func helpCommand(for arguments: [String]) -> String {
        if let word = arguments.first, names.contains(word), word != "help" { return "flamegen help \(word)" }
        return "flamegen help"
    }

    /// Levenshtein distance between two short words.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
