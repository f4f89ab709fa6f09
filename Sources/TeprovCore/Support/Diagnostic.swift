/// A record-level problem or warning, collected and reported, never thrown away.
public struct Diagnostic: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable {
        /// The record is invalid and will never create or change a user.
        case error
        /// The record is used, but something about it deserves a look.
        case warning
        case info
    }

    public var severity: Severity
    public var file: String
    public var line: Int?
    public var message: String

    public init(_ severity: Severity, file: String, line: Int?, _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, the form `validate` prints.
    public var rendered: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
