import Testing

@testable import TeprovCore

/// SPEC §3 and §4: entitlement edge cases and one test per scope rule, from records to desired users.
@Suite struct EntitlementScopeTests {
    static let userRole = "11111111-1111-1111-1111-111111111111"
    static let adminRole = "22222222-2222-2222-2222-222222222222"
    static let disabledRole = "33333333-3333-3333-3333-333333333333"
    static let msiamRole = "44444444-4444-4444-4444-444444444444"
    static let defaultAccess = AppRoleAssignment.defaultAccessRoleId

    static let roles = [
        AppRole(id: userRole, value: "User", displayName: "User", isEnabled: true),
        AppRole(id: adminRole, value: "Admin", displayName: "Admin", isEnabled: true),
        AppRole(id: disabledRole, value: "Old", displayName: "Old role", isEnabled: false),
        AppRole(id: msiamRole, value: nil, displayName: "msiam_access", isEnabled: true),
    ]

    func record(_ id: String, line: Int = 2, _ extra: [(String, AttributeValue)] = []) -> SourceRecord {
        var record = SourceRecord(origin: RecordOrigin(file: "users.csv", line: line, index: line - 2))
        record["id"] = .string(id)
        record["userPrincipalName"] = .string("\(id)@contoso.com")
        record["displayName"] = .string("User \(id)")
        for (name, value) in extra { record[name] = value }
        return record
    }

    func user(_ id: String, to role: String) -> AppRoleAssignment {
        AppRoleAssignment(principalId: id, principalType: .user, appRoleId: role, file: "assignments.json", line: 1)
    }

    func normalization(
        _ assignments: [AppRoleAssignment]?, roles: [AppRole]? = EntitlementScopeTests.roles,
        groups: [GroupListing] = [], configure: (inout TeprovConfig) -> Void = { _ in }
    ) throws -> Normalization {
        var config = TeprovConfig()
        configure(&config)
        var table: [String: GroupListing] = [:]
        for group in groups { table[group.id.lowercased()] = group }
        return try Normalization(
            config: config, inputs: DirectoryInputs(assignments: assignments, appRoles: roles, groups: table))
    }

    func reason(_ normalization: Normalization, _ record: SourceRecord, deleted: Bool = false) -> OutOfScopeReason? {
        normalization.normalize(record, fromDeletedExport: deleted).scope.reason
    }

    // MARK: entitlement edge cases

    @Test func defaultAccessOnlyIsOutOfScope() throws {
        let n = try normalization([user("a", to: Self.defaultAccess)])
        #expect(reason(n, record("a")) == .defaultAccessOnly)
    }

    @Test func defaultAccessEntitlesWhenNotSkipped() throws {
        let n = try normalization([user("a", to: Self.defaultAccess)]) { $0.skipDefaultAccess = false }
        let desired = n.normalize(record("a"), fromDeletedExport: false)
        #expect(desired.scope.inScope)
        #expect(desired.scope.roleValues == ["Default Access"])
    }

    @Test func defaultAccessPlusARealRoleIsInScope() throws {
        let n = try normalization([user("a", to: Self.defaultAccess), user("a", to: Self.adminRole)])
        let desired = n.normalize(record("a"), fromDeletedExport: false)
        #expect(desired.scope.inScope)
        #expect(desired.scope.roleValues == ["Admin"])
    }

    @Test func directGroupMemberIsAssignedButNestedGroupMemberIsNot() throws {
        let groups = [
            GroupListing(id: "G-OPS", displayName: "Network Ops", memberIds: ["a", "G-NESTED"], file: "g.csv"),
            GroupListing(id: "G-NESTED", displayName: "Nested", memberIds: ["b"], file: "g.csv"),
        ]
        let assignment = AppRoleAssignment(
            principalId: "g-ops", principalType: .group, appRoleId: Self.userRole, file: "assignments.json")
        let n = try normalization([assignment], groups: groups)
        #expect(reason(n, record("a")) == nil)
        #expect(n.normalize(record("a"), fromDeletedExport: false).scope.roleValues == ["User"])
        #expect(reason(n, record("b")) == .unassigned)
    }

    @Test func groupAssignmentWithDefaultAccessDoesNotEntitle() throws {
        let groups = [GroupListing(id: "G", displayName: "All", memberIds: ["a"], file: "g.csv")]
        let assignment = AppRoleAssignment(
            principalId: "G", principalType: .group, appRoleId: Self.defaultAccess, file: "assignments.json")
        let n = try normalization([assignment], groups: groups)
        #expect(reason(n, record("a")) == .defaultAccessOnly)
    }

    @Test func unknownRoleDoesNotEntitleAndWarns() throws {
        let n = try normalization([user("a", to: "99999999-9999-9999-9999-999999999999")])
        #expect(reason(n, record("a")) == .unassigned)
        #expect(n.entitlements?.diagnostics.contains { $0.message.contains("is not in --app-roles") } == true)
    }

    @Test func withoutAppRolesEveryRoleButDefaultAccessEntitles() throws {
        let n = try normalization(
            [user("a", to: "99999999-9999-9999-9999-999999999999"), user("b", to: Self.defaultAccess)], roles: nil)
        #expect(reason(n, record("a")) == nil)
        #expect(reason(n, record("b")) == .defaultAccessOnly)
    }

    @Test func disabledRoleDoesNotEntitle() throws {
        let n = try normalization([user("a", to: Self.disabledRole)])
        #expect(reason(n, record("a")) == .unassigned)
    }

    @Test func msiamAccessEntitlesUnderItsDisplayName() throws {
        let n = try normalization([user("a", to: Self.msiamRole)])
        let desired = n.normalize(record("a"), fromDeletedExport: false)
        #expect(desired.scope.inScope)
        #expect(desired.scope.roleValues == ["msiam_access"])
    }

    @Test func deletedAssignmentAndServicePrincipalAreIgnored() throws {
        var deleted = user("a", to: Self.userRole)
        deleted.deletedDateTime = "2026-11-01T00:00:00Z"
        let servicePrincipal = AppRoleAssignment(
            principalId: "b", principalType: .servicePrincipal, appRoleId: Self.userRole, file: "assignments.json")
        let n = try normalization([deleted, servicePrincipal])
        #expect(reason(n, record("a")) == .unassigned)
        #expect(reason(n, record("b")) == .unassigned)
    }

    @Test func groupWithoutMembersListingIsAnErrorNamingTheGroup() {
        let assignment = AppRoleAssignment(
            principalId: "G-X", principalType: .group, appRoleId: Self.userRole, principalDisplayName: "Finance",
            file: "assignments.json", line: 9)
        #expect {
            _ = try normalization([assignment])
        } throws: { error in
            guard let error = error as? TeprovError else { return false }
            return error.exitCode == 4 && error.message.contains("\"Finance\" (G-X)") && error.line == 9
        }
    }

    @Test func assignmentIdsMatchCaseInsensitively() throws {
        let n = try normalization([user("ABC-1", to: Self.userRole)])
        #expect(reason(n, record("abc-1")) == nil)
    }

    @Test func fewerThanHalfResolvingWarns() throws {
        let n = try normalization([
            user("a", to: Self.userRole), user("x", to: Self.userRole), user("y", to: Self.userRole),
        ])
        let warning = n.entitlements?.identifierMismatchWarning(sourceIds: ["a"], file: "assignments.json")
        #expect(warning?.message.contains("only 1 of 3 user assignments") == true)
        #expect(n.entitlements?.identifierMismatchWarning(sourceIds: ["a", "x"], file: "f") == nil)
    }

    // MARK: scope rules (SPEC §4 "In scope"), one per row, with the precedence of reasons

    @Test func scopeAllNeedsNoAssignment() throws {
        let n = try normalization(nil) { $0.scope = .all }
        #expect(reason(n, record("a")) == nil)
    }

    @Test func scopeAssignedWithoutAssignmentsIsAUsageError() {
        #expect {
            _ = try normalization(nil)
        } throws: { error in
            (error as? TeprovError)?.exitCode == 64
        }
    }

    @Test func unassignedUserIsOutOfScope() throws {
        let n = try normalization([user("b", to: Self.userRole)])
        #expect(reason(n, record("a")) == .unassigned)
    }

    @Test(arguments: [AttributeValue.bool(false), .string("False"), .string("FALSE"), .string("false")])
    func disabledAccountIsOutOfScope(value: AttributeValue) throws {
        let n = try normalization([user("a", to: Self.userRole)])
        #expect(reason(n, record("a", [("accountEnabled", value)])) == .sourceDisabled)
    }

    @Test func softDeletedWinsOverEveryOtherReason() throws {
        let n = try normalization([user("b", to: Self.userRole)])
        let disabledUnassigned = record("a", [("accountEnabled", .bool(false))])
        #expect(reason(n, disabledUnassigned, deleted: true) == .sourceSoftDeleted)
        #expect(reason(n, record("a", [("deletedDateTime", .string("2026-11-20T10:00:00Z"))])) == .sourceSoftDeleted)
    }

    @Test func disabledWinsOverDefaultAccessOnly() throws {
        let n = try normalization([user("a", to: Self.defaultAccess)])
        #expect(reason(n, record("a", [("accountEnabled", .bool(false))])) == .sourceDisabled)
    }

    @Test func unassignedWinsOverScopingFilter() throws {
        let filters = try ScopingFilterSet(specs: [[.init(attribute: "department", operator: "EQUALS", value: "Sales")]]
        )
        let n = try normalization([user("b", to: Self.userRole)]) { $0.scopingFilters = filters }
        #expect(reason(n, record("a", [("department", .string("IT"))])) == .unassigned)
    }

    @Test func scopingFilterFailingIsOutOfScope() throws {
        let filters = try ScopingFilterSet(specs: [[.init(attribute: "department", operator: "EQUALS", value: "Sales")]]
        )
        let n = try normalization([user("a", to: Self.userRole)]) { $0.scopingFilters = filters }
        #expect(reason(n, record("a", [("department", .string("IT"))])) == .scopingFilter)
        #expect(reason(n, record("a", [("department", .string("Sales"))])) == nil)
    }

    @Test func scopingFiltersSeeAGuestUPNAsAliasAtDomain() throws {
        let filters = try ScopingFilterSet(specs: [
            [.init(attribute: "userPrincipalName", operator: "ENDS_WITH", value: "@fabrikam.com")]
        ])
        let n = try normalization(nil) {
            $0.scope = .all; $0.scopingFilters = filters
        }
        let guest = record("g", [("userPrincipalName", .string("adele_fabrikam.com#EXT#@contoso.onmicrosoft.com"))])
        #expect(reason(n, guest) == nil)
    }

    // MARK: mapping to desired users

    @Test func defaultMappingProducesTheDesiredUser() throws {
        let n = try normalization([user("a", to: Self.userRole)])
        let desired = n.normalize(
            record(
                "a",
                [("mail", .string("a@contoso.com")), ("givenName", .string("Ann")), ("surname", .string("Lee"))]),
            fromDeletedExport: false)
        func value(_ path: String) throws -> AttributeValue? {
            desired.value(for: try SCIMAttributePath(parsing: path))
        }
        #expect(try value("externalId") == .string("a"))
        #expect(try value("userName") == .string("a@contoso.com"))
        #expect(try value("active") == .bool(true))
        #expect(try value("displayName") == .string("User a"))
        #expect(try value("emails[type eq \"work\"].value") == .string("a@contoso.com"))
        #expect(try value("name.formatted") == .string("Ann Lee"))
        #expect(desired.matchingValues.map(\.target.description) == ["externalId", "userName"])
    }

    @Test func outOfScopeUserMapsActiveFalse() throws {
        let n = try normalization([user("b", to: Self.userRole)])
        let desired = n.normalize(record("a"), fromDeletedExport: false)
        #expect(desired.value(for: try SCIMAttributePath(parsing: "active")) == .bool(false))
    }

    @Test func nullValueIsNotSentButDefaultIsKeptForCreate() throws {
        let title = try AttributeMapping(
            target: SCIMAttributePath(parsing: "title"), source: "[jobTitle]", defaultValue: "Staff")
        let n = try normalization([user("a", to: Self.userRole)]) { $0.mappings.append(title) }
        let desired = n.normalize(record("a"), fromDeletedExport: false)
        let mapped = try #require(desired.values.last)
        #expect(mapped.value == nil)
        #expect(mapped.valueOnCreate == .string("Staff"))
    }

    @Test func guestUPNIsMappedAsAliasAtDomain() throws {
        let n = try normalization(nil) { $0.scope = .all }
        let guest = record(
            "g", [("userPrincipalName", .string("adele.vance_fabrikam.com#EXT#@contoso.onmicrosoft.com"))])
        let desired = n.normalize(guest, fromDeletedExport: false)
        #expect(desired.value(for: try SCIMAttributePath(parsing: "userName")) == .string("adele.vance@fabrikam.com"))
        #expect(desired.userPrincipalName == "adele.vance_fabrikam.com#EXT#@contoso.onmicrosoft.com")
    }
}
