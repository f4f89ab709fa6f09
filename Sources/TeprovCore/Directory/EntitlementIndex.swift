/// Who is entitled to the application, computed once from assignments, roles and group listings
/// with Entra's rules (SPEC §3, §4 "Effective assignment").
///
/// Keys are user object ids compared ignoring case (Graph ids are GUIDs; case must not split a person in
/// two). A GUID is kept as its 16 bytes in a flat table, and each user's role values as an index into a
/// short list of distinct role lists, so a million users cost a few flat arrays rather than a million
/// strings and arrays.
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

    /// One user's entitlement, compactly: flags and an index into `roleLists`.
    struct Entry: Sendable {
        var roleList: Int32 = 0
        var hasDefaultAccess = false
        var hasAnyAssignment = false
        var hasUserAssignment = false
    }

    private var keys = EntitlementKeyTable()
    private var entries: [Entry] = []
    /// Distinct role-value lists; index 0 is the empty list.
    private var roleLists: [[String]] = [[]]
    /// Distinct users named by a (non-deleted) `User` assignment, for the "different identifiers" check.
    public let distinctUserAssignees: Int
    public private(set) var diagnostics: [Diagnostic]

    /// Builds the index.
    /// - Throws: `TeprovError(.input)` for a `Group` assignment whose group has no members listing.
    public init(inputs: DirectoryInputs, skipDefaultAccess: Bool) throws {
        var builder = Builder(
            appRoles: inputs.appRoles, groups: inputs.groups, skipDefaultAccess: skipDefaultAccess,
            expectedUsers: inputs.assignments?.count ?? 0)
        for assignment in inputs.assignments ?? [] { try builder.add(assignment) }
        self.init(builder)
    }

    init(_ builder: Builder) {
        var builder = builder
        builder.flush()
        keys = builder.keys
        entries = builder.entries
        roleLists = builder.roleLists.lists
        diagnostics = builder.diagnostics
        distinctUserAssignees = builder.entries.reduce(0) { $0 + ($1.hasUserAssignment ? 1 : 0) }
    }

    /// The entitlement of a user id (empty when the user holds no assignment).
    public func entitlement(forUserId id: String) -> Entitlement {
        var hint = -2
        return entitlement(forUserId: id, hint: &hint)
    }

    /// `entitlement(forUserId:)`, first trying the user stored after the one `hint` found last (records
    /// usually come in the order of the assignments); `hint` starts at -1 for a new pass.
    func entitlement(forUserId id: String, hint: inout Int) -> Entitlement {
        guard let position = keys.find(id, hint: &hint) else { return Entitlement() }
        let entry = entries[position]
        return Entitlement(
            roleValues: roleLists[Int(entry.roleList)], hasDefaultAccess: entry.hasDefaultAccess,
            hasAnyAssignment: entry.hasAnyAssignment, hasUserAssignment: entry.hasUserAssignment)
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
        var seen = EntitlementKeyTable()
        var resolved = 0
        for id in sourceIds where entitlement(forUserId: id).hasUserAssignment {
            if seen.findOrInsert(id, next: 0).inserted { resolved += 1 }
        }
        return identifierMismatchWarning(resolved: resolved, file: file)
    }
}
