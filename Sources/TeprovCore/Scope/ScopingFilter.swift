/// One scoping filter: a list of clauses that must all hold (AND), SPEC §4.
public struct ScopingFilter: Sendable, Equatable {
    public let clauses: [ScopingClause]

    /// A filter of the given clauses. An empty filter holds for everyone (there is nothing to fail).
    public init(clauses: [ScopingClause]) {
        self.clauses = clauses
    }

    /// `true` when every clause holds; stops at the first false clause. Notes that call for a diagnostic
    /// (multi-valued attribute, regex timeout) are handed to `report` with the clause's position.
    func passes(_ record: SourceRecord, report: (Int, ScopingClause, ScopingClauseOutcome.Note) -> Void) -> Bool {
        for (position, clause) in clauses.enumerated() {
            let (result, note) = clause.evaluate(record)
            if let note, note.needsDiagnostic { report(position, clause, note) }
            if !result { return false }
        }
        return true
    }
}

extension ScopingClauseOutcome.Note {
    /// Notes that reveal a data or pattern problem worth a diagnostic; the others are ordinary outcomes.
    var needsDiagnostic: Bool {
        switch self {
        case .multiValued, .regexTimeout: return true
        case .nullAttribute, .notBoolean, .notInteger: return false
        }
    }
}
