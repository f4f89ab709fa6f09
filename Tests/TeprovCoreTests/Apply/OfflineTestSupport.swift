import Foundation
import Testing

@testable import TeprovCore

/// Snapshots and requests for the offline SCIM target tests.
enum OfflineTestSupport {
    static let userSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
    static let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    /// The fixed clock of the tests: 2027-01-15T08:00:00.000Z.
    static let fixedDate = Date(timeIntervalSince1970: 1_800_000_000)
    static let fixedStamp = UTCTimestamp.string(from: fixedDate)

    /// Alice: versioned, a typed work and a home e-mail.
    static let alice = """
        {
              "schemas": ["\(userSchema)"],
              "id": "u-1",
              "externalId": "ext-1",
              "userName": "Alice.Smith@contoso.com",
              "name": {"givenName": "Alice", "familyName": "Smith", "formatted": "Alice Smith"},
              "displayName": "Alice Smith",
              "emails": [
                {"value": "alice@contoso.com", "type": "work", "primary": true},
                {"value": "alice@home.example", "type": "home"}
              ],
              "active": true,
              "meta": {"resourceType": "User", "created": "2024-01-01T00:00:00Z", "lastModified": "2024-01-01T00:00:00Z", "version": "W/\\"3\\""}
            }
        """

    /// Bob: no version, an untyped e-mail, no externalId.
    static let bob = """
        {"schemas": ["\(userSchema)"], "id": "u-2", "userName": "bob@contoso.com", "displayName": "Bob",
             "emails": [{"value": "bob@contoso.com", "primary": true}], "active": true}
        """

    /// Carol: shares Alice's externalId differently cased, inactive.
    static let carol = """
        {"schemas": ["\(userSchema)"], "id": "u-3", "externalId": "EXT-1", "userName": "carol@contoso.com",
             "displayName": "Carol", "active": false,
             "meta": {"resourceType": "User", "version": "W/\\"7\\""}}
        """

    static let defaultUsers = [alice, bob, carol]

    /// A teprov snapshot holding `users`.
    static func teprovSnapshot(_ users: [String], source: String? = "https://api.example.com/scim/v2") -> String {
        let sourceMember = source.map { "\"source\": \"\($0)\", " } ?? ""
        return "{\"formatVersion\": 1, \"capturedAt\": \"2026-11-29T08:00:00Z\", \(sourceMember)\"complete\": true, "
            + "\"totalResults\": \(users.count),\n  \"users\": [\n    " + users.joined(separator: ",\n    ")
            + "\n  ]\n}\n"
    }

    /// A new empty directory for one test.
    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "teprov-offline-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Writes `text` as a snapshot file in a new directory; returns its path.
    static func writeSnapshot(_ text: String) throws -> String {
        let url = try temporaryDirectory().appendingPathComponent("snapshot.json")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// An offline target over a teprov snapshot of `users`, on the fixed clock.
    static func target(_ users: [String] = defaultUsers) throws -> OfflineSCIMTarget {
        let path = try writeSnapshot(teprovSnapshot(users))
        return try OfflineSCIMTarget(snapshotPath: path, expectedSHA256: nil, now: { fixedDate })
    }

    // MARK: Requests

    static func get(_ path: String, query: [(String, String)] = []) -> SCIMRequest {
        SCIMRequest(method: "GET", path: path, query: query.map { SCIMQueryItem(name: $0.0, value: $0.1) })
    }

    static func body(_ method: String, _ path: String, _ json: String, ifMatch: String? = nil) -> SCIMRequest {
        SCIMRequest(method: method, path: path, body: Array(json.utf8), ifMatch: ifMatch)
    }

    /// A PATCH of `operations` (the JSON text of the Operations array's elements).
    static func patch(_ id: String, _ operations: String, ifMatch: String? = nil) -> SCIMRequest {
        body(
            "PATCH", "/Users/\(id)", "{\"schemas\": [\"\(patchSchema)\"], \"Operations\": [\(operations)]}",
            ifMatch: ifMatch)
    }

    /// The body of `response` as JSON.
    static func json(_ response: SCIMResponse) throws -> JSONValue {
        try JSONTokenizer(bytes: response.body, sourceName: "response").readValue()
    }

    /// The user `id` as the target holds it now (GET).
    static func user(_ target: OfflineSCIMTarget, _ id: String) throws -> JSONValue {
        let response = target.respond(to: get("/Users/\(id)"))
        try #require(response.status == 200)
        return try json(response)
    }

    /// `scimType` of an error answer.
    static func scimType(_ response: SCIMResponse) -> String? {
        guard let body = try? json(response), case .string(let type)? = body["scimType"] else { return nil }
        return type
    }

    /// The value at `names` in `resource` (members by exact name; arrays by index given as text).
    static func value(_ resource: JSONValue, _ names: String...) -> JSONValue? {
        var current: JSONValue? = resource
        for name in names {
            if case .array(let entries)? = current, let index = Int(name) {
                current = index < entries.count ? entries[index] : nil
            } else {
                current = current?[name]
            }
        }
        return current
    }
}
