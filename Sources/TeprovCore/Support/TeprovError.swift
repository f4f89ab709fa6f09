/// The error every stage throws: a code that decides the exit status, one plain sentence,
/// and where the problem is (file and line when known).
public struct TeprovError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure this is; the CLI maps it to the exit codes of SPEC §1.
    public enum Code: String, Sendable, Equatable {
        /// Unreadable or malformed document, partial export, empty source (exit 4).
        case input
        /// Invalid configuration (exit 4).
        case config
        /// File system failure (exit 4).
        case io
        /// Refused for safety (exit 3).
        case safety
        /// Bad command-line usage (exit 64).
        case usage
    }

    public var code: Code
    /// One sentence: what is wrong and what to do.
    public var message: String
    public var file: String?
    public var line: Int?

    public init(_ code: Code, _ message: String, file: String? = nil, line: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// The exit status SPEC §1 assigns to this error.
    public var exitCode: Int32 {
        switch code {
        case .input, .config, .io: return 4
        case .safety: return 3
        case .usage: return 64
        }
    }

    /// `file, line N: message` (or just the message when no file is known).
    public var description: String {
        guard let file else { return message }
        if let line { return "\(file), line \(line): \(message)" }
        return "\(file): \(message)"
    }
}
