import Foundation
import Testing

@testable import TeprovCore

@Suite struct DirectoryInputReaderTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("teprov-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func graphAssignmentsAreRead() throws {
        let path = try write(
            "assignments.json",
            """
            {"@odata.context": "x", "value": [
              {"id": "a1", "deletedDateTime": null, "appRoleId": "00000000-0000-0000-0000-000000000000",
               "principalDisplayName": "Ann", "principalId": "U1", "principalType": "User"},
              {"id": "a2", "deletedDateTime": "2026-01-01T00:00:00Z", "appRoleId": "r1",
               "principalId": "U2", "principalType": "User"},
              {"id": "a3", "appRoleId": "r1", "principalId": "G1", "principalType": "Group",
               "principalDisplayName": "Ops"},
              {"id": "a4", "appRoleId": "r1", "principalId": "S1", "principalType": "ServicePrincipal"}
            ]}
            """)
        let (assignments, diagnostics) = try DirectoryInputReader.readAssignments(path: path)
        #expect(diagnostics.isEmpty)
        #expect(assignments.count == 4)
        #expect(assignments[0].isDefaultAccess && assignments[0].principalDisplayName == "Ann")
        #expect(assignments[0].line == 2)
        #expect(assignments[1].deletedDateTime == "2026-01-01T00:00:00Z")
        #expect(assignments[2].principalType == .group)
        #expect(assignments[3].principalType == .servicePrincipal)
    }

    @Test func csvAssignmentsAreRead() throws {
        let path = try write(
            "assignments.csv",
            "principalId,principalType,appRoleId,principalDisplayName\nU1,User,r1,Ann\nG1,group,r2,Ops\nX,Robot,r1,\n")
        let (assignments, diagnostics) = try DirectoryInputReader.readAssignments(path: path)
        #expect(assignments.map(\.principalId) == ["U1", "G1"])
        #expect(assignments[1].principalType == .group)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.line == 4)
        #expect(diagnostics.first?.message.contains("Robot") == true)
    }

    @Test func partialAssignmentsExportIsRefused() throws {
        let path = try write(
            "assignments.json",
            #"{"value": [{"principalId": "U1", "principalType": "User", "appRoleId": "r"}], "@odata.nextLink": "https://graph/next"}"#
        )
        #expect(throws: TeprovError.self) { _ = try DirectoryInputReader.readAssignments(path: path) }
    }

    @Test func appRolesAreRead() throws {
        let path = try write(
            "roles.json",
            """
            {"id": "sp", "appRoles": [
              {"id": "r1", "value": "User", "displayName": "User", "isEnabled": true},
              {"id": "r2", "value": null, "displayName": "msiam_access", "isEnabled": true},
              {"id": "r3", "value": "Old", "displayName": "Old", "isEnabled": false}
            ]}
            """)
        let roles = try DirectoryInputReader.readAppRoles(path: path)
        #expect(roles.map(\.effectiveValue) == ["User", "msiam_access", "Old"])
        #expect(roles.map(\.isEnabled) == [true, true, false])
    }

    @Test func appRolesWithoutListAreAnError() throws {
        let path = try write("roles.json", #"{"id": "sp"}"#)
        #expect(throws: TeprovError.self) { _ = try DirectoryInputReader.readAppRoles(path: path) }
    }

    @Test func groupMembersCSV() throws {
        let path = try write("members.csv", "groupId,memberId,memberType\nG1,U1,User\nG1,G2,Group\ng2,U2,User\n")
        let groups = try DirectoryInputReader.readGroupMembers(path: path, trustExpandedMembers: false)
        #expect(groups["g1"]?.memberIds == ["U1", "G2"])
        #expect(groups["g2"]?.memberIds == ["U2"])
    }

    @Test func groupMembersCSVNeedsItsColumns() throws {
        let path = try write("members.csv", "group,member\nG1,U1\n")
        #expect(throws: TeprovError.self) {
            _ = try DirectoryInputReader.readGroupMembers(path: path, trustExpandedMembers: false)
        }
    }

    @Test func wrappedMembersPages() throws {
        let path = try write(
            "members.json",
            """
            {"groups": [{"id": "G1", "displayName": "Ops", "members": [
              {"@odata.type": "#microsoft.graph.user", "id": "U1"},
              {"@odata.type": "#microsoft.graph.group", "id": "G2"}]},
              {"id": "G3", "displayName": "Empty", "members": []}]}
            """)
        let groups = try DirectoryInputReader.readGroupMembers(path: path, trustExpandedMembers: false)
        #expect(groups["g1"]?.memberIds == ["U1", "G2"])
        #expect(groups["g3"]?.memberIds == [])
    }

    func expandedGroup(members: Int) -> String {
        let list = (0..<members).map { #"{"id": "U\#($0)"}"# }.joined(separator: ",")
        return #"{"value": [{"id": "G1", "displayName": "Big", "members": [\#(list)]}]}"#
    }

    @Test func expandWithNineteenMembersIsAccepted() throws {
        let path = try write("expand.json", expandedGroup(members: 19))
        let groups = try DirectoryInputReader.readGroupMembers(path: path, trustExpandedMembers: false)
        #expect(groups["g1"]?.memberIds.count == 19)
    }

    @Test func expandWithTwentyMembersIsRefusedAsTruncated() throws {
        let path = try write("expand.json", expandedGroup(members: 20))
        #expect {
            _ = try DirectoryInputReader.readGroupMembers(path: path, trustExpandedMembers: false)
        } throws: { error in
            guard let error = error as? TeprovError else { return false }
            return error.exitCode == 4 && error.message.contains("truncates at 20")
                && error.message.contains("--trust-expanded-members")
        }
        let trusted = try DirectoryInputReader.readGroupMembers(path: path, trustExpandedMembers: true)
        #expect(trusted["g1"]?.memberIds.count == 20)
    }
}
