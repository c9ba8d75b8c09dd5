import Foundation
/// Limits that keep hostile input from exhausting memory; generous for real profiles.
public enum ImportLimits {
    /// Frames in one stack (folded line, pprof sample, goroutine).
    public static let maxStackDepth = 1_000_000
    /// Bytes in one name (frame, string table entry).
    public static let maxNameBytes = 1 << 20
    /// Frames of all samples together, inlined calls expanded (4 bytes each in memory).
    public static let maxTotalFrames = 200_000_000
}

/// Why an input could not be read. Every case reads as one line for the user.
public enum ImportError: Error, Equatable, CustomStringConvertible {
    case empty
    case badGzip(String)
    case tooLarge(limit: Int)
    case malformedProto(String)
    case invalidProfile(String)
    case unrecognizedFormat
    case unreadable(String)
    case limitExceeded(String)

    public var description: String {
        switch self {
        case .empty: return "input is empty"
        case .badGzip(let why): return "corrupt gzip data: \(why)"
        case .tooLarge(let limit): return "input decompresses to more than \(limit >> 20) MiB (raise the limit with --max-input-mb)"
        case .malformedProto(let why): return "malformed pprof profile: \(why)"
        case .invalidProfile(let why): return "invalid pprof profile: \(why)"
        case .unrecognizedFormat: return "unrecognized format: not a pprof profile (gzipped or raw), folded stacks, a goroutine dump, perf script or DTrace output"
        case .unreadable(let why): return why
        case .limitExceeded(let why): return why
        }
    }
}

/// Warnings about an input that was read anyway (skipped or unparsed parts): one line each on
/// standard error, so the numbers are never silently incomplete.
public enum ImportWarnings {
    public static func emit(_ message: String) {
        FileHandle.standardError.write(Data(("flamegen: warning: " + message + "\n").utf8))
    }
}
