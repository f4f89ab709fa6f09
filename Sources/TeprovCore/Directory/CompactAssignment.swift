/// An assignment as the entitlement index needs it, without a reference-counted value in the usual case:
/// a `User` assignment of a GUID principal carries the GUID's 16 bytes and its role as a small number.
///
/// The Graph page reader makes these on its own thread and hands them to the index builder on another, so
/// nothing it hands over is released on a different core from the one that made it (except the rare texts:
/// a principal id that is not a GUID, a group's id and name, each role id once).
struct CompactAssignment: Sendable, Equatable {
    /// The principal id's 16 bytes when it is a GUID (`EntitlementKeyTable.guid`).
    var principalGUID: (UInt64, UInt64)?
    /// The principal id as read, when it is not a GUID or when the principal is a group (its listing is
    /// found, and its error worded, with the text).
    var principalText: String?
    var principalType: AppRoleAssignment.PrincipalType
    /// The role id's number: role ids are numbered from 0 in the order they are first met in the file.
    var role: Int32
    /// The role id's text, on the first assignment that has it (`role` is then the number of ids met before).
    var newRoleId: String?
    /// `principalDisplayName`, kept for groups only (for the error about a group without members listing).
    var principalDisplayName: String?
    /// The assignment was removed (`deletedDateTime` is set).
    var isDeleted: Bool
    var line: Int?

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.principalGUID?.0 == rhs.principalGUID?.0 && lhs.principalGUID?.1 == rhs.principalGUID?.1
            && lhs.principalText == rhs.principalText && lhs.principalType == rhs.principalType
            && lhs.role == rhs.role && lhs.newRoleId == rhs.newRoleId
            && lhs.principalDisplayName == rhs.principalDisplayName && lhs.isDeleted == rhs.isDeleted
            && lhs.line == rhs.line
    }

    /// Numbers role ids in the order they are first met.
    struct RoleNumbering {
        private var numbers: [String: Int32] = [:]

        /// The number of `roleId`, and the id itself when it is met for the first time.
        mutating func number(_ roleId: String) -> (role: Int32, newRoleId: String?) {
            if let known = numbers[roleId] { return (known, nil) }
            let number = Int32(numbers.count)
            numbers[roleId] = number
            return (number, roleId)
        }
    }

    /// The compact form of an assignment from the general reader; `roles` numbers its role id.
    init(_ assignment: AppRoleAssignment, roles: inout RoleNumbering) {
        let guid = EntitlementKeyTable.guid(assignment.principalId)
        let isGroup = assignment.principalType == .group
        let numbered = roles.number(assignment.appRoleId)
        self.init(
            principalGUID: guid, principalText: guid == nil || isGroup ? assignment.principalId : nil,
            principalType: assignment.principalType, role: numbered.role, newRoleId: numbered.newRoleId,
            principalDisplayName: isGroup ? assignment.principalDisplayName : nil,
            isDeleted: assignment.deletedDateTime != nil, line: assignment.line)
    }

    init(
        principalGUID: (UInt64, UInt64)?, principalText: String?,
        principalType: AppRoleAssignment.PrincipalType, role: Int32, newRoleId: String?,
        principalDisplayName: String?, isDeleted: Bool, line: Int?
    ) {
        self.principalGUID = principalGUID
        self.principalText = principalText
        self.principalType = principalType
        self.role = role
        self.newRoleId = newRoleId
        self.principalDisplayName = principalDisplayName
        self.isDeleted = isDeleted
        self.line = line
    }
}
