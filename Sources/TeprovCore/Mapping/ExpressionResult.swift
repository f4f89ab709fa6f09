/// The outcome of evaluating an expression for one user.
public struct ExpressionResult: Sendable, Hashable {
    /// The value, untyped (a string, boolean, number or several values); `nil` is Entra's null, which is not sent
    /// and on create lets the mapping's `default` apply. Unlike record values, text here may be empty or padded
    /// (`Left([x], 0)` is `""`); `TargetValueType` turns a value into what a target attribute holds.
    public var value: AttributeValue?
    /// Problems met on the way, one sentence each (a multi-valued attribute where one value is needed, a
    /// `Mid` start below 1, a regex that timed out, ...). Empty on the common path.
    public var diagnostics: [String]
    /// `true` when `IgnoreFlowIfNullOrEmpty` met a null or empty value: Entra drops the attribute from the flow
    /// entirely, so it is not sent and the mapping's `default` does not apply either. `value` is then `nil`.
    public var ignoreFlow: Bool

    public init(value: AttributeValue?, diagnostics: [String] = [], ignoreFlow: Bool = false) {
        self.value = value
        self.diagnostics = diagnostics
        self.ignoreFlow = ignoreFlow
    }
}
