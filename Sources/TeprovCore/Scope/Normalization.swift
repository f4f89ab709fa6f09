/// The normalize-and-scope stage (SPEC §3, §4): from source records to desired users with their
/// scope decisions, using the config and the directory inputs.
public struct Normalization: Sendable {
    public let config: TeprovConfig
    public let scope: ScopeEvaluator
    public let builder: DesiredUserBuilder
    public let entitlements: EntitlementIndex?

    /// - Parameters:
    ///   - config: the effective config (its `scope` already overridden by `--scope` when given).
    ///   - inputs: assignments, roles and groups; `inputs.assignments == nil` means none were given.
    /// - Throws: `TeprovError(.usage)` for scope `assigned` without assignments; `.input` for a group
    ///   assignment whose group has no members listing.
    public init(config: TeprovConfig, inputs: DirectoryInputs) throws {
        self.config = config
        let entitlements = try inputs.assignments.map { _ in
            try EntitlementIndex(inputs: inputs, skipDefaultAccess: config.skipDefaultAccess)
        }
        self.entitlements = entitlements
        self.scope = try ScopeEvaluator(mode: config.scope, filters: config.scopingFilters, entitlements: entitlements)
        self.builder = DesiredUserBuilder(mappings: config.mappings)
    }

    /// The attributes readers must keep for this config.
    public var projection: AttributeProjection {
        AttributeProjection(scope.referencedAttributes.union(builder.referencedAttributes))
    }

    /// Scopes and maps one record.
    public func normalize(_ record: SourceRecord, fromDeletedExport: Bool) -> DesiredUser {
        var diagnostics: [Diagnostic] = []
        let decision = scope.decide(record, fromDeletedExport: fromDeletedExport, diagnostics: &diagnostics)
        var user = builder.build(record, scope: decision, fromDeletedExport: fromDeletedExport)
        if !diagnostics.isEmpty { user.diagnostics.insert(contentsOf: diagnostics, at: 0) }
        return user
    }
}

/// How many users are in scope, and out of scope by reason.
public struct ScopeCounts: Sendable, Equatable {
    public var inScope = 0
    public var outOfScope: [OutOfScopeReason: Int] = [:]

    public init() {}

    public mutating func add(_ decision: ScopeDecision) {
        if let reason = decision.reason { outOfScope[reason, default: 0] += 1 } else { inScope += 1 }
    }

    public var jsonValue: JSONValue {
        .object(
            [("inScope", .int(Int64(inScope)))]
                + OutOfScopeReason.allCases.map { ($0.rawValue, .int(Int64(outOfScope[$0] ?? 0))) })
    }
}
