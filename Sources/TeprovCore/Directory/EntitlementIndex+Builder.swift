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
        /// What each `appRoleId` (as written) gives: an index into `roleLists`' values, or -1 for nothing.
        private var resolvedRoles: [String: Int32] = [:]
        private var lastRole: (id: String, value: Int32)?

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
            guard assignment.deletedDateTime == nil, assignment.principalType != .servicePrincipal else { return }
            let defaultAccess = assignment.isDefaultAccess
            let value: Int32
            if defaultAccess {
                value = skipDefaultAccess ? -1 : roleLists.valueIndex("Default Access")
            } else if let last = lastRole, last.id == assignment.appRoleId {
                value = last.value
            } else {
                value = resolve(assignment)
                lastRole = (assignment.appRoleId, value)
            }
            switch assignment.principalType {
            case .user:
                entitle(assignment.principalId, value: value, defaultAccess: defaultAccess, direct: true)
            case .group:
                guard let group = groups[assignment.principalId.foldedForLookup] else {
                    let name =
                        assignment.principalDisplayName.map { "\"\($0)\" (\(assignment.principalId))" }
                        ?? assignment.principalId
                    throw TeprovError(
                        .input,
                        "group \(name) is assigned to the application but --group-members lists no members for it; "
                            + "export its members or remove the assignment",
                        file: assignment.file, line: assignment.line)
                }
                for member in group.memberIds {
                    entitle(member, value: value, defaultAccess: defaultAccess, direct: false)
                }
            case .servicePrincipal:
                return
            }
        }

        /// The entitling value of a (non Default Access) assignment's role, or -1; warns once per unknown role.
        private mutating func resolve(_ assignment: AppRoleAssignment) -> Int32 {
            if let known = resolvedRoles[assignment.appRoleId] { return known }
            let value: Int32
            if let rolesById {
                let folded = assignment.appRoleId.foldedForLookup
                if let role = rolesById[folded] {
                    value = role.isEnabled ? roleLists.valueIndex(role.effectiveValue) : -1
                } else {
                    if warnedUnknownRoles.insert(folded).inserted {
                        diagnostics.append(
                            Diagnostic(
                                .warning, file: assignment.file, line: assignment.line,
                                "app role \(assignment.appRoleId) is not in --app-roles; its assignments do not entitle"
                            ))
                    }
                    value = -1
                }
            } else {
                value = roleLists.valueIndex(assignment.appRoleId)
            }
            resolvedRoles[assignment.appRoleId] = value
            return value
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
