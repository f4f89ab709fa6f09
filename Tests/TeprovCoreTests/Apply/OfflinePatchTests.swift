import Foundation
import Testing

@testable import TeprovCore

@Suite("Offline SCIM target: PATCH operations as RFC 7644 §3.5.2 and scim2-server apply them")
struct OfflinePatchTests {
    typealias Support = OfflineTestSupport

    /// Applies `operations` to `id`, expects 204, and returns the user afterwards.
    private func patched(_ operations: String, id: String = "u-1") throws -> JSONValue {
        let target = try Support.target()
        let response = target.respond(to: Support.patch(id, operations))
        #expect(response.status == 204, "\(String(decoding: response.body, as: UTF8.self))")
        #expect(response.body.isEmpty)
        return try Support.user(target, id)
    }

    @Test(
        "replace active, in RFC and Entra-legacy spellings",
        arguments: [
            "{\"op\": \"replace\", \"path\": \"active\", \"value\": false}",
            "{\"op\": \"Replace\", \"path\": \"active\", \"value\": \"False\"}",
            "{\"op\": \"replace\", \"value\": {\"active\": false}}",
            "{\"op\": \"Replace\", \"value\": {\"Active\": \"false\"}}",
        ])
    func replaceActive(operation: String) throws {
        let user = try patched(operation)
        #expect(user["active"] == .bool(false))
        #expect(Support.value(user, "meta", "version") == .string("W/\"4\""))
        #expect(Support.value(user, "meta", "lastModified") == .string(Support.fixedStamp))
        #expect(Support.value(user, "meta", "created") == .string("2024-01-01T00:00:00Z"))
    }

    @Test("replace emails[type eq \"work\"].value changes only the work entry")
    func replaceWorkEmail() throws {
        let user = try patched(
            "{\"op\": \"replace\", \"path\": \"emails[type eq \\\"work\\\"].value\", \"value\": \"alice.new@contoso.com\"}"
        )
        #expect(Support.value(user, "emails", "0", "value") == .string("alice.new@contoso.com"))
        #expect(Support.value(user, "emails", "0", "primary") == .bool(true))
        #expect(Support.value(user, "emails", "1", "value") == .string("alice@home.example"))
    }

    @Test("the value filter compares type ignoring case, as emails.type is not case-exact")
    func filterIgnoresCase() throws {
        let user = try patched(
            "{\"op\": \"replace\", \"path\": \"emails[TYPE eq \\\"Work\\\"].value\", \"value\": \"a2@contoso.com\"}")
        #expect(Support.value(user, "emails", "0", "value") == .string("a2@contoso.com"))
    }

    @Test("replace emails[type eq \"home\"] with an object merges into the selected entry")
    func replaceSelectedEntry() throws {
        let user = try patched(
            "{\"op\": \"replace\", \"path\": \"emails[type eq \\\"home\\\"]\", \"value\": {\"value\": \"a@home2.example\", \"primary\": true}}"
        )
        #expect(Support.value(user, "emails", "1", "value") == .string("a@home2.example"))
        #expect(Support.value(user, "emails", "1", "type") == .string("home"))
        #expect(Support.value(user, "emails", "1", "primary") == .bool(true))
        #expect(Support.value(user, "emails", "0", "primary") == .bool(false))
    }

    @Test("replace name.formatted and the enterprise department by URN path")
    func subAttributes() throws {
        let user = try patched(
            """
            {"op": "replace", "path": "name.formatted", "value": "Alice B. Smith"},
            {"op": "add", "path": "\(Support.enterprise):department", "value": "Finance"}
            """)
        #expect(Support.value(user, "name", "formatted") == .string("Alice B. Smith"))
        #expect(Support.value(user, "name", "givenName") == .string("Alice"))
        #expect(Support.value(user, Support.enterprise, "department") == .string("Finance"))
        #expect(
            user["schemas"] == .array([.string(Support.userSchema), .string(Support.enterprise)]))
    }

    @Test("a value without a path is merged attribute by attribute; sub-attributes left out are kept")
    func noPathObject() throws {
        let user = try patched(
            """
            {"op": "replace", "value": {"displayName": "Alice S.", "name": {"givenName": "Ali"},
              "name.familyName": "Smyth", "\(Support.enterprise)": {"costCenter": "42"}}}
            """)
        #expect(user["displayName"] == .string("Alice S."))
        #expect(Support.value(user, "name", "givenName") == .string("Ali"))
        #expect(Support.value(user, "name", "familyName") == .string("Smyth"))
        #expect(Support.value(user, "name", "formatted") == .string("Alice Smith"))
        #expect(Support.value(user, Support.enterprise, "costCenter") == .string("42"))
    }

    @Test("replace of a whole multi-valued attribute replaces the array (Entra's emails form for untyped e-mails)")
    func replaceWholeArray() throws {
        let user = try patched(
            "{\"op\": \"replace\", \"path\": \"emails\", \"value\": [{\"value\": \"bob.new@contoso.com\", \"type\": \"work\", \"primary\": true}]}",
            id: "u-2")
        #expect(
            user["emails"]
                == .array([
                    .object([
                        ("value", .string("bob.new@contoso.com")), ("type", .string("work")), ("primary", .bool(true)),
                    ])
                ]))
    }

    @Test("add to a multi-valued attribute appends; a new primary entry takes the flag from the old one")
    func addEntry() throws {
        let user = try patched(
            "{\"op\": \"add\", \"path\": \"emails\", \"value\": [{\"value\": \"a@other.example\", \"type\": \"other\", \"primary\": \"True\"}]}"
        )
        guard case .array(let entries)? = user["emails"] else {
            Issue.record("no emails")
            return
        }
        #expect(entries.count == 3)
        #expect(Support.value(user, "emails", "2", "primary") == .bool(true))
        #expect(Support.value(user, "emails", "0", "primary") == .bool(false))
    }

    @Test(
        "remove by path, sub-attribute and value filter",
        arguments: [
            ("name.givenName", ["name", "givenName"], true),
            ("displayName", ["displayName"], true),
            ("emails[type eq \\\"home\\\"]", ["emails", "1"], true),
            ("emails[type eq \\\"other\\\"]", ["emails", "1"], false),
            ("externalId", ["externalId"], true),
        ])
    func remove(path: String, gone: [String], removed: Bool) throws {
        let user = try patched("{\"op\": \"remove\", \"path\": \"\(path)\"}")
        var current: JSONValue? = user
        for name in gone {
            if case .array(let entries)? = current, let index = Int(name) {
                current = index < entries.count ? entries[index] : nil
            } else {
                current = current?[name]
            }
        }
        #expect((current == nil) == removed)
    }

    @Test("removing externalId takes the user out of the externalId index")
    func removeExternalIDReindexes() throws {
        let target = try Support.target()
        #expect(
            target.respond(to: Support.patch("u-1", "{\"op\": \"remove\", \"path\": \"externalId\"}")).status == 204)
        let list = try Support.json(
            target.respond(to: Support.get("/Users", query: [("filter", "externalId eq \"ext-1\"")])))
        #expect(list["totalResults"] == .int(0))
    }

    @Test(
        "operations scim2-server refuses are refused with its scimType",
        arguments: [
            (
                "{\"op\": \"replace\", \"path\": \"emails[type eq \\\"other\\\"].value\", \"value\": \"x@y.z\"}",
                "noTarget"
            ),
            ("{\"op\": \"add\", \"path\": \"emails[type eq \\\"other\\\"].value\", \"value\": \"x@y.z\"}", "noTarget"),
            ("{\"op\": \"remove\"}", "noTarget"),
            ("{\"op\": \"frobnicate\", \"path\": \"active\", \"value\": true}", "invalidValue"),
            ("{\"op\": \"replace\", \"path\": \"nonexistent\", \"value\": \"x\"}", "invalidPath"),
            ("{\"op\": \"replace\", \"path\": \"name.nickname\", \"value\": \"x\"}", "invalidPath"),
            ("{\"op\": \"replace\", \"path\": \"id\", \"value\": \"x\"}", "mutability"),
            ("{\"op\": \"remove\", \"path\": \"userName\"}", "mutability"),
            ("{\"op\": \"replace\", \"path\": \"active\", \"value\": \"maybe\"}", "invalidValue"),
            ("{\"op\": \"add\", \"path\": \"displayName\"}", "invalidValue"),
            ("{\"op\": \"replace\", \"path\": \"emails[type eq \\\"work\\\"\", \"value\": \"x\"}", "invalidFilter"),
        ])
    func refusals(operation: String, scimType: String) throws {
        let target = try Support.target()
        let response = target.respond(to: Support.patch("u-1", operation))
        #expect(response.status == 400)
        #expect(Support.scimType(response) == scimType)
        #expect(target.respond(to: Support.get("/Users/u-1")).body == Array(Support.alice.utf8))
    }

    @Test("a PATCH with a good and a bad operation changes nothing (atomic)")
    func atomic() throws {
        let target = try Support.target()
        let response = target.respond(
            to: Support.patch(
                "u-1",
                "{\"op\": \"replace\", \"path\": \"displayName\", \"value\": \"New\"}, {\"op\": \"replace\", \"path\": \"id\", \"value\": \"x\"}"
            ))
        #expect(response.status == 400)
        #expect(try Support.user(target, "u-1")["displayName"] == .string("Alice Smith"))
    }

    @Test("a PATCH to another user's userName (ignoring case) is a 409 uniqueness")
    func userNameTaken() throws {
        let target = try Support.target()
        let response = target.respond(
            to: Support.patch("u-1", "{\"op\": \"replace\", \"path\": \"userName\", \"value\": \"BOB@contoso.com\"}"))
        #expect(response.status == 409)
        #expect(Support.scimType(response) == "uniqueness")
    }

    @Test("a userName change re-indexes: the new name is found, the old one is free")
    func userNameChangeReindexes() throws {
        let target = try Support.target()
        let response = target.respond(
            to: Support.patch(
                "u-1", "{\"op\": \"replace\", \"path\": \"userName\", \"value\": \"Alice.New@contoso.com\"}"))
        #expect(response.status == 204)
        let byNew = try Support.json(
            target.respond(to: Support.get("/Users", query: [("filter", "userName eq \"alice.new@contoso.com\"")])))
        #expect(byNew["totalResults"] == .int(1))
        let reuse = target.respond(to: Support.body("POST", "/Users", "{\"userName\": \"alice.smith@contoso.com\"}"))
        #expect(reuse.status == 201)
    }

    @Test("a PATCH that changes nothing keeps meta.version and lastModified")
    func noChangeKeepsVersion() throws {
        let target = try Support.target()
        let response = target.respond(
            to: Support.patch("u-1", "{\"op\": \"replace\", \"path\": \"active\", \"value\": true}"))
        #expect(response.status == 204)
        #expect(response.header("ETag") == "W/\"3\"")
        #expect(target.respond(to: Support.get("/Users/u-1")).body == Array(Support.alice.utf8))
    }

    @Test("a user without meta gets one on its first change, with version W/\"1\"")
    func metaCreated() throws {
        let user = try patched("{\"op\": \"replace\", \"path\": \"displayName\", \"value\": \"Robert\"}", id: "u-2")
        #expect(Support.value(user, "meta", "version") == .string("W/\"1\""))
        #expect(Support.value(user, "meta", "resourceType") == .string("User"))
    }

    @Test("PATCH with attributes= answers 200 with the projected resource")
    func patchWithAttributes() throws {
        let target = try Support.target()
        var request = Support.patch("u-1", "{\"op\": \"replace\", \"path\": \"active\", \"value\": false}")
        request.query = [SCIMQueryItem(name: "attributes", value: "userName,active")]
        let response = target.respond(to: request)
        #expect(response.status == 200)
        let body = try Support.json(response)
        #expect(body["active"] == .bool(false))
        #expect(body["displayName"] == nil)
        #expect(body["userName"] == .string("Alice.Smith@contoso.com"))
    }

    @Test("PATCH of an unknown id is a 404")
    func patchUnknown() throws {
        let response = try Support.target().respond(
            to: Support.patch("nope", "{\"op\": \"replace\", \"path\": \"active\", \"value\": false}"))
        #expect(response.status == 404)
        #expect(try Support.json(response)["detail"] == .string("User 'nope' not found"))
    }
}
