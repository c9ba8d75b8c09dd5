import Foundation

/// A validator for the part of JSON Schema (2020-12) that docs/flamegen.schema.json uses:
/// `type`, `const`, `enum`, `properties`, `required`, `additionalProperties: false`, `items`,
/// `oneOf` and local `$ref`s. Returns the violations (empty when valid).
struct JSONSchemaValidator {
    let root: [String: Any]

    init(schemaFile: URL) throws {
        root = try JSONSerialization.jsonObject(with: Data(contentsOf: schemaFile)) as! [String: Any]
    }

    func violations(of value: Any) -> [String] { check(value, root, "$") }

    private func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/") else { return schema }
        var node: Any = root
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] ?? [:] }
        return resolve(node as? [String: Any] ?? [:])
    }

    private func check(_ value: Any, _ rawSchema: [String: Any], _ path: String) -> [String] {
        let schema = resolve(rawSchema)
        var errors: [String] = []
        if let options = schema["oneOf"] as? [[String: Any]] {
            let matching = options.filter { check(value, $0, path).isEmpty }.count
            if matching != 1 { errors.append("\(path): matches \(matching) of the oneOf schemas, not exactly 1") }
        }
        if let type = schema["type"] as? String, !Self.has(value, type: type) {
            errors.append("\(path): expected \(type), found \(Swift.type(of: value))")
            return errors
        }
        if let constant = schema["const"], !Self.equal(value, constant) { errors.append("\(path): expected the constant \(constant)") }
        if let choices = schema["enum"] as? [Any], !choices.contains(where: { Self.equal(value, $0) }) {
            errors.append("\(path): \(value) is not one of \(choices)")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { errors.append("\(path): missing \(key)") }
            for (key, v) in object {
                if let p = properties[key] {
                    errors += check(v, p, "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    errors.append("\(path): unexpected field \(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, v) in array.enumerated() { errors += check(v, items, "\(path)[\(i)]") }
        }
        return errors
    }

    /// JSON types of Foundation's parsed values (booleans and numbers are both NSNumber).
    static func has(_ value: Any, type: String) -> Bool {
        let number = value as? NSNumber
        // Foundation parses true/false as its boolean NSNumber subclass.
        let isBool = String(describing: Swift.type(of: value)).contains("Boolean")
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return isBool
        case "number": return number != nil && !isBool
        case "integer": return number != nil && !isBool && number!.doubleValue.rounded() == number!.doubleValue
        default: return false
        }
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        if let x = a as? String, let y = b as? String { return x == y }
        if let x = a as? NSNumber, let y = b as? NSNumber { return x == y }
        return false
    }
}
