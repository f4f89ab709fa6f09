import Foundation
import Testing

@testable import TeprovCore

/// `SnapshotDiff.compare` on snapshot files: pairing, added/removed/changed, renames, keys, the
/// formats it reads, and the inputs it refuses (SPEC §9).
@Suite("Diff: comparing snapshots")
struct SnapshotDiffTests {
    typealias Input = DiffTestInput

    static let alice = Input.user("1", "alice@contoso.com", #""displayName": "Alice""#)
    static let bob = Input.user("2", "bob@contoso.com", #""displayName": "Bob""#)
    static let carol = Input.user("3", "carol@contoso.com", #""displayName": "Carol""#)

    @Test func aSnapshotComparedWithItselfHasNoDifferences() async throws {
        let text = Input.snapshot([Self.alice, Self.bob, Self.carol])
        let result = try await Input.diff(text, text)
        #expect(!result.hasDifferences)
        #expect(result.unchanged == 3)
        #expect(DiffRenderer.summary(result) == "no differences: 3 users unchanged")
    }

    @Test func addedRemovedAndChangedUsersAreSortedByUserName() async throws {
        let result = try await Input.diff(
            Input.snapshot([
                Self.carol, Self.bob, Input.user("4", "Zed@contoso.com"), Input.user("5", "adam@contoso.com"),
            ]),
            Input.snapshot([
                Input.user("3", "carol@contoso.com", #""displayName": "Carol Smith""#), Self.alice,
                Input.user("6", "ben@contoso.com"), Self.bob,
            ]))
        #expect(result.added.map(\.userName) == ["alice@contoso.com", "ben@contoso.com"])
        #expect(result.removed.map(\.userName) == ["adam@contoso.com", "Zed@contoso.com"])
        #expect(result.changed.map(\.id) == ["3"])
        #expect(
            result.changed.first?.changes
                == [DiffAttributeChange(attribute: "displayName", old: .string("Carol"), new: .string("Carol Smith"))])
        #expect(result.unchanged == 1)
    }

    @Test func aUserPairedByIdWhoseUserNameChangedIsARenamedUser() async throws {
        let result = try await Input.diff(
            Input.snapshot([Self.alice]),
            Input.snapshot([Input.user("1", "alice.smith@contoso.com", #""displayName": "Alice""#)]))
        #expect(result.added.isEmpty && result.removed.isEmpty)
        #expect(
            result.changed == [
                DiffChangedUser(
                    id: "1", userName: "alice.smith@contoso.com",
                    changes: [
                        DiffAttributeChange(
                            attribute: "userName", old: .string("alice@contoso.com"),
                            new: .string("alice.smith@contoso.com"))
                    ])
            ])
    }

    @Test func keyUserNamePairsIgnoringCaseAndShowsANewId() async throws {
        let options = SnapshotDiff.Options(key: .userName)
        let result = try await Input.diff(
            Input.snapshot([Self.alice, Input.user("7", "ÉMILE@contoso.com")]),
            Input.snapshot([
                Input.user("9", "Alice@Contoso.com", #""displayName": "Alice""#), Input.user("8", "émile@contoso.com"),
            ]),
            options: options)
        #expect(result.added.isEmpty && result.removed.isEmpty)
        #expect(
            result.changed.map { $0.changes.map(\.attribute) } == [["id", "userName"], ["id", "userName"]])
        #expect(result.changed.map(\.userName) == ["Alice@Contoso.com", "émile@contoso.com"])
    }

    @Test func reformattedButEqualUsersAreUnchanged() async throws {
        let old = Input.snapshot([#"{"id": "1", "userName": "a@x", "name": {"givenName": "A", "familyName": "B"}}"#])
        let new = Input.snapshot([
            "{\n  \"name\": {\"familyName\": \"B\", \"givenName\": \"A\"},\n  \"userName\": \"a@x\", \"id\": \"1\",\n  \"meta\": {\"version\": \"W/\\\"2\\\"\"}\n}"
        ])
        let result = try await Input.diff(old, new)
        #expect(!result.hasDifferences)
        #expect(result.unchanged == 1)
    }

    @Test func aThousandEyesV7ExportIsComparedInSCIMTerms() async throws {
        let v7 = """
            {"_links": {"self": {"href": "https://api.thousandeyes.com/v7/users"}}, "users": [
            {"uid": "245", "name": "User X", "email": "userx@thousandeyes.com"},
            {"uid": "246", "name": "User Y", "email": "usery@thousandeyes.com"}]}
            """
        let scim = Input.snapshot([
            #"{"id": "245", "userName": "userx@thousandeyes.com", "displayName": "User X", "name": {"formatted": "User X"}, "emails": [{"value": "userx@thousandeyes.com", "primary": true}]}"#,
            #"{"id": "246", "userName": "usery@thousandeyes.com", "displayName": "User Why", "name": {"formatted": "User Y"}, "emails": [{"value": "usery@thousandeyes.com", "primary": true}]}"#,
        ])
        let result = try await Input.diff(v7, scim)
        #expect(result.oldFormat == SnapshotInfo.thousandEyesV7)
        #expect(result.unchanged == 1)
        #expect(
            result.changed.map(\.changes) == [
                [DiffAttributeChange(attribute: "displayName", old: .string("User Y"), new: .string("User Why"))]
            ])
    }

    @Test(arguments: [
        (#"{"Resources": [USERS], "totalResults": 2}"#, SnapshotInfo.scimListResponse),
        (#"[{"Resources": [USER1], "totalResults": 2}, {"Resources": [USER2]}]"#, SnapshotInfo.scimPages),
        ("[USERS]", SnapshotInfo.scimUsers),
    ])
    func everySnapshotFormatIsRead(template: String, format: String) async throws {
        let users = [Self.alice, Self.bob]
        let text = template.replacingOccurrences(of: "USERS", with: users.joined(separator: ","))
            .replacingOccurrences(of: "USER1", with: users[0]).replacingOccurrences(of: "USER2", with: users[1])
        let result = try await Input.diff(text, Input.snapshot(users))
        #expect(result.oldFormat == format)
        #expect(!result.hasDifferences && result.unchanged == 2)
    }

    @Test func anIncompleteSnapshotIsReadWithANote() async throws {
        let result = try await Input.diff(
            Input.snapshot([Self.alice], complete: false), Input.snapshot([Self.alice, Self.bob]))
        #expect(result.added.map(\.id) == ["2"])
        let note = try #require(result.notes.first)
        #expect(note.file.hasSuffix("old.json") && note.line == 1)
        #expect(note.message.contains("\"complete\": false") && note.message.contains("show as added or removed"))
    }

    @Test func repeatedKeysAreRefusedNamingBothLines() async throws {
        let error = await Input.error(Input.snapshot([Self.alice, Self.alice]), Input.snapshot([Self.alice]))
        #expect(error?.code == .input)
        #expect(error?.file?.hasSuffix("old.json") == true && error?.line == 4)
        #expect(error?.message.contains("lines 3 and 4 both have the id \"1\"") == true)
        let byName = await Input.error(
            Input.snapshot([Self.alice]), Input.snapshot([Self.alice, Input.user("2", "ALICE@contoso.com")]),
            options: .init(key: .userName))
        #expect(byName?.file?.hasSuffix("new.json") == true && byName?.line == 4)
        #expect(byName?.message.contains("same ignoring case, so --key userName cannot pair them") == true)
    }

    @Test func keyUserNameNeedsEveryUserToHaveOne() async throws {
        let error = await Input.error(
            Input.snapshot([#"{"id": "1"}"#]), Input.snapshot([Self.alice]), options: .init(key: .userName))
        #expect(error?.line == 3)
        #expect(error?.message.contains("has no userName, so --key userName cannot pair it") == true)
    }

    @Test func malformedJSONIsAnInputErrorNamingTheLine() async throws {
        let error = await Input.error(
            Input.snapshot([Self.alice]), "{\"formatVersion\": 1, \"users\": [\n{\"id\": \"1\",}]}")
        #expect(error?.code == .input)
        #expect(error?.file?.hasSuffix("new.json") == true && error?.line == 2)
    }

    @Test func aUserWithoutIdIsRefused() async throws {
        let error = await Input.error(Input.snapshot([#"{"userName": "a@x"}"#]), Input.snapshot([]))
        #expect(error?.line == 3 && error?.message.contains("has no \"id\"") == true)
    }

    @Test func emptySnapshotsHaveNoDifferences() async throws {
        let result = try await Input.diff(Input.snapshot([]), Input.snapshot([]))
        #expect(!result.hasDifferences && result.unchanged == 0)
        #expect(DiffRenderer.summary(result) == "no differences: 0 users unchanged")
    }

    @Test func aMissingFileIsAnIOError() async throws {
        do {
            _ = try await SnapshotDiff.compare(oldPath: "/nonexistent/old.json", newPath: "/nonexistent/new.json")
            Issue.record("a missing file was read")
        } catch let error as TeprovError {
            #expect(error.code == .io && error.file == "/nonexistent/old.json")
        }
    }
}
