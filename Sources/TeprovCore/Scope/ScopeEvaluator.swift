/// Why a source user is out of scope, in the precedence order of SPEC §4.
public enum OutOfScopeReason: String, Sendable, Hashable, CaseIterable, Codable {
    case sourceSoftDeleted = "SourceSoftDeleted"
    case sourceDisabled = "SourceDisabled"
    case defaultAccessOnly = "DefaultAccessOnly"
    case unassigned = "Unassigned"
    case scopingFilter = "ScopingFilter"
}

/// The scope decision for one source user.
public struct ScopeDecision: Sendable, Hashable {
    /// The first failing condition, or `nil` when the user is in scope.
    public var reason: OutOfScopeReason?
    /// The user's entitling app-role values (for `SingleAppRoleAssignment`).
    public var roleValues: [String]

    public var inScope: Bool { reason == nil }

    public init(reason: OutOfScopeReason?, roleValues: [String]) {
        self.reason = reason
        self.roleValues = roleValues
    }
}

/// Decides who is in scope (SPEC §4 "In scope"): assignment (or scope `all`), scoping filters,
/// `accountEnabled`, soft deletion.
public struct ScopeEvaluator: Sendable {
    public let mode: TeprovConfig.ScopeMode
    public let filters: ScopingFilterSet
    public let entitlements: EntitlementIndex?

    static let idKey: AttributeKey = "id"
    static let accountEnabledKey: AttributeKey = "accountEnabled"
    static let deletedDateTimeKey: AttributeKey = "deletedDateTime"
    static let userPrincipalNameKey: AttributeKey = "userPrincipalName"

    /// - Throws: `TeprovError(.usage)` for scope `assigned` without assignments.
    public init(mode: TeprovConfig.ScopeMode, filters: ScopingFilterSet, entitlements: EntitlementIndex?) throws {
        if mode == .assigned, entitlements == nil {
            throw TeprovError(
                .usage, "scope \"assigned\" needs --assignments; give the assignments export or use --scope all")
        }
        self.mode = mode
        self.filters = filters
        self.entitlements = entitlements
    }

    /// The record attributes scoping reads (for projection).
    public var referencedAttributes: Set<AttributeKey> {
        filters.attributes.union([
            Self.idKey, Self.accountEnabledKey, Self.deletedDateTimeKey, Self.userPrincipalNameKey,
        ])
    }

    /// `true` for a record from `--deleted`, or any record with a `deletedDateTime`.
    public static func isSoftDeleted(_ record: SourceRecord, fromDeletedExport: Bool) -> Bool {
        fromDeletedExport || record[deletedDateTimeKey] != nil
    }

    /// Decides one record's scope; scoping-filter diagnostics are appended to `diagnostics`.
    public func decide(_ record: SourceRecord, fromDeletedExport: Bool, diagnostics: inout [Diagnostic])
        -> ScopeDecision
    {
        var hint = -2
        return decideNotingEntitlement(
            record, fromDeletedExport: fromDeletedExport, diagnostics: &diagnostics, hint: &hint
        ).decision
    }

    /// `decide`, also giving the entitlement found for the record's id (`nil` without assignments or id).
    /// - Parameter hint: the entitlement look-up's hint (see `EntitlementIndex.entitlement(forUserId:hint:)`).
    func decideNotingEntitlement(
        _ record: SourceRecord, fromDeletedExport: Bool, diagnostics: inout [Diagnostic], hint: inout Int
    ) -> (decision: ScopeDecision, entitlement: EntitlementIndex.Entitlement?) {
        let (id, deleted, enabled) = record.fields.withUnsafeBufferPointer { fields in
            (
                ExpressionEvaluator.recordValue(Self.idKey, in: fields),
                ExpressionEvaluator.recordValue(Self.deletedDateTimeKey, in: fields),
                ExpressionEvaluator.recordValue(Self.accountEnabledKey, in: fields)
            )
        }
        var entitlement: EntitlementIndex.Entitlement?
        // Called through the optional: `if let entitlements` would copy the index (a retain and a release of
        // each of its tables) for every record.
        if let text = id?.scalarText {
            entitlement = entitlements?.entitlement(forUserId: text, hint: &hint)
        }
        let roles = entitlement?.roleValues ?? []
        if fromDeletedExport || deleted != nil {
            return (ScopeDecision(reason: .sourceSoftDeleted, roleValues: roles), entitlement)
        }
        if enabled?.boolValue == false {
            return (ScopeDecision(reason: .sourceDisabled, roleValues: roles), entitlement)
        }
        if mode == .assigned, entitlement?.isEntitled != true {
            let reason: OutOfScopeReason = entitlement?.hasDefaultAccess == true ? .defaultAccessOnly : .unassigned
            return (ScopeDecision(reason: reason, roleValues: roles), entitlement)
        }
        if !filters.isEmpty, !filters.passes(Self.scopingView(of: record), diagnostics: &diagnostics) {
            return (ScopeDecision(reason: .scopingFilter, roleValues: roles), entitlement)
        }
        return (ScopeDecision(reason: nil, roleValues: roles), entitlement)
    }

    /// The record as scoping filters see it: a guest UPN as `alias@domain` (SPEC §4).
    public static func scopingView(of record: SourceRecord) -> SourceRecord {
        guard case .string(let upn)? = record[userPrincipalNameKey], GuestUserPrincipalName.isGuest(upn) else {
            return record
        }
        var view = record
        view[userPrincipalNameKey] = .string(GuestUserPrincipalName.externalForm(of: upn))
        return view
    }
}
