import Foundation

/// One condition of a scoping filter: `{attribute, operator, value}` (SPEC §4).
///
/// Built only through the validating initialisers, so a clause that exists can always be evaluated:
/// its operator is known, it has a value exactly when the operator needs one, `Greater_Than*` values
/// are integers, and regular expressions are compiled (once, here).
public struct ScopingClause: Sendable, Equatable, CustomStringConvertible {
    /// The attribute to test, compared case-insensitively with the record's attribute names.
    public let attribute: AttributeKey
    /// The attribute name as the config wrote it, for messages.
    public let attributeName: String
    public let op: ScopingOperator
    /// The value to compare with (NFC), `nil` for the `IS …` operators.
    public let value: String?

    /// The integer `value` of `Greater_Than*`.
    let integerValue: Int64?
    /// The compiled `value` of `REGEX MATCH` / `NOT REGEX MATCH`.
    let regex: TimeLimitedRegex?
    /// `value` as a boolean when it is spelled as one; `EQUALS` on a boolean attribute compares booleans.
    let booleanValue: Bool?

    /// Validates and builds a clause from the config's strings.
    /// - Parameters:
    ///   - attribute: the source attribute name (any case).
    ///   - operatorName: one of SPEC §4's operators; case and `_`/space are not significant.
    ///   - value: the comparison value; required by all operators except `IS TRUE/FALSE/NULL/NOT NULL`,
    ///     which take none (an empty string counts as none).
    ///   - regexTimeLimit: the per-match limit for the regex operators.
    /// - Throws: `ScopingClauseError` naming the wrong field.
    public init(
        attribute: String, operator operatorName: String, value: String?,
        regexTimeLimit: Duration = .milliseconds(100)
    ) throws(ScopingClauseError) {
        guard let op = ScopingOperator(name: operatorName) else {
            throw ScopingClauseError(
                field: .operator,
                reason:
                    "\(operatorName.debugDescription) is not a scoping operator; use one of \(ScopingOperator.spellings)"
            )
        }
        try self.init(attributeName: attribute, op: op, value: value, regexTimeLimit: regexTimeLimit)
    }

    /// Validates and builds a clause with an already parsed operator.
    /// - Throws: `ScopingClauseError` naming the wrong field.
    public init(
        attributeName: String, op: ScopingOperator, value: String?,
        regexTimeLimit: Duration = .milliseconds(100)
    ) throws(ScopingClauseError) {
        let name = attributeName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else {
            throw ScopingClauseError(
                field: .attribute, reason: "the clause names no attribute; give the source attribute to test")
        }
        // Attribute values are NFC (SPEC §2); the value must be too, or `é` typed decomposed never matches.
        let given = value.map { $0.precomposedStringWithCanonicalMapping }.flatMap { $0.isEmpty ? nil : $0 }
        self.attribute = AttributeKey(name)
        self.attributeName = name
        self.op = op
        if !op.needsValue {
            if let given {
                throw ScopingClauseError(
                    field: .value,
                    reason: "\(op) takes no value, but \(given.debugDescription) was given; remove the value")
            }
            self.value = nil
            (integerValue, regex, booleanValue) = (nil, nil, nil)
            return
        }
        guard let given else {
            throw ScopingClauseError(field: .value, reason: "\(op) needs a value to compare \(name) with; add one")
        }
        self.value = given
        booleanValue = BooleanText.parse(given)
        if op.comparesIntegers {
            guard let number = Int64(given.trimmingCharacters(in: .whitespaces)) else {
                throw ScopingClauseError(
                    field: .value,
                    reason:
                        "the value of \(op) must be an integer, not \(given.debugDescription); write a whole number such as 10"
                )
            }
            integerValue = number
        } else {
            integerValue = nil
        }
        if op.usesRegex {
            do {
                regex = try TimeLimitedRegex(pattern: given, timeLimit: regexTimeLimit)
            } catch {
                throw ScopingClauseError(field: .value, reason: error.message)
            }
        } else {
            regex = nil
        }
    }

    /// `department EQUALS "Sales"`, `accountEnabled IS TRUE`.
    public var description: String {
        guard let value else { return "\(attributeName) \(op)" }
        return "\(attributeName) \(op) \(value.debugDescription)"
    }

    public static func == (lhs: ScopingClause, rhs: ScopingClause) -> Bool {
        lhs.attribute == rhs.attribute && lhs.op == rhs.op && lhs.value == rhs.value
    }
}
