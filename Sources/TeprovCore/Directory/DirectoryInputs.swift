/// One app-role assignment from Graph `appRoleAssignedTo` (or its CSV form), SPEC §3.
public struct AppRoleAssignment: Sendable, Hashable {
    public enum PrincipalType: String, Sendable, Hashable, CaseIterable {
        case user = "User"
        case group = "Group"
        case servicePrincipal = "ServicePrincipal"
    }

    public var principalId: String
    public var principalType: PrincipalType
    public var appRoleId: String
    public var principalDisplayName: String?
    /// Non-nil for an assignment that was removed (Graph keeps it with `deletedDateTime`).
    public var deletedDateTime: String?
    public var file: String
    public var line: Int?

    public init(
        principalId: String, principalType: PrincipalType, appRoleId: String, principalDisplayName: String? = nil,
        deletedDateTime: String? = nil, file: String = "", line: Int? = nil
    ) {
        self.principalId = principalId
        self.principalType = principalType
        self.appRoleId = appRoleId
        self.principalDisplayName = principalDisplayName
        self.deletedDateTime = deletedDateTime
        self.file = file
        self.line = line
    }

    /// The all-zero role id Entra shows as "Default Access".
    public static let defaultAccessRoleId = "00000000-0000-0000-0000-000000000000"

    public var isDefaultAccess: Bool { appRoleId == AppRoleAssignment.defaultAccessRoleId }
}

/// One app role of the application's service principal (`appRoles[]`).
public struct AppRole: Sendable, Hashable {
    public var id: String
    /// `nil` for roles such as `msiam_access`, which then entitle under their display name.
    public var value: String?
    public var displayName: String?
    public var isEnabled: Bool

    public init(id: String, value: String?, displayName: String?, isEnabled: Bool) {
        self.id = id
        self.value = value
        self.displayName = displayName
        self.isEnabled = isEnabled
    }

    /// The text expressions see for this role: `value`, else `displayName`, else the id.
    public var effectiveValue: String { value ?? displayName ?? id }
}

/// A group's direct members as listed by `--group-members`.
public struct GroupListing: Sendable, Hashable {
    public var id: String
    public var displayName: String?
    /// Direct member ids (users and nested groups alike; nested groups are not expanded).
    public var memberIds: [String]
    public var file: String

    public init(id: String, displayName: String?, memberIds: [String], file: String) {
        self.id = id
        self.displayName = displayName
        self.memberIds = memberIds
        self.file = file
    }
}

/// Everything SPEC §3 reads besides the user exports.
public struct DirectoryInputs: Sendable {
    /// `nil` when `--assignments` was not given.
    public var assignments: [AppRoleAssignment]?
    /// `nil` when `--app-roles` was not given.
    public var appRoles: [AppRole]?
    /// Group id (lower-cased) → listing; empty when `--group-members` was not given.
    public var groups: [String: GroupListing]
    public var diagnostics: [Diagnostic]

    public init(
        assignments: [AppRoleAssignment]? = nil, appRoles: [AppRole]? = nil, groups: [String: GroupListing] = [:],
        diagnostics: [Diagnostic] = []
    ) {
        self.assignments = assignments
        self.appRoles = appRoles
        self.groups = groups
        self.diagnostics = diagnostics
    }
}
