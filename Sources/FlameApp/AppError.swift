/// A failure the CLI reports as one line, `flamegen: <what>`, with its exit code
/// (2 for bad input or usage, 1 for runtime failures).
public struct AppError: Error, CustomStringConvertible {
    public let message: String
    public let exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 2) {
        self.message = message
        self.exitCode = exitCode
    }

    public var description: String { message }
}
