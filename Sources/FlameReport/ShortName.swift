import Foundation

/// pprof's `ShortenFunctionName`: drops Go package paths (and `/vN` module versions), Java
/// packages and arguments, C++ namespaces, keeping `pkg.Func`, `Class.method`, `Class::method`.
enum ShortName {
    private static func regex(_ pattern: String) -> NSRegularExpression {
        try! NSRegularExpression(pattern: pattern)
    }

    private static let anonymousNamespace = regex(#"^\(anonymous namespace\)::"#)
    private static let goVersion = regex(#"^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$"#)
    private static let shorteners = [
        regex(#"^(?:[\w\-\.]+\/)+(.+)"#),
        regex(#"^(?:[a-z]\w*\.)*([A-Z][\w\$]*\.(?:<init>|[a-z][\w\$]*(?:\$\d+)?))(?:(?:\()|$)"#),
        regex(#"^(?:[_a-zA-Z]\w*::)+(_*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)?)"#),
    ]

    static func shorten(_ name: String) -> String {
        var f = name
        var range = NSRange(f.startIndex..., in: f)
        f = anonymousNamespace.stringByReplacingMatches(in: f, range: range, withTemplate: "")
        range = NSRange(f.startIndex..., in: f)
        f = goVersion.stringByReplacingMatches(in: f, range: range, withTemplate: "$1$2")
        range = NSRange(f.startIndex..., in: f)
        for re in shorteners {
            guard let m = re.firstMatch(in: f, range: range), m.numberOfRanges >= 2 else { continue }
            var parts = ""
            for i in 1..<m.numberOfRanges {
                if let r = Range(m.range(at: i), in: f) { parts += f[r] }
            }
            return parts
        }
        return f
    }
}
