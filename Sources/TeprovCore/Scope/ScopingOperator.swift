/// An operator of an Entra scoping-filter clause (SPEC §4, entra-provisioning-semantics §2).
///
/// The raw value is the spelling Entra's portal shows and SPEC §4 lists. Parsing is forgiving:
/// case is ignored and `_` equals a space, so `NOT EQUALS`, `not equals`, `NOT_EQUALS` (Graph's
/// `operatorName` style) and `GREATER_THAN` all parse. A config can never mean anything else by a
/// differently-cased operator name, so being strict would only turn typos into failed runs.
public enum ScopingOperator: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The attribute equals `value` exactly (case-sensitive).
    case equals = "EQUALS"
    /// The attribute is present and differs from `value` (case-sensitive).
    case notEquals = "NOT EQUALS"
    /// The attribute contains `value` (case-sensitive, ordinal, like .NET `String.Contains`).
    case includes = "Includes"
    /// `value` contains the attribute's value (the attribute is one of the strings in `value`).
    case containedIn = "&"
    /// `value` does not contain the attribute's value.
    case notContainedIn = "!&"
    /// The attribute ends with `value` (case-sensitive).
    case endsWith = "ENDS_WITH"
    /// The ICU regular expression `value` matches somewhere in the attribute (unanchored).
    case regexMatch = "REGEX MATCH"
    /// The ICU regular expression `value` matches nowhere in the attribute.
    case notRegexMatch = "NOT REGEX MATCH"
    /// The attribute is a boolean holding true.
    case isTrue = "IS TRUE"
    /// The attribute is a boolean holding false.
    case isFalse = "IS FALSE"
    /// The attribute is absent or empty.
    case isNull = "IS NULL"
    /// The attribute is present and not empty.
    case isNotNull = "IS NOT NULL"
    /// The attribute is an integer greater than the integer `value`.
    case greaterThan = "Greater_Than"
    /// The attribute is an integer greater than or equal to the integer `value`.
    case greaterThanOrEquals = "Greater_Than_OR_EQUALS"

    /// Parses an operator name in any case, with `_` and spaces interchangeable; `nil` when unknown.
    public init?(name: String) {
        let wanted = Self.canonical(name)
        guard let match = Self.allCases.first(where: { Self.canonical($0.rawValue) == wanted }) else { return nil }
        self = match
    }

    /// `true` for operators that compare with `value`; the others (`IS …`) take none.
    public var needsValue: Bool {
        switch self {
        case .isTrue, .isFalse, .isNull, .isNotNull: return false
        default: return true
        }
    }

    /// `true` for the operators whose `value` must be an integer.
    public var comparesIntegers: Bool { self == .greaterThan || self == .greaterThanOrEquals }

    /// `true` for the operators whose `value` is a regular expression.
    public var usesRegex: Bool { self == .regexMatch || self == .notRegexMatch }

    public var description: String { rawValue }

    /// The spellings SPEC §4 lists, for error messages.
    public static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }

    private static func canonical(_ name: String) -> String {
        var folded = ""
        var pendingSpace = false
        for character in name.uppercased() {
            if character == "_" || character.isWhitespace {
                pendingSpace = !folded.isEmpty
                continue
            }
            if pendingSpace { folded.append(" ") }
            pendingSpace = false
            folded.append(character)
        }
        return folded
    }
}
