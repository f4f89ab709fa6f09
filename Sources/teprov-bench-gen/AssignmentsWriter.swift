/// `assignments.json`: Graph `GET /servicePrincipals/{id}/appRoleAssignedTo` as one page. Direct
/// user assignments (a real role, or Default Access only), then one `Group` assignment (role User)
/// per group that has members; group members are in `group-members.csv`. Role and
/// service-principal ids are those of `samples/app-roles.json`, so that file works with generated
/// data too.
enum AssignmentsWriter {
    static let servicePrincipalID: StaticString = "6b7fee89-7597-46b5-a5ef-089fed79a69b"
    static let userRoleID: StaticString = "268bee30-0415-45a3-8640-ad9f770ea398"
    static let adminRoleID: StaticString = "357b6f38-7c8d-4830-ba94-3096100598e4"
    static let defaultAccessID: StaticString = "00000000-0000-0000-0000-000000000000"

    static func write(_ population: Population, to file: inout OutputFile) {
        file.write("{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('")
        file.write(servicePrincipalID)
        file.write("')/appRoleAssignedTo\",\"value\":[\n")
        var first = true
        for index in 0..<population.users {
            let user = population.user(index)
            let role: StaticString
            switch user.assignment {
            case .direct(.user): role = userRoleID
            case .direct(.admin): role = adminRoleID
            case .defaultAccessOnly: role = defaultAccessID
            case .group: continue
            }
            if !first { file.write(",\n") }
            first = false
            writeAssignment(
                id: population.assignmentID(index), role: role, day: user.createdDay,
                principal: .user(user), to: &file)
        }
        // Only groups with members are assigned: SPEC §3 refuses a Group assignment without a
        // members listing, and with very few users a group can end up empty.
        var groupHasMembers = [Bool](repeating: false, count: population.groupCount)
        for index in 0..<population.users {
            if case .group(let group) = population.user(index).assignment { groupHasMembers[group] = true }
        }
        for group in 0..<population.groupCount where groupHasMembers[group] {
            if !first { file.write(",\n") }
            first = false
            writeAssignment(
                id: population.assignmentID(population.users + group), role: userRoleID, day: 1200,
                principal: .group(group, population.groupID(group)), to: &file)
        }
        file.write("\n]}\n")
    }

    /// Who an assignment is for.
    private enum Principal {
        case user(GeneratedUser)
        case group(Int, GUID)
    }

    private static func writeAssignment(
        id: [UInt8], role: StaticString, day: Int, principal: Principal,
        to file: inout OutputFile
    ) {
        file.write("{\"id\":\"")
        file.write(bytes: id)
        file.write("\",\"deletedDateTime\":null,\"appRoleId\":\"")
        file.write(role)
        file.write("\",\"createdDateTime\":\"")
        file.writeISODateTime(day: 2190 + day % 600, second: 32_400 + day * 37 % 28_800)
        file.write("\",\"principalDisplayName\":\"")
        switch principal {
        case .user(let user):
            file.writeDisplayName(user)
            file.write("\",\"principalId\":\"")
            file.write(guid: user.id)
            file.write("\",\"principalType\":\"User")
        case .group(let number, let groupID):
            file.write("Bench Group ")
            file.write(decimal: number + 1, width: 4)
            file.write("\",\"principalId\":\"")
            file.write(guid: groupID)
            file.write("\",\"principalType\":\"Group")
        }
        file.write("\",\"resourceDisplayName\":\"ThousandEyes\",\"resourceId\":\"")
        file.write(servicePrincipalID)
        file.write("\"}")
    }
}
