import FlameModel

/// Bounds on what flamegen writes, so a small hostile input cannot make a huge output.
public enum OutputLimits {
    /// Text reports (`traces`, `convert --to folded`) larger than this are refused.
    public static let maxTextBytes = 256 << 20

    static func tooLarge(_ limit: Int) -> ProfileError {
        .overflow("the output would exceed \(limit >> 20) MiB; narrow it with --focus, --tagfocus or --hide")
    }
}
