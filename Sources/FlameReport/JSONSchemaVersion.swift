import Foundation

/// The versioned JSON that flamegen writes for pipelines (`top`, `peek`, `check`, `report`'s
/// `summary.json`): every document carries `"schema": 1` and a `kind`; raw values are integers
/// in the unit named by `unit` (`nanoseconds`, `bytes`, `count`, …), and display strings are
/// separate `…Text` fields. Described in docs/json.md and docs/flamegen.schema.json.
public enum JSONSchemaVersion {
    public static let current = 1

    /// Pretty-printed with sorted keys (byte-identical for the same input), ending in a newline.
    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
