/// The typed configuration of SPEC §5, with every default filled in.
public struct TeprovConfig: Sendable {
    /// Who is a candidate for provisioning (SPEC §4).
    public enum ScopeMode: String, Sendable, CaseIterable {
        case assigned, all
    }

    /// What happens to a managed target whose person left the scope.
    public enum OutOfScopeAction: String, Sendable, CaseIterable {
        case disable, delete, none
    }

    /// What happens to a managed target whose person was soft-deleted (never deleted: Entra can restore).
    public enum SoftDeletedAction: String, Sendable, CaseIterable {
        case disable, none
    }

    /// What happens to a managed target whose person is gone from the directory.
    public enum HardDeletedAction: String, Sendable, CaseIterable {
        case delete, disable, none
    }

    /// PATCH dialect: RFC lower-case ops with JSON booleans, or Entra's legacy `Replace` and `"False"`.
    public enum PatchStyle: String, Sendable, CaseIterable {
        case rfc
        case entraLegacy = "entra-legacy"
    }

    public enum UpdateMethod: String, Sendable, CaseIterable {
        case patch, put
    }

    public struct Actions: Sendable, Equatable {
        public var create = true
        public var update = true
        public var disable = true
        public var delete = true
        public init() {}
    }

    public struct Deprovision: Sendable, Equatable {
        public var outOfScope: OutOfScopeAction = .disable
        public var softDeleted: SoftDeletedAction = .disable
        public var hardDeleted: HardDeletedAction = .delete
        public init() {}
    }

    public struct Safety: Sendable, Equatable {
        public var deletionThreshold = 500
        public var deletionThresholdPercent: Double = 20
        public var maxInvalidRecords = 100
        public var maxInvalidPercent: Double = 5
        public var protectedUsers: [String] = []
        public init() {}
    }

    public var scope: ScopeMode = .assigned
    public var skipDefaultAccess = true
    public var scopingFilters = ScopingFilterSet(filters: [])
    public var mappings: [AttributeMapping] = AttributeMapping.defaultTable
    /// `true` when the config gave its own `mappings` list.
    public var hasCustomMappings = false
    public var actions = Actions()
    public var deprovision = Deprovision()
    public var compareIgnore: [String] = []
    public static let defaultExternalIdPattern =
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    public var externalIdPattern = TeprovConfig.defaultExternalIdPattern
    public var patchStyle: PatchStyle = .rfc
    public var updateMethod: UpdateMethod = .patch
    public var safety = Safety()

    public init() {}
}
