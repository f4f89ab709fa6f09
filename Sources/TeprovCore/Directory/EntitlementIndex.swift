/// Who is entitled to the application, computed once from assignments, roles and group listings
/// with Entra's rules (SPEC §3, §4 "Effective assignment").
///
/// Keys are user object ids, lower-cased (Graph ids are GUIDs; case must not split a person in two).
public struct EntitlementIndex: Sendable {
    /// What the assignments say about one user.
    public struct Entitlement: Sendable, Hashable {
        /// Role values that entitle, in assignment order without repeats.
        public var roleValues: [String] = []
        /// The user holds at least one assignment whose role is Default Access.
        public var hasDefaultAccess = false
        /// The user holds at least one (non-deleted) assignment of any role.
        public var hasAnyAssignment = false
        /// A (non-deleted) `User` assignment names this user directly (not through a group).
        public var hasUserAssignment = false

        public var isEntitled: Bool { !roleValues.isEmpty }
    }

    private var byUser: [String: Entitlement]
    /// User-principal assignments considered (not deleted), for the "different identifiers" check.
    /// Distinct users named by a (non-deleted) `User` assignment, for the "different identifiers" check.
    public let distinctUserAssignees: Int
    public private(set) var diagnostics: [Diagnostic]

    /// Builds the index.
    /// - Throws: `TeprovError(.input)` for a `Group` assignment whose group has no members listing.
    public init(inputs: DirectoryInputs, skipDefaultAccess: Bool) throws {
        byUser = [:]
        byUser.reserveCapacity(inputs.assignments?.count ?? 0)
        diagnostics = []
        let rolesById: [String: AppRole]? = inputs.appRoles.map { roles in
            var table: [String: AppRole] = [:]
            for role in roles { table[role.id.foldedForLookup] = role }
            return table
        }
        var warnedUnknownRoles: Set<String> = []
        for assignment in inputs.assignments ?? [] {
            guard assignment.deletedDateTime == nil, assignment.principalType != .servicePrincipal else { continue }
            // What this assignment's role gives: an entitling value, Default Access, or nothing.
            var entitlingValue: String?
            let defaultAccess = assignment.isDefaultAccess
            if defaultAccess {
                entitlingValue = skipDefaultAccess ? nil : "Default Access"
            } else if let rolesById {
                if let role = rolesById[assignment.appRoleId.foldedForLookup] {
                    entitlingValue = role.isEnabled ? role.effectiveValue : nil
                } else if warnedUnknownRoles.insert(assignment.appRoleId.foldedForLookup).inserted {
                    diagnostics.append(
                        Diagnostic(
                            .warning, file: assignment.file, line: assignment.line,
                            "app role \(assignment.appRoleId) is not in --app-roles; its assignments do not entitle"))
                }
            } else {
                entitlingValue = assignment.appRoleId
            }
            let principals: [String]
            switch assignment.principalType {
            case .user:
                principals = [assignment.principalId]
            case .group:
                guard let group = inputs.groups[assignment.principalId.foldedForLookup] else {
                    let name =
                        assignment.principalDisplayName.map { "\"\($0)\" (\(assignment.principalId))" }
                        ?? assignment.principalId
                    throw TeprovError(
                        .input,
                        "group \(name) is assigned to the application but --group-members lists no members for it; "
                            + "export its members or remove the assignment",
                        file: assignment.file, line: assignment.line)
                }
                principals = group.memberIds
            case .servicePrincipal:
                continue
            }
            for principal in principals {
                let key = principal.foldedForLookup
                var entry = byUser[key] ?? Entitlement()
                entry.hasAnyAssignment = true
                if assignment.principalType == .user { entry.hasUserAssignment = true }
                if defaultAccess { entry.hasDefaultAccess = true }
                if let entitlingValue, !entry.roleValues.contains(entitlingValue) {
                    entry.roleValues.append(entitlingValue)
                }
                byUser[key] = entry
            }
        }
        distinctUserAssignees = byUser.values.reduce(0) { $0 + ($1.hasUserAssignment ? 1 : 0) }
    }

    /// The entitlement of a user id (empty when the user holds no assignment).
    public func entitlement(forUserId id: String) -> Entitlement {
        byUser[id.foldedForLookup] ?? Entitlement()
    }

    /// SPEC §3: a warning when fewer than half of the `User` assignments resolve to a source record.
    /// - Parameter resolved: how many distinct source records are named by a `User` assignment
    ///   (count records whose `entitlement(forUserId:).hasUserAssignment` is true).
    public func identifierMismatchWarning(resolved: Int, file: String) -> Diagnostic? {
        guard distinctUserAssignees > 0, resolved * 2 < distinctUserAssignees else { return nil }
        return Diagnostic(
            .warning, file: file, line: nil,
            "only \(resolved) of \(distinctUserAssignees) user assignments name a user in the exports; the assignments "
                + "and the exports may use different identifiers (object id vs. on-premises GUID)")
    }

    /// The same check from a set of source ids (any case).
    public func identifierMismatchWarning(sourceIds: Set<String>, file: String) -> Diagnostic? {
        let resolved = Set(sourceIds.map(\.foldedForLookup)).filter { byUser[$0]?.hasUserAssignment == true }.count
        return identifierMismatchWarning(resolved: resolved, file: file)
    }
}
