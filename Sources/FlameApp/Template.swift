/// Fills `{{name}}` placeholders in one pass over the template: text that has been put in is
/// never scanned again, so a value (a function name, a file name) that contains `{{flame}}`
/// stays text. Unknown placeholders are left as they are.
public enum Template {
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}"), let value = values[String(after[..<close.lowerBound])] else {
                out += "{{"
                rest = after
                continue
            }
            out += value
            rest = after[close.upperBound...]
        }
        return out + rest
    }
}
