/// One kind of value a profile records per sample, e.g. `cpu/nanoseconds` or `inuse_space/bytes`.
public struct SampleType: Equatable, Hashable, Sendable {
    /// What is measured: `samples`, `cpu`, `alloc_space`, `contentions`, …
    public var type: String
    /// The unit of the values: `nanoseconds`, `bytes`, `count`, …
    public var unit: String

    public init(type: String, unit: String) {
        self.type = type
        self.unit = unit
    }
}
