/// Every scoping check made for one record, for `plan --explain` (SPEC §7).
public struct ScopingExplanation: Sendable, Equatable {
    /// One filter's clauses and whether all of them held.
    public struct FilterOutcome: Sendable, Equatable {
        /// 0-based position in `scopingFilters`.
        public var index: Int
        public var passed: Bool
        public var clauses: [ScopingClauseOutcome]

        public init(index: Int, passed: Bool, clauses: [ScopingClauseOutcome]) {
            self.index = index
            self.passed = passed
            self.clauses = clauses
        }
    }

    /// `true` when there are no filters or at least one filter held.
    public var passed: Bool
    public var filters: [FilterOutcome]
    /// Warnings met on the way (multi-valued attributes, regex timeouts).
    public var diagnostics: [Diagnostic]

    public init(passed: Bool, filters: [FilterOutcome], diagnostics: [Diagnostic]) {
        self.passed = passed
        self.filters = filters
        self.diagnostics = diagnostics
    }

    /// Plain lines: one per clause, one per filter verdict, and the overall verdict.
    public var renderedLines: [String] {
        if filters.isEmpty { return ["scoping filters: none configured → passes"] }
        var lines: [String] = []
        for filter in filters {
            lines.append(contentsOf: filter.clauses.map(\.rendered))
            lines.append("scopingFilters[\(filter.index)]: \(filter.passed ? "all clauses hold" : "a clause failed")")
        }
        lines.append(
            passed
                ? "scoping filters: passes (a filter held)" : "scoping filters: fails (no filter held) → ScopingFilter")
        return lines
    }
}
