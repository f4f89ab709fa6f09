import Foundation
import Testing

@testable import TeprovCore

@Suite("Snapshot reader: refusals")
struct SnapshotRefusalTests {
    static let listResponseSchema = #""schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]"#

    func page(total: Int, ids: [Int]) -> String {
        let users = ids.map { #"{"id": "\#($0)", "userName": "u\#($0)@x.com"}"# }.joined(separator: ",\n")
        return "{\(Self.listResponseSchema), \"totalResults\": \(total),\n\"Resources\": [\n\(users)\n]}"
    }

    @Test func refusesASnapshotMarkedIncomplete() throws {
        let text = SnapshotTestInput.teprovSnapshot([#"{"id": "1"}"#], complete: "false")
        let error = try #require(SnapshotTestInput.error(text))
        #expect(error.code == .input)
        #expect(error.exitCode == 4)
        #expect(error.line == 1)
        #expect(error.file?.hasSuffix("snapshot.json") == true)
        #expect(error.message.contains(#"says "complete": false"#))
        #expect(error.message.contains("--allow-incomplete-snapshot"))
    }

    @Test func readsAnIncompleteSnapshotWhenAllowed() throws {
        let text = SnapshotTestInput.teprovSnapshot(
            [#"{"id": "1"}"#, #"{"id": "2"}"#], complete: "false", totalResults: 5)
        let (info, users) = try SnapshotTestInput.read(text, options: .init(allowIncomplete: true))
        #expect(!info.complete)
        #expect(info.totalResults == 5)
        #expect(users.map(\.id) == ["1", "2"])
    }

    @Test func refusesASnapshotHoldingFewerUsersThanTotalResults() throws {
        let text = SnapshotTestInput.teprovSnapshot([#"{"id": "1"}"#], totalResults: 2)
        let error = try #require(SnapshotTestInput.error(text))
        #expect(error.message.contains("says totalResults is 2 but holds 1 users"))
    }

    @Test func refusesASnapshotThatDoesNotSayComplete() throws {
        let text = "{\"formatVersion\": 1,\n\"users\": [{\"id\": \"1\"}]}"
        let error = try #require(SnapshotTestInput.error(text))
        #expect(error.message.contains(#"does not say "complete": true"#))
        #expect(error.line == 1)
    }

    @Test func refusesAShortListResponse() throws {
        let text = page(total: 3, ids: [1, 2])
        let error = try #require(SnapshotTestInput.error(text))
        #expect(error.code == .input)
        #expect(error.line == 1)
        #expect(error.message.contains("says totalResults is 3 but holds 2 distinct users"))
        #expect(error.message.contains("put every page into the file"))
        let (info, users) = try SnapshotTestInput.read(text, options: .init(allowIncomplete: true))
        #expect(info.format == "scim-list-response")
        #expect(!info.complete)
        #expect(users.count == 2)
    }

    @Test func refusesPagesThatSumShortOfTotalResults() throws {
        let text = "[\n" + page(total: 4, ids: [1, 2]) + ",\n" + page(total: 4, ids: [3]) + "\n]"
        let error = try #require(SnapshotTestInput.error(text))
        #expect(error.message.contains("has pages that say totalResults is 4 but hold 3 distinct users in all"))
        #expect(error.line == 2)
        let (info, users) = try SnapshotTestInput.read(text, options: .init(allowIncomplete: true))
        #expect(info == SnapshotInfo(format: "scim-pages", complete: false, totalResults: 4, users: 3))
        #expect(users.map(\.id) == ["1", "2", "3"])
    }

    @Test func acceptsPagesWhoseTotalGrewOrShrankMidway() throws {
        let text = "[" + page(total: 2, ids: [1, 2]) + "," + page(total: 3, ids: [3]) + "]"
        let (info, _) = try SnapshotTestInput.read(text)
        #expect(info.complete)
        #expect(info.totalResults == 3)
    }

    @Test func refusesDuplicateIDsNamingBothLines() throws {
        let text = SnapshotTestInput.teprovSnapshot([
            #"{"id": "7", "userName": "a@x.com"}"#, #"{"id": "8", "userName": "b@x.com"}"#,
            #"{"id": "7", "userName": "c@x.com"}"#,
        ])
        let error = try #require(SnapshotTestInput.error(text))
        #expect(error.code == .input)
        #expect(error.line == 5)
        #expect(error.message.hasPrefix(#"the users at lines 3 and 5 both have the id "7""#))
    }

    @Test func refusesUserNamesThatDifferOnlyInCase() throws {
        let text = SnapshotTestInput.teprovSnapshot([
            #"{"id": "1", "userName": "Jane.Doe@contoso.com"}"#, #"{"id": "2", "userName": "jane.doe@contoso.com"}"#,
        ])
        let error = try #require(SnapshotTestInput.error(text))
        #expect(error.line == 4)
        #expect(
            error.message.hasPrefix(
                #"the users "1" (line 3) and "2" (line 4) have the userNames "Jane.Doe@contoso.com" and "jane.doe@contoso.com", which are the same ignoring case"#
            ))
    }

    @Test func countsEveryRepeatedUserName() throws {
        let text = SnapshotTestInput.teprovSnapshot(
            (1...3).map { #"{"id": "\#($0)", "userName": "same@x.com"}"# } + [
                #"{"id": "9", "userName": "ÉVE@x.com"}"#,
                #"{"id": "10", "userName": "éve@x.com"}"#,
            ])
        let error = try #require(SnapshotTestInput.error(text))
        #expect(error.message.contains(#"both have the userName "same@x.com" (3 repeated userNames in all)"#))
    }

    @Test func refusesAUserWithoutID() throws {
        let text = SnapshotTestInput.teprovSnapshot([#"{"id": "1"}"#, #"{"userName": "b@x.com"}"#])
        let error = try #require(SnapshotTestInput.error(text))
        #expect(error.line == 4)
        #expect(error.message.hasPrefix(#"a user has no "id""#))
        #expect(SnapshotTestInput.error(#"[{"id": ""}]"#)?.message.hasPrefix(#"a user has no "id""#) == true)
        #expect(SnapshotTestInput.error("[{}]")?.message.hasPrefix(#"a user has no "id""#) == true)
    }

    @Test func refusesAnUnknownFormatVersion() throws {
        let text = "{\n\"formatVersion\": 2, \"complete\": true, \"users\": []}"
        let error = try #require(SnapshotTestInput.error(text))
        #expect(error.line == 2)
        #expect(error.message.hasPrefix("has formatVersion 2, which this teprov does not read (it reads 1)"))
    }

    @Test(arguments: [
        ("{\"formatVersion\": 1, \"users\": [{\"id\": \"1\"},]}", "trailing comma"),
        ("{\"formatVersion\": 1, \"users\": [", "truncated"),
        ("[{\"id\": \"1\"}] x", "after the end of the JSON value"),
    ])
    func refusesInvalidJSON(text: String, phrase: String) throws {
        let error = try #require(SnapshotTestInput.error(text))
        #expect(error.code == .input)
        #expect(error.message.contains(phrase))
    }

    @Test(arguments: [
        (#""just a string""#, "holds a single JSON value"),
        (#"{"id": "1", "userName": "a@x.com"}"#, "holds one user object"),
        (#"{"value": []}"#, "has neither"),
        (#"{"users": [{"id": "1"}]}"#, "no formatVersion"),
        (#"{"formatVersion": 1, "complete": true}"#, #"no "users" array"#),
        (#"[1, 2]"#, "not an object"),
        (#"{"totalResults": 1, "Resources": ["x"]}"#, "not a user object"),
        (#"[{"totalResults": 0}, {"id": "1"}]"#, "mixes ListResponse pages and single users"),
        (#"{"formatVersion": 1, "complete": "yes", "users": []}"#, "neither true nor false"),
        ("", "is empty"),
    ])
    func refusesFilesThatAreNotSnapshots(text: String, phrase: String) throws {
        let error = try #require(SnapshotTestInput.error(text))
        #expect(error.code == .input)
        #expect(error.message.contains(phrase))
    }

    @Test func refusesMixedV7AndSCIMUsers() throws {
        let text = #"{"users": [{"uid": "1", "email": "a@x.com"}, {"id": "2", "userName": "b@x.com"}]}"#
        let error = try #require(SnapshotTestInput.error(text, options: .init(allowV7: true)))
        #expect(error.message.hasPrefix(#"a user has no "id""#))
    }
}
