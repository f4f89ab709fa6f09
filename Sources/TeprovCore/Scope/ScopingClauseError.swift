/// A scoping-filter clause the config cannot use: unknown operator, missing or superfluous value,
/// a non-integer value for `Greater_Than*`, an invalid regular expression.
///
/// It knows which field of the clause is wrong and, once the filter set has placed it, which clause,
/// so the config loader can name the key path (`scopingFilters[0][1].value`) and look up its line.
public struct ScopingClauseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field of the clause that is wrong.
    public enum Field: String, Sendable, Equatable {
        case attribute
        case `operator`
        case value
    }

    /// The wrong field; `nil` when the clause or filter as a whole is wrong (e.g. an empty filter).
    public var field: Field?
    /// What is wrong and what to do, without the key path (e.g. `the value of Greater_Than must be …`).
    public var reason: String
    /// Position of the filter in `scopingFilters` (0-based), when known.
    public var filterIndex: Int?
    /// Position of the clause in its filter (0-based), when known.
    public var clauseIndex: Int?

    public init(field: Field?, reason: String, filterIndex: Int? = nil, clauseIndex: Int? = nil) {
        self.field = field
        self.reason = reason
        self.filterIndex = filterIndex
        self.clauseIndex = clauseIndex
    }

    /// The key path of the wrong field below `root`, e.g. `scopingFilters[0][1].value`.
    public func keyPath(root: String = "scopingFilters") -> String {
        var path = root
        if let filterIndex { path += "[\(filterIndex)]" }
        if let clauseIndex { path += "[\(clauseIndex)]" }
        guard let field else { return path }
        return path + "." + field.rawValue
    }

    /// One sentence: `scopingFilters[0][1].value: <reason>`.
    public func message(root: String = "scopingFilters") -> String {
        "\(keyPath(root: root)): \(reason)"
    }

    /// The config error the CLI reports (exit 4), with the config file and the key's line when known.
    public func configError(root: String = "scopingFilters", file: String? = nil, line: Int? = nil) -> TeprovError {
        TeprovError(.config, message(root: root), file: file, line: line)
    }

    public var description: String { message() }

    /// The same error, placed at a clause of a filter.
    func placed(filter: Int, clause: Int) -> ScopingClauseError {
        var placed = self
        placed.filterIndex = filter
        placed.clauseIndex = clause
        return placed
    }
}
