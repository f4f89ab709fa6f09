/// What one clause made of one record: the check `--explain` prints (SPEC §7, like Entra's
/// "provision on demand" scoping step: attribute, operator, expected value, actual value, result).
public struct ScopingClauseOutcome: Sendable, Equatable {
    /// Why a clause came out the way it did, when it is not the plain comparison.
    public enum Note: Sendable, Equatable {
        /// The attribute is absent or empty: every operator but `IS NULL` is false.
        case nullAttribute
        /// The attribute holds several values; Entra does not filter on multi-valued attributes.
        case multiValued
        /// `IS TRUE` / `IS FALSE` on an attribute that is not a boolean.
        case notBoolean
        /// `Greater_Than*` on an attribute that is not an integer.
        case notInteger
        /// The regular expression ran past its time limit; the clause counts as false.
        case regexTimeout(RegexTimeout)

        /// A short phrase for `--explain`.
        public var text: String {
            switch self {
            case .nullAttribute: return "the attribute is null or empty"
            case .multiValued: return "the attribute is multi-valued, which scoping filters do not support"
            case .notBoolean: return "the attribute is not a boolean"
            case .notInteger: return "the attribute is not an integer"
            case .regexTimeout(let timeout): return "the regular expression took longer than \(timeout.timeLimit)"
            }
        }
    }

    /// 0-based position of the filter in the filter set.
    public var filterIndex: Int
    /// 0-based position of the clause in its filter.
    public var clauseIndex: Int
    public var clause: ScopingClause
    /// The record's value as text (`True`/`False` for booleans, `["a", "b"]` for several values);
    /// `nil` when the record does not have the attribute.
    public var actualValue: String?
    public var result: Bool
    public var note: Note?

    public init(
        filterIndex: Int, clauseIndex: Int, clause: ScopingClause, actualValue: String?, result: Bool,
        note: Note? = nil
    ) {
        self.filterIndex = filterIndex
        self.clauseIndex = clauseIndex
        self.clause = clause
        self.actualValue = actualValue
        self.result = result
        self.note = note
    }

    /// The attribute as the config named it.
    public var attribute: String { clause.attributeName }
    public var op: ScopingOperator { clause.op }
    /// The clause's value (`nil` for the `IS …` operators).
    public var expectedValue: String? { clause.value }

    /// `scopingFilters[0][1]: department EQUALS "Sales": actual "Marketing" → false`.
    public var rendered: String {
        let actual = actualValue.map { $0.debugDescription } ?? "null"
        var line = "scopingFilters[\(filterIndex)][\(clauseIndex)]: \(clause): actual \(actual) → \(result)"
        if let note { line += " (\(note.text))" }
        return line
    }
}
