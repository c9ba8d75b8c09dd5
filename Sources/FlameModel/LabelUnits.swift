extension Profile {
    /// The unit of each numeric label key, as pprof's `NumLabelUnits` decides it: the first unit
    /// any sample gives the key, else `bytes` for `alignment` and `request`, else the key itself.
    public func numericLabelUnits() -> [String: String] {
        var units: [String: String] = [:]
        for sampleLabels in labels.values {
            for label in sampleLabels where label.number != nil {
                if let unit = label.numberUnit, !unit.isEmpty {
                    if units[label.key] == nil || units[label.key] == "" { units[label.key] = unit }
                } else if units[label.key] == nil {
                    units[label.key] = ""
                }
            }
        }
        for (key, unit) in units where unit.isEmpty {
            units[key] = key == "alignment" || key == "request" ? "bytes" : key
        }
        return units
    }
}
