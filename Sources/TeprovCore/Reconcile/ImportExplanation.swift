/// The import and scope steps of `plan --explain` (SPEC §7): a record's raw values as read, and every
/// scoping check with the value it saw, the way Entra's "provision on demand" lists them.
///
/// Built while the exports are read (the reconciler only sees mapped users), for the few records an
/// `--explain` name refers to.
struct ImportExplanation: Sendable {
    private let names: Set<String>
    private let scope: ScopeEvaluator

    init(names: [String], scope: ScopeEvaluator) {
        self.names = Set(names.map(ValueComparison.folded))
        self.scope = scope
    }

    /// `true` when one of the record's raw values is an explained name (UPN, id, mail, ...).
    func concerns(_ record: SourceRecord) -> Bool {
        record.fields.contains { field in
            Self.texts(field.value).contains { names.contains(ValueComparison.folded($0)) }
        }
    }

    /// `import:` with the raw values, then one `scope:` line per check, in Entra's order.
    func lines(for record: SourceRecord, fromDeletedExport: Bool) -> [String] {
        let raw = record.fields.map { "\($0.key)=\(Self.describe($0.value))" }.joined(separator: ", ")
        var lines = ["import: \(record.origin.file):\(record.origin.line) raw values: \(raw.isEmpty ? "(none)" : raw)"]

        if fromDeletedExport {
            lines.append("scope: listed in --deleted → SourceSoftDeleted")
        } else if let deleted = record[ScopeEvaluator.deletedDateTimeKey] {
            lines.append("scope: deletedDateTime = \(Self.describe(deleted)) → SourceSoftDeleted")
        } else {
            lines.append("scope: deletedDateTime = null → not soft-deleted")
        }

        let enabled = record[ScopeEvaluator.accountEnabledKey]
        let disabled = enabled?.boolValue == false
        lines.append(
            "scope: accountEnabled = \(enabled.map(Self.describe) ?? "null") → \(disabled ? "SourceDisabled" : "enabled")"
        )

        if scope.mode == .all {
            lines.append("scope: scope all → no assignment needed")
        } else {
            let entitlement = record[ScopeEvaluator.idKey]?.scalarText.flatMap {
                scope.entitlements?.entitlement(forUserId: $0)
            }
            if let entitlement, entitlement.isEntitled {
                lines.append("scope: assigned with role(s) \(entitlement.roleValues.joined(separator: ", "))")
            } else if entitlement?.hasDefaultAccess == true {
                lines.append("scope: assigned only with Default Access → DefaultAccessOnly")
            } else {
                lines.append(
                    "scope: no entitling assignment for id \(record[ScopeEvaluator.idKey]?.scalarText ?? "(none)") → Unassigned"
                )
            }
        }

        let explanation = scope.filters.explain(ScopeEvaluator.scopingView(of: record))
        lines += explanation.renderedLines.map { "scope: " + $0 }
        return lines
    }

    private static func texts(_ value: AttributeValue) -> [String] {
        if case .multi(let items) = value { return items.compactMap(\.scalarText) }
        return value.scalarText.map { [$0] } ?? []
    }

    private static func describe(_ value: AttributeValue) -> String {
        switch value {
        case .string(let text): return "\"\(text)\""
        case .multi(let items): return "[" + items.map(describe).joined(separator: ", ") + "]"
        default: return value.scalarText ?? "null"
        }
    }
}
