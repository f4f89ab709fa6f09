/// The config's `scopingFilters`: filters combined with OR, each an AND of clauses (SPEC §4).
///
/// A record passes when there are no filters, or when every clause of at least one filter holds
/// (Entra: "if all the clauses in any of the configured scoping filters evaluate to true, the user is
/// provisioned"). Immutable and `Sendable`: evaluate records from any number of tasks.
public struct ScopingFilterSet: Sendable, Equatable {
    public let filters: [ScopingFilter]

    public init(filters: [ScopingFilter]) {
        self.filters = filters
    }

    /// No filters: everyone passes (Entra's default).
    public static let none = ScopingFilterSet(filters: [])

    /// One clause as the config file spells it, before validation.
    public struct ClauseSpec: Sendable, Equatable {
        public var attribute: String?
        public var `operator`: String?
        public var value: String?

        public init(attribute: String?, operator: String?, value: String?) {
            self.attribute = attribute
            self.operator = `operator`
            self.value = value
        }
    }

    /// Validates the config's `[[{attribute, operator, value}]]` and compiles every clause.
    /// - Throws: the first `ScopingClauseError`, placed at its filter and clause so that its
    ///   `keyPath()` reads `scopingFilters[0][1].value`.
    public init(specs: [[ClauseSpec]], regexTimeLimit: Duration = .milliseconds(100)) throws(ScopingClauseError) {
        var filters: [ScopingFilter] = []
        for (filterIndex, clauseSpecs) in specs.enumerated() {
            guard !clauseSpecs.isEmpty else {
                throw ScopingClauseError(
                    field: nil, reason: "the filter has no clauses; add clauses or remove the empty filter",
                    filterIndex: filterIndex)
            }
            var clauses: [ScopingClause] = []
            for (clauseIndex, spec) in clauseSpecs.enumerated() {
                do throws(ScopingClauseError) {
                    guard let operatorName = spec.operator else {
                        throw ScopingClauseError(
                            field: .operator,
                            reason: "the clause has no operator; use one of \(ScopingOperator.spellings)")
                    }
                    clauses.append(
                        try ScopingClause(
                            attribute: spec.attribute ?? "", operator: operatorName, value: spec.value,
                            regexTimeLimit: regexTimeLimit))
                } catch {
                    throw error.placed(filter: filterIndex, clause: clauseIndex)
                }
            }
            filters.append(ScopingFilter(clauses: clauses))
        }
        self.filters = filters
    }

    public var isEmpty: Bool { filters.isEmpty }

    /// The attributes the clauses read, so readers can keep them when projecting records.
    public var attributes: Set<AttributeKey> {
        Set(filters.flatMap { $0.clauses.map(\.attribute) })
    }

    /// `true` when the record is in scope as far as the filters go. Stops at the first filter that holds.
    /// - Parameter diagnostics: receives a warning per clause that met a multi-valued attribute or whose
    ///   regular expression timed out (both make the clause false).
    public func passes(_ record: SourceRecord, diagnostics: inout [Diagnostic]) -> Bool {
        if filters.isEmpty { return true }
        for (filterIndex, filter) in filters.enumerated() {
            let held = filter.passes(record) { clauseIndex, clause, note in
                diagnostics.append(Self.diagnostic(record, filterIndex, clauseIndex, clause, note))
            }
            if held { return true }
        }
        return false
    }

    /// Evaluates every clause of every filter (no short-cut) for `plan --explain`.
    public func explain(_ record: SourceRecord) -> ScopingExplanation {
        var outcomes: [ScopingExplanation.FilterOutcome] = []
        var diagnostics: [Diagnostic] = []
        for (filterIndex, filter) in filters.enumerated() {
            var clauseOutcomes: [ScopingClauseOutcome] = []
            for (clauseIndex, clause) in filter.clauses.enumerated() {
                let (result, note) = clause.evaluate(record)
                if let note, note.needsDiagnostic {
                    diagnostics.append(Self.diagnostic(record, filterIndex, clauseIndex, clause, note))
                }
                clauseOutcomes.append(
                    ScopingClauseOutcome(
                        filterIndex: filterIndex, clauseIndex: clauseIndex, clause: clause,
                        actualValue: ScopingClause.renderActual(record[clause.attribute]), result: result, note: note))
            }
            outcomes.append(
                ScopingExplanation.FilterOutcome(
                    index: filterIndex, passed: clauseOutcomes.allSatisfy(\.result), clauses: clauseOutcomes))
        }
        let passed = filters.isEmpty || outcomes.contains(where: \.passed)
        return ScopingExplanation(passed: passed, filters: outcomes, diagnostics: diagnostics)
    }

    static func diagnostic(
        _ record: SourceRecord, _ filterIndex: Int, _ clauseIndex: Int, _ clause: ScopingClause,
        _ note: ScopingClauseOutcome.Note
    ) -> Diagnostic {
        let place = "scoping clause scopingFilters[\(filterIndex)][\(clauseIndex)] (\(clause))"
        let message: String
        switch note {
        case .regexTimeout(let timeout):
            message = "\(place) counts as false because \(timeout.message)"
        default:
            message =
                "\(place) counts as false because attribute \(clause.attributeName) is multi-valued; "
                + "scoping filters cannot test multi-valued attributes, so filter on a single-valued one"
        }
        return Diagnostic(.warning, file: record.origin.file, line: record.origin.line, message)
    }
}
