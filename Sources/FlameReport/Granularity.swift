import FlameModel

/// What makes two frames the same node of a report (pprof's `-functions`, `-filefunctions`,
/// `-files`, `-lines`).
public enum Granularity: String, CaseIterable, Sendable {
    case functions, filefunctions, files, lines

    /// pprof's `PrintableName` of a frame at this granularity; `<unknown>` when it would be empty.
    func printableName(_ frame: Frame) -> String {
        let name = components(frame)
        return name.isEmpty ? "<unknown>" : name
    }

    private func components(_ frame: Frame) -> String {
        switch self {
        case .functions:
            return frame.name
        case .filefunctions:
            return frame.file.isEmpty || frame.name.isEmpty ? frame.name + frame.file : frame.name + " " + frame.file
        case .files:
            return frame.file.isEmpty ? frame.name : frame.file
        case .lines:
            if frame.line != 0 { return frame.name + " " + frame.file + ":" + String(frame.line) }
            return frame.file.isEmpty ? frame.name : frame.name + " " + frame.file
        }
    }
}
