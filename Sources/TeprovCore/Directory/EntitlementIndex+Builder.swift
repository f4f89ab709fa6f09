extension EntitlementIndex {
    /// Folds assignments into entitlements one at a time, with Entra's rules (SPEC §3, §4).
    struct Builder {
        private let rolesById: [String: AppRole]?
        private let groups: [String: GroupListing]
        private let skipDefaultAccess: Bool
        private(set) var keys = EntitlementKeyTable()
        private(set) var entries: [Entry] = []
        private(set) var roleLists = RoleListTable()
        private(set) var diagnostics: [Diagnostic] = []
        private var warnedUnknownRoles: Set<String> = []
        /// Numbers the role ids of the assignments given as `AppRoleAssignment`s.
        private var roleNumbering = CompactAssignment.RoleNumbering()
        /// Each numbered role id, and what it gives: an index into `roleLists`' values, -1 for nothing, or
        /// -2 while no assignment that counts has needed it.
        private var roleIds: [String] = []
        private var roleValues: [Int32] = []
        /// Whether each numbered role id is Default Access's, told once when the id is numbered.
        private var roleIsDefaultAccess: [Bool] = []

        init(appRoles: [AppRole]?, groups: [String: GroupListing], skipDefaultAccess: Bool, expectedUsers: Int) {
            rolesById = appRoles.map { roles in
                var table: [String: AppRole] = [:]
                for role in roles { table[role.id.foldedForLookup] = role }
                return table
            }
            self.groups = groups
            self.skipDefaultAccess = skipDefaultAccess
            keys.reserve(expectedUsers)
            entries.reserveCapacity(expectedUsers)
        }

        /// Adds one assignment.
        /// - Throws: `TeprovError(.input)` for a `Group` assignment whose group has no members listing.
        mutating func add(_ assignment: AppRoleAssignment) throws {
            try add(CompactAssignment(assignment, roles: &roleNumbering), file: assignment.file)
        }

        /// Adds one assignment read from `file`; assignments must come in the order their roles were numbered.
        /// - Throws: `TeprovError(.input)` for a `Group` assignment whose group has no members listing.
        mutating func add(_ assignment: CompactAssignment, file: String) throws {
            if let roleId = assignment.newRoleId {
                roleIds.append(roleId)
                roleValues.append(-2)
                roleIsDefaultAccess.append(roleId == AppRoleAssignment.defaultAccessRoleId)
            }
            guard !assignment.isDeleted, assignment.principalType != .servicePrincipal else { return }
            let role = Int(assignment.role)
            let defaultAccess = roleIsDefaultAccess[role]
            var value = roleValues[role]
            if value == -2 {
                if defaultAccess {
                    value = skipDefaultAccess ? -1 : roleLists.valueIndex("Default Access")
                } else {
                    value = resolve(roleIds[role], file: file, line: assignment.line)
                }
                roleValues[role] = value
            }
            switch assignment.principalType {
            case .user:
                if let guid = assignment.principalGUID {
                    entitle(guid: guid, value: value, defaultAccess: defaultAccess, direct: true)
                } else if let principal = assignment.principalText {
                    entitle(principal, value: value, defaultAccess: defaultAccess, direct: true)
                }
            case .group:
                let principal = assignment.principalText ?? ""
                guard let group = groups[principal.foldedForLookup] else {
                    let name = assignment.principalDisplayName.map { "\"\($0)\" (\(principal))" } ?? principal
                    throw TeprovError(
                        .input,
                        "group \(name) is assigned to the application but --group-members lists no members for it; "
                            + "export its members or remove the assignment",
                        file: file, line: assignment.line)
                }
                for member in group.memberIds {
                    entitle(member, value: value, defaultAccess: defaultAccess, direct: false)
                }
            case .servicePrincipal:
                return
            }
        }

        /// The entitling value of a (non Default Access) role id, or -1; warns once per unknown role.
        private mutating func resolve(_ roleId: String, file: String, line: Int?) -> Int32 {
            guard let rolesById else { return roleLists.valueIndex(roleId) }
            let folded = roleId.foldedForLookup
            if let role = rolesById[folded] {
                return role.isEnabled ? roleLists.valueIndex(role.effectiveValue) : -1
            }
            if warnedUnknownRoles.insert(folded).inserted {
                diagnostics.append(
                    Diagnostic(
                        .warning, file: file, line: line,
                        "app role \(roleId) is not in --app-roles; its assignments do not entitle"))
            }
            return -1
        }

        /// One principal's share of an assignment, waiting in `pending`.
        private struct PendingEntitlement {
            var guid: (UInt64, UInt64)
            var value: Int32
            var defaultAccess: Bool
            var direct: Bool
        }

        /// GUID principals not yet applied: they are applied in batches whose table slots are read together
        /// first, so that the cache misses of a million random inserts overlap instead of following each other.
        private var pending: [PendingEntitlement] = []
        private static let batchSize = 32

        private mutating func entitle(_ principal: String, value: Int32, defaultAccess: Bool, direct: Bool) {
            guard let guid = EntitlementKeyTable.guid(principal) else {
                flush()
                let (position, inserted) = keys.findOrInsert(principal, next: entries.count)
                apply(position, inserted: inserted, value: value, defaultAccess: defaultAccess, direct: direct)
                return
            }
            entitle(guid: guid, value: value, defaultAccess: defaultAccess, direct: direct)
        }

        private mutating func entitle(guid: (UInt64, UInt64), value: Int32, defaultAccess: Bool, direct: Bool) {
            if pending.capacity == 0 { pending.reserveCapacity(Self.batchSize) }
            pending.append(PendingEntitlement(guid: guid, value: value, defaultAccess: defaultAccess, direct: direct))
            if pending.count == Self.batchSize { flush() }
        }

        /// Applies the pending principals, in the order they came.
        mutating func flush() {
            guard !pending.isEmpty else { return }
            keys.touch(pending.lazy.map(\.guid))
            for item in pending {
                let (position, inserted) = keys.findOrInsert(guid: item.guid, next: entries.count)
                apply(
                    position, inserted: inserted, value: item.value, defaultAccess: item.defaultAccess,
                    direct: item.direct)
            }
            pending.removeAll(keepingCapacity: true)
        }

        private mutating func apply(_ position: Int, inserted: Bool, value: Int32, defaultAccess: Bool, direct: Bool) {
            if inserted { entries.append(Entry()) }
            entries[position].hasAnyAssignment = true
            if direct { entries[position].hasUserAssignment = true }
            if defaultAccess { entries[position].hasDefaultAccess = true }
            if value >= 0 { entries[position].roleList = roleLists.appending(value, to: entries[position].roleList) }
        }
    }

    /// The distinct role-value lists users hold (a handful), each built by appending values in assignment
    /// order without repeats. List 0 is the empty list.
    struct RoleListTable {
        private(set) var lists: [[String]] = [[]]
        private var valueIndices: [String: Int32] = [:]
        private var values: [String] = []
        /// The value indices of each list.
        private var members: [[Int32]] = [[]]
        private var listsByMembers: [[Int32]: Int32] = [[]: 0]
        /// `list << 32 | value` → the list with `value` appended (or `list` when it already holds it).
        private var transitions: [Int64: Int32] = [:]

        /// The index of a role value (values compare as `String`s do).
        mutating func valueIndex(_ value: String) -> Int32 {
            if let index = valueIndices[value] { return index }
            let index = Int32(values.count)
            values.append(value)
            valueIndices[value] = index
            return index
        }

        /// The list `list` with value `value` appended unless it holds it already.
        mutating func appending(_ value: Int32, to list: Int32) -> Int32 {
            let key = Int64(list) << 32 | Int64(value)
            if let known = transitions[key] { return known }
            var result = list
            if !members[Int(list)].contains(value) {
                let extended = members[Int(list)] + [value]
                if let existing = listsByMembers[extended] {
                    result = existing
                } else {
                    result = Int32(lists.count)
                    members.append(extended)
                    lists.append(extended.map { values[Int($0)] })
                    listsByMembers[extended] = result
                }
            }
            transitions[key] = result
            return result
        }
    }
}
