import CRE2

/// The one regular-expression type of flamegen: Go's RE2 syntax (what pprof accepts) matched
/// in linear time by Debian's RE2, so no pattern and no name can make a match take long.
/// Used for every filter, search, peek/list pattern and `drop_frames`/`keep_frames`.
public final class NameRegex: @unchecked Sendable {
    private let handle: OpaquePointer
    public let pattern: String

    /// Compiles `pattern`; the error carries RE2's reason.
    public init(_ pattern: String) throws(ProfileError) {
        var error = [CChar](repeating: 0, count: 256)
        let compiled = pattern.utf8CString.withUnsafeBufferPointer { p in
            flamegen_re2_compile(p.baseAddress, p.count - 1, &error, error.count)
        }
        guard let compiled else {
            let reason = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw .badRegex("invalid regular expression \"\(pattern)\": \(reason)")
        }
        handle = compiled
        self.pattern = pattern
    }

    deinit { flamegen_re2_free(handle) }

    /// True when the pattern matches anywhere in `text` (unanchored, like Go's MatchString).
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { flamegen_re2_search(handle, UnsafeRawPointer($0.baseAddress)?.assumingMemoryBound(to: CChar.self), $0.count) != 0 }
    }

    /// The same test on raw bytes.
    public func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        flamegen_re2_search(handle, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self), bytes.count) != 0
    }
}

extension NameRegex {
    /// `text` as a pattern that matches exactly that text (RE2 metacharacters escaped).
    public static func quoted(_ text: String) -> String {
        var out = ""
        for ch in text.unicodeScalars {
            if "\\.+*?()|[]{}^$".unicodeScalars.contains(ch) { out.append("\\") }
            out.unicodeScalars.append(ch)
        }
        return out
    }
}
