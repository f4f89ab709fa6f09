/// The normalize-and-scope stage (SPEC §3, §4): from source records to desired users with their
/// scope decisions, using the config and the directory inputs.
///
/// A class: it is shared by every record of a read, and copying its tables per record cost more than
/// the scoping itself.
public final class Normalization: Sendable {
    public let config: TeprovConfig
    public let scope: ScopeEvaluator
    public let builder: DesiredUserBuilder
    public let entitlements: EntitlementIndex?

    /// - Parameters:
    ///   - config: the effective config (its `scope` already overridden by `--scope` when given).
    ///   - inputs: assignments, roles and groups; `inputs.assignments == nil` means none were given.
    /// - Throws: `TeprovError(.usage)` for scope `assigned` without assignments; `.input` for a group
    ///   assignment whose group has no members listing.
    public convenience init(config: TeprovConfig, inputs: DirectoryInputs) throws {
        let entitlements = try inputs.assignments.map { _ in
            try EntitlementIndex(inputs: inputs, skipDefaultAccess: config.skipDefaultAccess)
        }
        try self.init(config: config, entitlements: entitlements)
    }

    /// - Parameter entitlements: the index of the assignments, `nil` when none were given.
    init(config: TeprovConfig, entitlements: EntitlementIndex?) throws {
        self.config = config
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
        var hint = -2
        var hasUserAssignment = false
        return normalize(
            record, fromDeletedExport: fromDeletedExport, hint: &hint, hasUserAssignment: &hasUserAssignment)
    }

    /// Scopes and maps one record; also tells whether a `User` assignment names it directly (for the
    /// "different identifiers" check), from the entitlement look-up scoping made anyway. (Returned as the
    /// user alone: taken out of a tuple, the user was copied, each of its values retained and released.)
    /// - Parameter hint: the entitlement look-up's hint, kept by the caller across a file's records.
    func normalize(_ record: SourceRecord, fromDeletedExport: Bool, hint: inout Int, hasUserAssignment: inout Bool)
        -> DesiredUser
    {
        var diagnostics: [Diagnostic] = []
        let (decision, entitlement) = scope.decideNotingEntitlement(
            record, fromDeletedExport: fromDeletedExport, diagnostics: &diagnostics, hint: &hint)
        hasUserAssignment = entitlement?.hasUserAssignment == true
        return builder.build(record, scope: decision, fromDeletedExport: fromDeletedExport, diagnostics: diagnostics)
    }

    /// What `normalize` says about a record without building the desired user: its scope decision, its
    /// diagnostics (scoping, then mapping) and whether a `User` assignment names it directly.
    func scopeOnly(_ record: SourceRecord, fromDeletedExport: Bool, hint: inout Int) -> (
        decision: ScopeDecision, diagnostics: [Diagnostic], hasUserAssignment: Bool
    ) {
        var diagnostics: [Diagnostic] = []
        let (decision, entitlement) = scope.decideNotingEntitlement(
            record, fromDeletedExport: fromDeletedExport, diagnostics: &diagnostics, hint: &hint)
        builder.diagnose(record, scope: decision, into: &diagnostics)
        return (decision, diagnostics, entitlement?.hasUserAssignment == true)
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
