import Foundation
import Testing

@testable import TeprovCore

@Suite("Snapshot reader: formats")
struct SnapshotReaderTests {
    @Test func readsTheTeprovSnapshotFormat() throws {
        let (info, users) = try SnapshotTestInput.readFixture("teprov-snapshot.json")
        #expect(info.format == "teprov-snapshot")
        #expect(info.source == "https://api.thousandeyes.com/scim/v2")
        #expect(info.capturedAt == "2026-11-29T08:00:00Z")
        #expect(info.complete)
        #expect(info.totalResults == 4)
        #expect(info.users == 4)
        #expect(users.map(\.id) == ["1001", "1002", "1003", "1004"])
        #expect(users.map(\.line) == [8, 26, 40, 49])
    }

    @Test func readsASCIMListResponse() throws {
        let (info, users) = try SnapshotTestInput.readFixture("scim-list-response.json")
        #expect(info == SnapshotInfo(format: "scim-list-response", complete: true, totalResults: 2, users: 2))
        #expect(users.map(\.id) == ["2001", "2002"])
        #expect(users.map(\.externalId) == ["ext-2001", nil])
        #expect(users.map(\.active) == [true, false])
        #expect(users.map(\.line) == [7, 15])
    }

    @Test func readsAnArrayOfListResponsePages() throws {
        let (info, users) = try SnapshotTestInput.readFixture("scim-pages.json")
        #expect(info == SnapshotInfo(format: "scim-pages", complete: true, totalResults: 3, users: 3))
        #expect(users.map(\.id) == ["3001", "3002", "3003"])
        #expect(users.map(\.userName) == ["a@contoso.com", "b@contoso.com", "c@contoso.com"])
        #expect(users.map(\.line) == [8, 9, 14])
    }

    @Test func readsAPlainArrayOfSCIMUsers() throws {
        let (info, users) = try SnapshotTestInput.readFixture("scim-users.json")
        #expect(info == SnapshotInfo(format: "scim-users", complete: true, totalResults: nil, users: 2))
        #expect(users.map(\.userName) == ["lee.gu@contoso.com", "lynne.robbins@contoso.com"])
        #expect(users.map(\.active) == [true, false])
        #expect(users.map(\.line) == [2, 8])
    }

    @Test func readsAnEmptyArrayAsNoUsers() throws {
        let (info, users) = try SnapshotTestInput.read("[]")
        #expect(info.format == "scim-users")
        #expect(users.isEmpty)
    }

    @Test func readsAZeroResultListResponseWithoutResources() throws {
        let text = #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 0}"#
        let (info, users) = try SnapshotTestInput.read(text)
        #expect(info == SnapshotInfo(format: "scim-list-response", complete: true, totalResults: 0, users: 0))
        #expect(users.isEmpty)
    }

    @Test func readsThousandEyesV7UsersWhenAllowed() throws {
        let paths: Set = [SnapshotTestInput.path("displayName"), SnapshotTestInput.path("name.formatted")]
        let (info, users) = try SnapshotTestInput.readFixture(
            "thousandeyes-v7-users.json", options: .init(paths: paths, allowV7: true))
        #expect(info.format == "thousandeyes-v7")
        #expect(info.complete)
        #expect(users.map(\.id) == ["245", "246"])
        #expect(users.map(\.userName) == ["userx@thousandeyes.com", "usery@thousandeyes.com"])
        #expect(users.map(\.workEmail) == ["userx@thousandeyes.com", "usery@thousandeyes.com"])
        #expect(users.map(\.externalId) == [nil, nil])
        #expect(users[0].value(for: SnapshotTestInput.path("displayName")) == .string("User X"))
        #expect(users[0].value(for: SnapshotTestInput.path("name.formatted")) == .string("User X"))
        #expect(users.map(\.line) == [7, 17])
    }

    @Test func refusesThousandEyesV7UsersByDefault() throws {
        let path = try SnapshotTestInput.fixturePath("thousandeyes-v7-users.json")
        #expect {
            try SnapshotReader.read(path: path)
        } throws: { error in
            guard let error = error as? TeprovError else { return false }
            return error.code == .input && error.exitCode == 4 && error.file == path && error.line == 7
                && error.message
                    == "is a ThousandEyes v7 /users export, which has no SCIM id or externalId; capture a SCIM snapshot with teprov snapshot"
        }
    }

    @Test func refusesAnEmptyThousandEyesV7ExportByDefault() throws {
        let text = #"{"_links": {"self": {"href": "https://api.thousandeyes.com/v7/users"}}, "users": []}"#
        let error = try #require(SnapshotTestInput.error(text))
        #expect(error.message.hasPrefix("is a ThousandEyes v7 /users export"))
        let (info, users) = try SnapshotTestInput.read(text, options: .init(allowV7: true))
        #expect(info.format == "thousandeyes-v7")
        #expect(users.isEmpty)
    }

    @Test(arguments: [16, 17, 61, 1 << 20])
    func readsTheSameAcrossChunkBoundaries(chunkSize: Int) throws {
        let paths: Set = [
            SnapshotTestInput.path("displayName"), SnapshotTestInput.path("name.formatted"),
            SnapshotTestInput.path("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"),
            SnapshotTestInput.workEmail,
        ]
        let (_, reference) = try SnapshotTestInput.readFixture("teprov-snapshot.json", options: .init(paths: paths))
        let (_, users) = try SnapshotTestInput.readFixture(
            "teprov-snapshot.json", options: .init(paths: paths), chunkSize: chunkSize)
        #expect(users.map(\.id) == reference.map(\.id))
        #expect(users.map(\.line) == reference.map(\.line))
        #expect(users.map(\.emails) == reference.map(\.emails))
        #expect(users.map(\.attributes) == reference.map(\.attributes))
    }

    @Test func readsTheSampleSnapshot() throws {
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/snapshot.json")
        try #require(FileManager.default.fileExists(atPath: samples.path))
        let (info, users) = try SnapshotReader.read(
            path: samples.path, options: .init(paths: [SnapshotTestInput.path("displayName")]))
        #expect(info.format == "teprov-snapshot")
        #expect(info.complete)
        #expect(info.users == 20)
        #expect(users.count == info.totalResults)
        #expect(users.allSatisfy { !$0.id.isEmpty && $0.userName != nil })
    }

    @Test func readsSnapshotBytesHeldInMemory() throws {
        let text = SnapshotTestInput.teprovSnapshot([#"{"id": "1", "userName": "a@x.com"}"#])
        let (info, users) = try SnapshotReader.read(bytes: Array(text.utf8), sourceName: "response")
        #expect(info.format == "teprov-snapshot")
        #expect(users.map(\.userName) == ["a@x.com"])
    }
}
