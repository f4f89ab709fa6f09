import Foundation
import Testing

@testable import TeprovCore

@Suite("Snapshot reader: attributes")
struct SnapshotAttributeTests {
    static let requested = [
        "userName", "externalId", "active", "displayName", "name.formatted", "name.givenName", "title",
        "emails[type eq \"work\"].value", "emails[type eq \"home\"].value", "phoneNumbers[type eq \"work\"].value",
        "addresses[type eq \"work\"].locality", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
    ]
    static let paths = Set(requested.map(SnapshotTestInput.path))

    func fixtureUsers() throws -> [TargetUser] {
        try SnapshotTestInput.readFixture("teprov-snapshot.json", options: .init(paths: Self.paths)).1
    }

    func value(_ user: TargetUser, _ path: String) -> AttributeValue? {
        user.value(for: SnapshotTestInput.path(path))
    }

    @Test func readsEveryRequestedPath() throws {
        let adele = try fixtureUsers()[0]
        let expected: [String: AttributeValue] = [
            "userName": .string("adele.vance@contoso.com"),
            "externalId": .string("6c0a8a7e-1111-4b1c-9d0e-000000000001"),
            "active": .bool(true),
            "displayName": .string("Adele Vance"),
            "name.formatted": .string("Adele Vance"),
            "name.givenName": .string("Adele"),
            "title": .string("Retail Manager"),
            "emails[type eq \"work\"].value": .string("adele.vance@contoso.com"),
            "phoneNumbers[type eq \"work\"].value": .string("+1 425 555 0100"),
            "addresses[type eq \"work\"].locality": .string("Bellevue"),
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": .string("Retail"),
        ]
        let expectedByPath = Dictionary(
            uniqueKeysWithValues: expected.map { (SnapshotTestInput.path($0.key), $0.value) })
        #expect(adele.attributes.dictionary == expectedByPath)
        #expect(adele.version == "W/\"3\"")
    }

    @Test func matchesSCIMNamesIgnoringCase() throws {
        let alex = try fixtureUsers()[1]
        #expect(alex.id == "1002")
        #expect(alex.externalId == "6c0a8a7e-1111-4b1c-9d0e-000000000002")
        #expect(alex.userName == "Alex.Wilber@contoso.com")
        #expect(value(alex, "name.formatted") == .string("Alex Wilber"))
        #expect(value(alex, "displayName") == .string("Alex Wilber"))
        #expect(
            value(alex, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department")
                == .string("Engineering"))
        #expect(alex.version == "W/\"7\"")
        #expect(alex.active == false)
        #expect(
            alex.emails == [
                TargetEmail(value: "alex@home.example", type: "home", primary: false),
                TargetEmail(value: "alex.wilber@contoso.com", type: "Work", primary: false),
            ])
    }

    @Test func workEmailIsTheTypedWorkEntry() throws {
        let alex = try fixtureUsers()[1]
        #expect(alex.workEmail == "alex.wilber@contoso.com")
        #expect(alex.hasTypedWorkEmail)
        #expect(value(alex, "emails[type eq \"home\"].value") == .string("alex@home.example"))
    }

    @Test func workEmailFallsBackToThePrimaryEntry() throws {
        let local = try fixtureUsers()[2]
        #expect(local.workEmail == "primary@contoso.com")
        #expect(!local.hasTypedWorkEmail)
        #expect(value(local, "emails[type eq \"work\"].value") == .string("primary@contoso.com"))
        #expect(local.emails.map(\.primary) == [false, true])
    }

    @Test func workEmailFallsBackToTheFirstEntryWithAValue() throws {
        let zoe = try fixtureUsers()[3]
        #expect(zoe.emails.map(\.value) == ["first@contoso.com", "other@contoso.com"])
        #expect(zoe.workEmail == "first@contoso.com")
        #expect(!zoe.hasTypedWorkEmail)
    }

    @Test func workEmailPrefersThePrimaryAmongSeveralWorkEntries() {
        let user = TargetUser(
            id: "1",
            emails: [
                TargetEmail(value: "old@x.com", type: "work"),
                TargetEmail(value: "new@x.com", type: "work", primary: true),
            ])
        #expect(user.workEmail == "new@x.com")
        #expect(TargetUser(id: "2").workEmail == nil)
    }

    @Test func stringsAreNFCNormalizedAndTrimmed() throws {
        let zoe = try fixtureUsers()[3]
        #expect(zoe.userName == "Zo\u{E9}.Caf\u{E9}@contoso.com")
        #expect(
            zoe.userName?.unicodeScalars.count
                == "Zoé.Café@contoso.com".precomposedStringWithCanonicalMapping.unicodeScalars.count)
        #expect(value(zoe, "displayName") == .string("Zo\u{E9}"))
    }

    @Test func absentAttributesAreNotKeys() throws {
        let local = try fixtureUsers()[2]
        #expect(value(local, "displayName") == nil)
        #expect(value(local, "externalId") == nil)
        #expect(local.attributes.dictionary.keys.contains(SnapshotTestInput.path("displayName")) == false)
        #expect(local.attributes[SnapshotTestInput.path("active")] == .bool(false))
    }

    @Test func unrequestedAttributesAreNotKept() throws {
        let (_, users) = try SnapshotTestInput.readFixture("teprov-snapshot.json")
        #expect(users[0].value(for: SnapshotTestInput.path("displayName")) == nil)
        #expect(users[0].attributes.isEmpty)
        #expect(users[0].workEmail == "adele.vance@contoso.com")
    }

    @Test(arguments: [
        ("true", true), ("false", false), ("\"False\"", false), ("\"false\"", false), ("\"TRUE\"", true),
        ("null", true), ("\"maybe\"", true),
    ])
    func readsActiveSpellings(json: String, expected: Bool) throws {
        let text = SnapshotTestInput.teprovSnapshot([#"{"id": "1", "active": \#(json)}"#])
        #expect(try SnapshotTestInput.read(text).1[0].active == expected)
    }

    @Test func activeIsTrueWhenAbsent() throws {
        let text = SnapshotTestInput.teprovSnapshot([#"{"id": "1", "userName": "a@x.com"}"#])
        let user = try #require(try SnapshotTestInput.read(text).1.first)
        #expect(user.active)
        #expect(user.value(for: SnapshotTestInput.path("active")) == .bool(true))
    }

    @Test func typesNonStringValuesAsText() throws {
        let text = SnapshotTestInput.teprovSnapshot([
            #"{"id": 42, "userName": "a@x.com", "title": 7, "displayName": true, "nickName": {"x": 1}}"#
        ])
        let paths: Set = [
            SnapshotTestInput.path("title"), SnapshotTestInput.path("displayName"), SnapshotTestInput.path("nickName"),
        ]
        let user = try #require(try SnapshotTestInput.read(text, options: .init(paths: paths)).1.first)
        #expect(user.id == "42")
        #expect(user.value(for: SnapshotTestInput.path("title")) == .string("7"))
        #expect(user.value(for: SnapshotTestInput.path("displayName")) == .string("True"))
        #expect(user.value(for: SnapshotTestInput.path("nickName")) == nil)
    }

    @Test func sharesRepeatedStringsBetweenUsers() throws {
        let users = (1...3).map { #"{"id": "\#($0)", "title": "Senior Network Operations Engineer"}"# }
        let titles = try SnapshotTestInput.read(
            SnapshotTestInput.teprovSnapshot(users), options: .init(paths: [SnapshotTestInput.path("title")])
        ).1.map { $0.value(for: SnapshotTestInput.path("title")) }
        #expect(Set(titles) == [.string("Senior Network Operations Engineer")])
        var interner = StringInterner(limit: 2)
        let first = interner.intern(String(repeating: "a", count: 20))
        let second = interner.intern(String(repeating: "a", count: 20))
        var firstText = first
        var secondText = second
        let shared = firstText.withUTF8 { a in secondText.withUTF8 { b in a.baseAddress == b.baseAddress } }
        #expect(shared)
    }

    @Test func settingAttributesUpdatesFieldsAndValues() {
        var user = TargetUser(id: "1", userName: "a@x.com", emails: [TargetEmail(value: "a@x.com", type: "work")])
        user.setValue(.string("b@x.com"), for: SnapshotTestInput.workEmail)
        user.setValue(.bool(false), for: SnapshotTestInput.path("active"))
        user.setValue(.string("Lead"), for: SnapshotTestInput.path("title"))
        #expect(user.workEmail == "b@x.com")
        #expect(!user.active)
        #expect(user.value(for: SnapshotTestInput.path("title")) == .string("Lead"))
        #expect(user.attributes[SnapshotTestInput.path("title")] == .string("Lead"))
        #expect(user.attributes.dictionary[SnapshotTestInput.path("title")] == .string("Lead"))
        let built = TargetUser(id: "2", attributes: [SnapshotTestInput.path("displayName"): .string("Ann")])
        #expect(built.attributes.dictionary == [SnapshotTestInput.path("displayName"): .string("Ann")])
    }

    @Test func keepsRawResourcesExactlyAsWritten() throws {
        let first = "{ \"id\": \"1\",\n  \"userName\" : \"a\\u00e9@x.com\",\t\"active\":false }"
        let second =
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"2","meta":{"version":"W/\"1\""}}"#
        let text = SnapshotTestInput.teprovSnapshot([first, second])
        let options = SnapshotReader.Options(keepRawResources: true)
        let (_, users) = try SnapshotTestInput.read(text, options: options)
        #expect(users.map { $0.rawResource.map { String(decoding: $0, as: UTF8.self) } } == [first, second])
        #expect(users[0].userName == "a\u{E9}@x.com")
        #expect(try SnapshotTestInput.read(text).1.allSatisfy { $0.rawResource == nil })
    }

    @Test func keepsRawResourcesOfSniffedArrayElements() throws {
        let user = #"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1"}"#
        let page = #"{"totalResults": 1, "Resources": [\#(user)]}"#
        let options = SnapshotReader.Options(keepRawResources: true)
        for text in ["[\(user)]", "[\(page)]"] {
            let (_, users) = try SnapshotTestInput.read(text, options: options)
            #expect(users.map { $0.rawResource.map { String(decoding: $0, as: UTF8.self) } } == [user])
        }
    }

    @Test func keepsRawResourcesOfUTF16Files() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "teprov-snap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let user = #"{"id": "1", "userName": "zoé@x.com"}"#
        var data = Data([0xFF, 0xFE])
        for unit in "[\(user)]".utf16 { data.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        let url = directory.appendingPathComponent("snapshot.json")
        try data.write(to: url)
        let (_, users) = try SnapshotReader.read(path: url.path, options: .init(keepRawResources: true))
        #expect(users.map(\.userName) == ["zoé@x.com"])
        #expect(users.first?.rawResource == Array(user.utf8))
    }
}
