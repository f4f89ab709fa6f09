/// Why an expression could not be parsed: where (1-based character position) and what to do about it.
///
/// Unknown functions, wrong argument counts, empty required arguments, invalid regular expressions in
/// `Replace` and impossible `Replace` argument combinations are syntax errors too, so a config is rejected
/// before any user is evaluated. The config loader adds the mapping's name (SPEC §4: "A syntax error is a
/// config error naming the mapping and the character position").
public struct ExpressionSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based position (in Unicode scalars) of the character where the problem was found; one past the last
    /// character when the expression ends too early.
    public let position: Int
    /// One sentence that includes the position, e.g. `expected ')' after the arguments of Join at character 27`.
    public let message: String

    public init(position: Int, message: String) {
        self.position = position
        self.message = message
    }

    public var description: String { message }
}
