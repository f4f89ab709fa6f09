import Foundation
import Testing

@testable import TeprovCore

@Suite("Offline SCIM target: reads, creates, replaces and deletes like scim2-server")
struct OfflineSCIMTargetTests {
    typealias Support = OfflineTestSupport

    @Test("GET /Users/{id} answers the snapshot's own bytes with the ETag of meta.version")
    func getByID() throws {
        let target = try Support.target()
        let response = target.respond(to: Support.get("/Users/u-1"))
        #expect(response.status == 200)
        #expect(response.body == Array(Support.alice.utf8))
        #expect(response.header("etag") == "W/\"3\"")
        #expect(response.header("Content-Type") == "application/scim+json")
    }

    @Test("GET of an unknown id is a 404 SCIM error naming it")
    func getUnknown() throws {
        let target = try Support.target()
        let response = target.respond(to: Support.get("/Users/nope"))
        #expect(response.status == 404)
        let body = try Support.json(response)
        #expect(body["detail"] == .string("User 'nope' not found"))
        #expect(body["status"] == .string("404"))
        #expect(body["schemas"] == .array([.string("urn:ietf:params:scim:api:messages:2.0:Error")]))
        #expect(body["scimType"] == nil)
    }

    @Test(
        "filter userName eq ignores case; externalId eq is case-exact; id eq is exact",
        arguments: [
            ("userName eq \"ALICE.SMITH@contoso.com\"", ["u-1"]),
            ("userName eq \"alice.smith@CONTOSO.COM\"", ["u-1"]),
            ("USERNAME eq \"bob@contoso.com\"", ["u-2"]),
            ("externalId eq \"ext-1\"", ["u-1"]),
            ("externalId eq \"EXT-1\"", ["u-3"]),
            ("externalId eq \"Ext-1\"", []),
            ("id eq \"u-2\"", ["u-2"]),
            ("userName eq \"nobody@contoso.com\"", []),
            ("emails[type eq \"work\"].value eq \"ALICE@contoso.com\"", ["u-1"]),
            ("emails[type eq \"work\" and value co \"contoso\"]", ["u-1"]),
            ("active eq false", ["u-3"]),
            ("not (active eq false) and displayName sw \"b\"", ["u-2"]),
            ("externalId pr", ["u-1", "u-3"]),
            (
                "meta.version eq \"W/\\\"7\\\"\" or userName ew \"@CONTOSO.com\" and displayName eq \"Bob\"",
                ["u-2", "u-3"]
            ),
        ])
    func filters(filter: String, ids: [String]) throws {
        let target = try Support.target()
        let response = target.respond(to: Support.get("/Users", query: [("filter", filter)]))
        #expect(response.status == 200)
        let body = try Support.json(response)
        #expect(body["totalResults"] == .int(Int64(ids.count)))
        #expect(body["schemas"] == .array([.string("urn:ietf:params:scim:api:messages:2.0:ListResponse")]))
        guard case .array(let resources)? = body["Resources"] else {
            Issue.record("no Resources")
            return
        }
        #expect(resources.map { $0["id"] } == ids.map { .string($0) })
    }

    @Test(
        "a broken filter is a 400 invalidFilter",
        arguments: ["userName eq Alice.Smith", "foo eq \"x\"", "userName eq \"a\" and", "(userName eq \"a\""])
    func brokenFilters(filter: String) throws {
        let target = try Support.target()
        let response = target.respond(to: Support.get("/Users", query: [("filter", filter)]))
        #expect(response.status == 400)
        #expect(Support.scimType(response) == "invalidFilter")
    }

    @Test(
        "paging by startIndex and count, as scim2-server clamps them",
        arguments: [
            ("1", "2", 1, ["u-1", "u-2"]), ("2", "2", 2, ["u-2", "u-3"]), ("3", "10", 3, ["u-3"]),
            ("50", "100", 50, []), ("0", "1", 1, ["u-1"]), ("1", "0", 1, []), ("1", "-1", 1, []),
        ])
    func paging(startIndex: String, count: String, reportedStart: Int, ids: [String]) throws {
        let target = try Support.target()
        let response = target.respond(
            to: Support.get("/Users", query: [("startIndex", startIndex), ("count", count)]))
        #expect(response.status == 200)
        let body = try Support.json(response)
        #expect(body["totalResults"] == .int(3))
        #expect(body["startIndex"] == .int(Int64(reportedStart)))
        #expect(body["itemsPerPage"] == .int(Int64(ids.count)))
        guard case .array(let resources)? = body["Resources"] else {
            Issue.record("no Resources")
            return
        }
        #expect(resources.map { $0["id"] } == ids.map { .string($0) })
    }

    @Test("count that is not a number is a 400 invalidValue")
    func countNotANumber() throws {
        let response = try Support.target().respond(to: Support.get("/Users", query: [("count", "abc")]))
        #expect(response.status == 400)
        #expect(Support.scimType(response) == "invalidValue")
    }

    @Test("count is capped at 1000")
    func countCapped() throws {
        let users = (1...1003).map { "{\"id\": \"id-\($0)\", \"userName\": \"user\($0)@contoso.com\"}" }
        let target = try Support.target(users)
        let body = try Support.json(target.respond(to: Support.get("/Users", query: [("count", "5000")])))
        #expect(body["totalResults"] == .int(1003))
        #expect(body["itemsPerPage"] == .int(1000))
    }

    @Test("POST /Users creates the user with the id the engine asks for, 201, Location and ETag W/\"1\"")
    func createWithID() async throws {
        let target = try Support.target()
        let request = Support.body(
            "POST", "/Users",
            """
            {"schemas": ["\(Support.userSchema)"], "id": "ignored", "userName": "dave@contoso.com", "externalId": "ext-4",
             "emails": [{"type": "work", "value": "dave@contoso.com", "primary": true}], "active": "True"}
            """)
        let response = try await target.send(request, createdID: "offline-op-000004")
        #expect(response.status == 201)
        let body = try Support.json(response)
        #expect(body["id"] == .string("offline-op-000004"))
        #expect(body["active"] == .bool(true))
        #expect(Support.value(body, "meta", "version") == .string("W/\"1\""))
        #expect(Support.value(body, "meta", "created") == .string(Support.fixedStamp))
        #expect(
            Support.value(body, "meta", "location")
                == .string("https://api.example.com/scim/v2/Users/offline-op-000004"))
        #expect(response.header("Location") == "https://api.example.com/scim/v2/Users/offline-op-000004")
        #expect(response.header("ETag") == "W/\"1\"")
        #expect(try Support.user(target, "offline-op-000004")["userName"] == .string("dave@contoso.com"))
        #expect(target.userCount == 4)
    }

    @Test("send names a created user offline-<opId> after the request's plan operation (SPEC §8)")
    func createNamedByOperation() async throws {
        let target = try Support.target()
        var request = Support.body("POST", "/Users", "{\"userName\": \"frank@contoso.com\"}")
        request.operationID = "op-000007"
        let response = try await target.send(request)
        #expect(response.status == 201)
        #expect(try Support.json(response)["id"] == .string("offline-op-000007"))
        #expect(target.respond(to: Support.get("/Users/offline-op-000007")).status == 200)
    }

    @Test("POST without an id from the engine numbers users offline-1, offline-2; a taken id gets a suffix")
    func createNumbered() async throws {
        let target = try Support.target()
        let first = try await target.send(Support.body("POST", "/Users", "{\"userName\": \"e1@contoso.com\"}"))
        let second = try await target.send(Support.body("POST", "/Users", "{\"userName\": \"e2@contoso.com\"}"))
        let taken = try await target.send(
            Support.body("POST", "/Users", "{\"userName\": \"e3@contoso.com\"}"), createdID: "u-1")
        #expect(try Support.json(first)["id"] == .string("offline-1"))
        #expect(try Support.json(second)["id"] == .string("offline-2"))
        #expect(try Support.json(taken)["id"] == .string("u-1-2"))
    }

    @Test("POST of a userName taken ignoring case is a 409 uniqueness; the target is unchanged")
    func createDuplicate() throws {
        let target = try Support.target()
        let response = target.respond(to: Support.body("POST", "/Users", "{\"userName\": \"ALICE.SMITH@CONTOSO.COM\"}"))
        #expect(response.status == 409)
        #expect(Support.scimType(response) == "uniqueness")
        #expect(target.userCount == 3)
    }

    @Test("POST without userName is a 400 invalidValue; invalid JSON is a 400 invalidSyntax")
    func createInvalid() throws {
        let target = try Support.target()
        let missing = target.respond(to: Support.body("POST", "/Users", "{\"displayName\": \"Nobody\"}"))
        #expect(missing.status == 400)
        #expect(Support.scimType(missing) == "invalidValue")
        let broken = target.respond(to: Support.body("POST", "/Users", "{\"userName\": "))
        #expect(broken.status == 400)
        #expect(Support.scimType(broken) == "invalidSyntax")
        let twoPrimary = target.respond(
            to: Support.body(
                "POST", "/Users",
                "{\"userName\": \"x@y.z\", \"emails\": [{\"value\": \"a@y.z\", \"primary\": true}, {\"value\": \"b@y.z\", \"primary\": true}]}"
            ))
        #expect(twoPrimary.status == 400)
        #expect(target.userCount == 3)
    }

    @Test("PUT replaces every attribute, keeps id and meta.created, bumps the version")
    func put() throws {
        let target = try Support.target()
        let response = target.respond(
            to: Support.body(
                "PUT", "/Users/u-1",
                "{\"schemas\": [\"\(Support.userSchema)\"], \"id\": \"other\", \"userName\": \"alice@contoso.com\", \"active\": false}"
            ))
        #expect(response.status == 200)
        let body = try Support.json(response)
        #expect(body["id"] == .string("u-1"))
        #expect(body["externalId"] == nil)
        #expect(body["emails"] == nil)
        #expect(body["active"] == .bool(false))
        #expect(Support.value(body, "meta", "created") == .string("2024-01-01T00:00:00Z"))
        #expect(Support.value(body, "meta", "version") == .string("W/\"4\""))
        #expect(Support.value(body, "meta", "lastModified") == .string(Support.fixedStamp))
        #expect(response.header("ETag") == "W/\"4\"")
        #expect(try Support.user(target, "u-1") == body)
        let byNewName = try Support.json(
            target.respond(to: Support.get("/Users", query: [("filter", "userName eq \"ALICE@contoso.com\"")])))
        #expect(byNewName["totalResults"] == .int(1))
        let byOldExternalID = try Support.json(
            target.respond(to: Support.get("/Users", query: [("filter", "externalId eq \"ext-1\"")])))
        #expect(byOldExternalID["totalResults"] == .int(0))
    }

    @Test("PUT with another user's userName is a 409; PUT of an unknown id is a 404")
    func putConflicts() throws {
        let target = try Support.target()
        let taken = target.respond(to: Support.body("PUT", "/Users/u-1", "{\"userName\": \"BOB@contoso.com\"}"))
        #expect(taken.status == 409)
        let missing = target.respond(to: Support.body("PUT", "/Users/nope", "{\"userName\": \"x@contoso.com\"}"))
        #expect(missing.status == 404)
    }

    @Test("DELETE answers 204, then GET and DELETE answer 404, and the userName is free again")
    func delete() throws {
        let target = try Support.target()
        let deleted = target.respond(to: SCIMRequest(method: "DELETE", path: "/Users/u-2"))
        #expect(deleted.status == 204)
        #expect(deleted.body.isEmpty)
        #expect(target.respond(to: Support.get("/Users/u-2")).status == 404)
        #expect(target.respond(to: SCIMRequest(method: "DELETE", path: "/Users/u-2")).status == 404)
        let list = try Support.json(target.respond(to: Support.get("/Users")))
        #expect(list["totalResults"] == .int(2))
        let again = target.respond(to: Support.body("POST", "/Users", "{\"userName\": \"Bob@contoso.com\"}"))
        #expect(again.status == 201)
    }

    @Test(
        "If-Match with a stale version is a 412 for PATCH, PUT and DELETE, and changes nothing",
        arguments: ["PATCH", "PUT", "DELETE"])
    func staleIfMatch(method: String) throws {
        let target = try Support.target()
        let request: SCIMRequest
        switch method {
        case "PATCH":
            request = Support.patch(
                "u-1", "{\"op\": \"replace\", \"path\": \"active\", \"value\": false}", ifMatch: "W/\"2\"")
        case "PUT": request = Support.body("PUT", "/Users/u-1", "{\"userName\": \"a@contoso.com\"}", ifMatch: "W/\"2\"")
        default: request = SCIMRequest(method: "DELETE", path: "/Users/u-1", ifMatch: "W/\"2\"")
        }
        let response = target.respond(to: request)
        #expect(response.status == 412)
        #expect(try Support.json(response)["detail"] == .string("Failed to update. Resource has changed on the server"))
        #expect(try Support.user(target, "u-1")["active"] == .bool(true))
        #expect(target.respond(to: Support.get("/Users/u-1")).body == Array(Support.alice.utf8))
    }

    @Test(
        "If-Match with the current version (weak or strong form) or * succeeds",
        arguments: ["W/\"3\"", "\"3\"", "*"])
    func currentIfMatch(tag: String) throws {
        let target = try Support.target()
        let response = target.respond(
            to: Support.patch("u-1", "{\"op\": \"replace\", \"path\": \"active\", \"value\": false}", ifMatch: tag))
        #expect(response.status == 204)
        #expect(response.header("ETag") == "W/\"4\"")
    }

    @Test("If-Match on a user without meta.version is a 412 (nothing to match)")
    func ifMatchWithoutVersion() throws {
        let target = try Support.target()
        let response = target.respond(
            to: Support.patch(
                "u-2", "{\"op\": \"replace\", \"path\": \"active\", \"value\": false}", ifMatch: "W/\"1\""))
        #expect(response.status == 412)
    }

    @Test("unknown resource types are 404; methods a route does not take are 405 with Allow")
    func routes() throws {
        let target = try Support.target()
        let unknown = target.respond(to: Support.get("/Groups"))
        #expect(unknown.status == 404)
        #expect(try Support.json(unknown)["detail"] == .string("No resource type found at 'Groups'"))
        let collectionPatch = target.respond(to: Support.body("PATCH", "/Users", "{}"))
        #expect(collectionPatch.status == 405)
        #expect(collectionPatch.header("Allow") == "GET, POST")
    }

    @Test("concurrent POSTs of one userName: exactly one 201, the rest 409")
    func concurrentCreates() async throws {
        let target = try Support.target()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let request = Support.body("POST", "/Users", "{\"userName\": \"Same.User@contoso.com\"}")
                    return try await target.send(request, createdID: "offline-op-\(index)").status
                }
            }
            var collected: [Int] = []
            for try await status in group { collected.append(status) }
            return collected
        }
        #expect(statuses.filter { $0 == 201 }.count == 1)
        #expect(statuses.filter { $0 == 409 }.count == 39)
        #expect(target.userCount == 4)
    }

    @Test("attributes= projects GET answers to the asked members plus schemas and id")
    func projection() throws {
        let target = try Support.target()
        let response = target.respond(
            to: Support.get("/Users/u-1", query: [("attributes", "userName,name.givenName")]))
        let body = try Support.json(response)
        guard case .object(let members) = body else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.0) == ["schemas", "id", "userName", "name"])
        #expect(body["name"] == .object([("givenName", .string("Alice"))]))
    }
}
