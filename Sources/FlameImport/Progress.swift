import Foundation

/// Progress notes on stderr for work on big inputs, only when stderr is a terminal (never in
/// pipelines or logs).
public enum Progress {
    /// Inputs at least this big get notes.
    public static let threshold = 64 << 20

    public static var enabled: Bool { isatty(STDERR_FILENO) != 0 }

    public static func note(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("flamegen: \(message)\n".utf8))
    }

    /// `1.2 GB`, `350 MB`.
    public static func size(_ bytes: Int) -> String {
        bytes >= 1 << 30 ? String(format: "%.1f GB", Double(bytes) / Double(1 << 30)) : "\(bytes >> 20) MB"
    }
}
