import Foundation
import TeprovCore
import Testing

/// Proves the servers the end-to-end tests and benchmarks stand on: scim2-server through its
/// launcher, and fault_server.py as a proxy in front of it and as a stand-alone keep-alive stub.
@Suite("Test servers: scim2-server and the fault server")
struct TestServersTests {
    // MARK: - scim2-server

    @Test func scim2ServerListsACreatedUser() throws {
        let server = try SCIM2ServerProcess.start()
        defer { server.stop() }
        #expect(try server.listUsers().isEmpty)
        let created = try server.createUser(Self.user("alice.smith"))
        let id = try #require(Self.string(created["id"]))
        let users = try server.listUsers()
        #expect(users.count == 1)
        #expect(Self.string(users.first?["id"]) == id)
        #expect(Self.string(users.first?["userName"]) == "alice.smith")
    }

    @Test func scim2ServerRequiresItsBearerToken() throws {
        let token = "token-\(UUID().uuidString)"
        let server = try SCIM2ServerProcess.start(bearerToken: token)
        defer { server.stop() }
        #expect(try TestHTTP.send("GET", server.baseURL + "/Users").status == 401)
        let wrong = try TestHTTP.send("GET", server.baseURL + "/Users", headers: [("Authorization", "Bearer nope")])
        #expect(wrong.status == 401)
        _ = try server.createUser(Self.user("bob"))
        #expect(try Self.userNames(server.listUsers()) == ["bob"])
    }

    @Test func aMissingVenvFailsWithTheWayToCreateIt() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-venv-\(UUID().uuidString)/bin")
        let error = #expect(throws: TestServerError.self) {
            try TestServerEnvironment.python(in: missing, needingSCIM2Server: true)
        }
        #expect(error?.message.contains("run bin/test (it creates .venv)") == true)
        #expect(try TestServerEnvironment.python(needingSCIM2Server: true).lastPathComponent == "python")
    }

    // MARK: - Fault server in front of scim2-server

    @Test func faultServerProxiesEveryMethod() throws {
        let scim = try SCIM2ServerProcess.start()
        defer { scim.stop() }
        let proxy = try FaultServerProcess.start(upstream: scim.baseURL)
        defer { proxy.stop() }
        #expect(proxy.baseURL == "http://127.0.0.1:\(proxy.port)/v2")

        let created = try TestHTTP.send("POST", proxy.baseURL + "/Users", body: Self.user("carol"))
        #expect(created.status == 201)
        #expect(created.header("ETag")?.hasPrefix("W/") == true)
        let id = try #require(Self.string(try created.json()["id"]))
        #expect(created.header("Location") == "\(proxy.baseURL)/Users/\(id)")
        let fetched = try TestHTTP.send("GET", "\(proxy.baseURL)/Users/\(id)")
        #expect(fetched.status == 200)
        #expect(Self.string(try fetched.json()["userName"]) == "carol")
        let patch = #"{"Operations":[{"op":"replace","path":"displayName","value":"Carol C"}]}"#
        #expect(try TestHTTP.send("PATCH", "\(proxy.baseURL)/Users/\(id)", body: patch).status == 204)
        let filtered = try TestHTTP.send("GET", proxy.baseURL + "/Users?" + Self.filter(#"userName eq "CAROL""#))
        #expect(Self.int(try filtered.json()["totalResults"]) == 1)
        #expect(Self.string(try scim.listUsers().first?["displayName"]) == "Carol C")
        #expect(try TestHTTP.send("DELETE", "\(proxy.baseURL)/Users/\(id)").status == 204)
        #expect(try scim.listUsers().isEmpty)

        let stats = try proxy.stats()
        #expect(Self.int(stats["requests"]) == 5)
        #expect(Self.int(stats["byMethod"]?["GET"]) == 2)
        #expect(Self.int(stats["byStatus"]?["201"]) == 1)
        #expect(Self.int(stats["byStatus"]?["204"]) == 2)
        #expect(Self.int(stats["injected"]) == 0)
    }

    @Test func injectedStatusesAnswerThenTheRuleRunsOut() throws {
        let scim = try SCIM2ServerProcess.start()
        defer { scim.stop() }
        let proxy = try FaultServerProcess.start(upstream: scim.baseURL)
        defer { proxy.stop() }

        try proxy.setRules(
            #"[{"match":{"method":"POST","path":"/Users$"},"action":{"type":"status","status":503},"times":2}]"#)
        let statuses = try (0..<3).map { _ in
            try TestHTTP.send("POST", proxy.baseURL + "/Users", body: Self.user("dave")).status
        }
        #expect(statuses == [503, 503, 201])
        #expect(try Self.userNames(scim.listUsers()) == ["dave"])

        try proxy.setRules(
            #"[{"match":{"method":"GET"},"action":{"type":"status","status":429,"headers":{"Retry-After":"3"}},"times":1}]"#
        )
        let throttled = try TestHTTP.send("GET", proxy.baseURL + "/Users")
        #expect(throttled.status == 429)
        #expect(throttled.header("Retry-After") == "3")
        #expect(Self.string(try throttled.json()["status"]) == "429")
        #expect(try TestHTTP.send("GET", proxy.baseURL + "/Users").status == 200)

        let stats = try proxy.stats()
        #expect(Self.int(stats["tooManyRequests"]) == 1)
        #expect(Self.int(stats["byStatus"]?["503"]) == 2)
        #expect(Self.int(stats["injected"]) == 3)
    }

    @Test func droppedConnectionsBeforeAndAfterForwarding() throws {
        let scim = try SCIM2ServerProcess.start()
        defer { scim.stop() }
        let proxy = try FaultServerProcess.start(upstream: scim.baseURL)
        defer { proxy.stop() }

        try proxy.setRules(#"[{"match":{"method":"POST"},"action":{"type":"drop_before"},"times":1}]"#)
        let before = #expect(throws: TestHTTPError.self) {
            try TestHTTP.send("POST", proxy.baseURL + "/Users", body: Self.user("erin"))
        }
        #expect(before?.kind == .closedWithoutResponse)
        #expect(try scim.listUsers().isEmpty)

        try proxy.setRules(#"[{"match":{"method":"POST"},"action":{"type":"drop_after"},"times":1}]"#)
        let after = #expect(throws: TestHTTPError.self) {
            try TestHTTP.send("POST", proxy.baseURL + "/Users", body: Self.user("frank"))
        }
        #expect(after?.kind == .closedWithoutResponse)
        #expect(try Self.userNames(scim.listUsers()) == ["frank"])

        #expect(try TestHTTP.send("POST", proxy.baseURL + "/Users", body: Self.user("erin")).status == 201)
        let stats = try proxy.stats()
        #expect(Self.int(stats["dropped"]) == 2)
        #expect(Self.int(stats["injected"]) == 2)
    }

    @Test func ignoreActiveKeepsTheUserActive() throws {
        let scim = try SCIM2ServerProcess.start()
        defer { scim.stop() }
        let proxy = try FaultServerProcess.start(upstream: scim.baseURL)
        defer { proxy.stop() }
        let id = try #require(Self.string(try scim.createUser(Self.user("gina"))["id"]))
        try proxy.setRules(#"[{"match":{"path":"/Users/"},"action":{"type":"ignore_active"}}]"#)
        let url = "\(proxy.baseURL)/Users/\(id)"

        let onlyActive = #"{"Operations":[{"op":"replace","path":"active","value":false}]}"#
        #expect(try TestHTTP.send("PATCH", url, body: onlyActive).status == 204)
        let mixed = #"{"Operations":[{"op":"Replace","value":{"active":"False","displayName":"Gina G"}}]}"#
        #expect(try TestHTTP.send("PATCH", url, body: mixed).status == 204)
        let afterPatch = try scim.listUsers()
        #expect(afterPatch.first?["active"] == .bool(true))
        #expect(Self.string(afterPatch.first?["displayName"]) == "Gina G")

        #expect(try TestHTTP.send("PUT", url, body: Self.user("gina", active: false)).status == 200)
        #expect(try scim.listUsers().first?["active"] == .bool(true))
        #expect(Self.int(try proxy.stats()["injected"]) == 3)
    }

    @Test func listRulesCapIgnoreCountAndShrinkTheTotal() throws {
        let scim = try SCIM2ServerProcess.start()
        defer { scim.stop() }
        let proxy = try FaultServerProcess.start(upstream: scim.baseURL)
        defer { proxy.stop() }
        for index in 1...5 { _ = try scim.createUser(Self.user("list\(index)")) }
        func page(count: Int) throws -> JSONValue {
            try TestHTTP.send("GET", proxy.baseURL + "/Users?startIndex=1&count=\(count)").json()
        }

        try proxy.setRules(#"[{"match":{"method":"GET","path":"/Users$"},"action":{"type":"cap_count","max":2}}]"#)
        let capped = try page(count: 100)
        #expect(Self.int(capped["itemsPerPage"]) == 2)
        #expect(Self.int(capped["totalResults"]) == 5)

        try proxy.setRules(#"[{"match":{"method":"GET","path":"/Users$"},"action":{"type":"ignore_count"}}]"#)
        #expect(Self.int(try page(count: 1)["itemsPerPage"]) == 5)

        // shrink_total subtracts `by` more each time it fires: the total goes down page after page.
        try proxy.setRules(#"[{"match":{"method":"GET"},"action":{"type":"shrink_total","by":1}}]"#)
        #expect(Self.int(try page(count: 2)["totalResults"]) == 4)
        #expect(Self.int(try page(count: 2)["totalResults"]) == 3)

        try proxy.setRules("[]")
        #expect(Self.int(try page(count: 2)["totalResults"]) == 5)
    }

    // MARK: - Stand-alone stub

    @Test func stubServesTheSCIMOperations() throws {
        let stub = try FaultServerProcess.start(upstream: nil)
        defer { stub.stop() }
        let users = stub.baseURL + "/Users"

        let created = try TestHTTP.send("POST", users, body: Self.user("Alice.Smith", externalId: "ext-001"))
        #expect(created.status == 201)
        #expect(created.header("ETag") == #"W/"1""#)
        let id = try #require(Self.string(try created.json()["id"]))
        #expect(created.header("Location") == "\(users)/\(id)")
        let duplicate = try TestHTTP.send("POST", users, body: Self.user("ALICE.SMITH"))
        #expect(duplicate.status == 409)
        #expect(Self.string(try duplicate.json()["scimType"]) == "uniqueness")
        for name in ["bob", "carol"] { #expect(try TestHTTP.send("POST", users, body: Self.user(name)).status == 201) }

        #expect(Self.string(try TestHTTP.send("GET", "\(users)/\(id)").json()["userName"]) == "Alice.Smith")
        #expect(try TestHTTP.send("GET", "\(users)/nope").status == 404)
        func total(_ filter: String) throws -> Int? {
            Self.int(try TestHTTP.send("GET", users + "?" + Self.filter(filter)).json()["totalResults"])
        }
        #expect(try total(#"userName eq "alice.smith""#) == 1)
        #expect(try total(#"externalId eq "ext-001""#) == 1)
        #expect(try total(#"externalId eq "EXT-001""#) == 0)
        let first = try TestHTTP.send("GET", users + "?startIndex=1&count=2").json()
        let second = try TestHTTP.send("GET", users + "?startIndex=3&count=2").json()
        #expect(Self.int(first["totalResults"]) == 3)
        #expect(Self.int(first["itemsPerPage"]) == 2)
        #expect(Self.int(second["itemsPerPage"]) == 1)
        let paged = Self.userNames(Self.array(first["Resources"]) + Self.array(second["Resources"]))
        #expect(paged == ["Alice.Smith", "bob", "carol"])

        let patch = """
            {"Operations":[{"op":"replace","path":"emails[type eq \\"work\\"].value","value":"alice@new.example"},\
            {"op":"replace","path":"name.formatted","value":"Alice S."},{"op":"replace","value":{"active":false}}]}
            """
        let patched = try TestHTTP.send("PATCH", "\(users)/\(id)", body: patch)
        #expect(patched.status == 204)
        #expect(patched.header("ETag") == #"W/"2""#)
        let afterPatch = try TestHTTP.send("GET", "\(users)/\(id)").json()
        #expect(Self.string(Self.array(afterPatch["emails"]).first?["value"]) == "alice@new.example")
        #expect(Self.string(afterPatch["name"]?["formatted"]) == "Alice S.")
        #expect(afterPatch["active"] == .bool(false))
        let stale = try TestHTTP.send("PATCH", "\(users)/\(id)", headers: [("If-Match", #"W/"1""#)], body: patch)
        #expect(stale.status == 412)

        let put = try TestHTTP.send(
            "PUT", "\(users)/\(id)", headers: [("If-Match", #"W/"2""#)], body: Self.user("alice.renamed"))
        #expect(put.status == 200)
        #expect(Self.string(try put.json()["userName"]) == "alice.renamed")
        #expect(put.header("ETag") == #"W/"3""#)

        #expect(try TestHTTP.send("DELETE", "\(users)/\(id)").status == 204)
        #expect(try TestHTTP.send("DELETE", "\(users)/\(id)").status == 404)
        #expect(try TestHTTP.send("GET", "\(users)/\(id)").status == 404)
        #expect(try Self.userNames(stub.storedUsers()) == ["bob", "carol"])
    }

    @Test func stubKeepsConnectionsAlive() throws {
        let stub = try FaultServerProcess.start(upstream: nil)
        defer { stub.stop() }
        let connection = try TestHTTPConnection(url: stub.baseURL)
        for index in 0..<3 {
            #expect(try connection.send("POST", "/v2/Users", body: Self.user("kept\(index)")).status == 201)
        }
        #expect(try connection.send("GET", "/v2/Users").status == 200)
        connection.close()
        let stats = try stub.stats()
        #expect(Self.int(stats["requests"]) == 4)
        #expect(Self.int(stats["connections"]) == 1)
    }

    /// Synchronous, like `aHangingRequestDoesNotBlockOthers`, so that its sleeps end on time.
    @Test func rateLimitHeadersCountDownToA429UntilTheReset() throws {
        let stub = try FaultServerProcess.start(upstream: nil, arguments: ["--rate-limit", "5", "--rate-window", "2"])
        defer { stub.stop() }
        // Windows are aligned on multiples of 2 s in epoch time: start each burst just after a window
        // starts; should it still straddle a boundary (a very slow machine), repeat it.
        for _ in 0..<3 {
            let now = Date().timeIntervalSince1970
            Thread.sleep(forTimeInterval: (now / 2).rounded(.up) * 2 - now + 0.02)
            try stub.reset()
            let burst = try (0..<6).map { _ in try TestHTTP.send("GET", stub.baseURL + "/Users") }
            let resets = Set(burst.compactMap { $0.header("X-Organization-Rate-Limit-Reset") })
            guard resets.count == 1, let resetText = resets.first, let reset = Double(resetText) else { continue }
            #expect(burst.map(\.status) == [200, 200, 200, 200, 200, 429])
            #expect(burst.map { $0.header("X-Organization-Rate-Limit-Remaining") } == ["4", "3", "2", "1", "0", "0"])
            #expect(burst.allSatisfy { $0.header("X-Organization-Rate-Limit-Limit") == "5" })
            #expect(burst[5].header("Retry-After") == nil)
            let date = try #require(burst[5].header("Date").flatMap(Self.httpDate))
            #expect(reset - date.timeIntervalSince1970 >= 0 && reset - date.timeIntervalSince1970 <= 2)

            Thread.sleep(forTimeInterval: max(reset - Date().timeIntervalSince1970, 0) + 0.05)
            let afterReset = try TestHTTP.send("GET", stub.baseURL + "/Users")
            #expect(afterReset.status == 200)
            #expect(afterReset.header("X-Organization-Rate-Limit-Remaining") == "4")
            #expect(Self.int(try stub.stats()["tooManyRequests"]) == 1)
            return
        }
        Issue.record("three bursts of 6 requests each straddled a 2-second rate window")
    }

    @Test func competitorSpendsItsShareOfTheBucket() throws {
        let stub = try FaultServerProcess.start(
            upstream: nil, arguments: ["--rate-limit", "8", "--rate-window", "2", "--competitor-share", "0.25"])
        defer { stub.stop() }
        // 25% of 8 tokens per 2 s: one token every second.
        var stats = try stub.stats()
        let deadline = Date().addingTimeInterval(3.5)
        while Self.int(stats["competitorTokens"]) ?? 0 < 2, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            stats = try stub.stats()
        }
        #expect(Self.int(stats["competitorTokens"]) ?? 0 >= 2)
        #expect(Self.int(stats["competitorDenied"]) == 0)
        #expect(Self.int(stats["requests"]) == 0)
    }

    /// Synchronous on purpose: an async test's `Task.sleep` can wait tens of seconds for a thread of the
    /// cooperative pool while blocking tests hold both of a 2-core machine's (31 s seen in CI).
    @Test func aHangingRequestDoesNotBlockOthers() throws {
        let stub = try FaultServerProcess.start(upstream: nil)
        defer { stub.stop() }
        try stub.setRules(#"[{"match":{"path":"/Users/hang$"},"action":{"type":"hang","seconds":30}}]"#)
        // The client waits longer than the hang, so only the server ends it (by closing the connection):
        // on a loaded 2-core machine a short client timeout has ended the request before the server read it.
        let started = Date()
        let hung = BackgroundRequest("GET", stub.baseURL + "/Users/hang", timeout: 90)
        // Send the next request only once the server holds the hanging one (30 s: a loaded machine
        // cannot let it finish before the second request arrives).
        let deadline = Date().addingTimeInterval(60)
        while Self.int(try stub.stats()["requests"]) == 0, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        let held = Date().timeIntervalSince(started)
        #expect(try TestHTTP.send("GET", stub.baseURL + "/Users").status == 200)
        let answered = Date().timeIntervalSince(started)
        let stats = try stub.stats()
        #expect(
            Self.int(stats["maxInFlight"]) == 2,
            "hanging request seen after \(held) s, second answered after \(answered) s")
        #expect(Self.int(stats["injected"]) == 1)
        #expect(hung.failureKind() == .closedWithoutResponse)
    }

    @Test func latencyIsAddedPerRequestAndConcurrently() throws {
        let stub = try FaultServerProcess.start(upstream: nil, arguments: ["--latency-ms", "150"])
        defer { stub.stop() }
        try stub.setRules(#"[{"match":{"method":"GET"},"action":{"type":"latency","ms":100},"times":1}]"#)
        let started = Date()
        #expect(try TestHTTP.send("GET", stub.baseURL + "/Users").status == 200)
        #expect(Date().timeIntervalSince(started) >= 0.25)

        let statuses = LockedResult<[Int]>()
        let group = DispatchGroup()
        for _ in 0..<6 {
            group.enter()
            Thread {
                let status = (try? TestHTTP.send("GET", stub.baseURL + "/Users").status) ?? -1
                statuses.update { $0 = ($0 ?? []) + [status] }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(statuses.get() == Array(repeating: 200, count: 6))
        #expect(Self.int(try stub.stats()["maxInFlight"]) ?? 0 >= 2)
    }

    @Test func probabilisticRulesRepeatWithTheirSeed() throws {
        let stub = try FaultServerProcess.start(upstream: nil)
        defer { stub.stop() }
        let rules = #"[{"match":{"method":"GET"},"action":{"type":"status","status":503},"probability":0.5,"seed":7}]"#
        func run() throws -> [Int] {
            try stub.setRules(rules)
            return try (0..<20).map { _ in try TestHTTP.send("GET", stub.baseURL + "/Users").status }
        }
        let first = try run()
        #expect(try run() == first)
        #expect(first.contains(503) && first.contains(200))
    }

    @Test func faultServerRequiresItsBearerToken() throws {
        let stub = try FaultServerProcess.start(upstream: nil, arguments: ["--bearer-token", "s3cret"])
        defer { stub.stop() }
        let missing = try TestHTTP.send("GET", stub.baseURL + "/Users")
        #expect(missing.status == 401)
        #expect(missing.header("WWW-Authenticate") == #"Bearer realm="SCIM""#)
        let wrong = try TestHTTP.send("GET", stub.baseURL + "/Users", headers: [("Authorization", "Bearer nope")])
        #expect(wrong.status == 401)
        let right = try TestHTTP.send(
            "POST", stub.baseURL + "/Users", headers: [("Authorization", "Bearer s3cret")], body: Self.user("tok"))
        #expect(right.status == 201)
    }

    // MARK: - Helpers

    static func user(_ userName: String, externalId: String? = nil, active: Bool = true) -> String {
        """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\(userName)",\
        "externalId":"\(externalId ?? "ext-\(userName)")","displayName":"\(userName)",\
        "name":{"formatted":"\(userName)"},\
        "emails":[{"type":"work","value":"\(userName)@example.com","primary":true}],"active":\(active)}
        """
    }

    /// `filter=<expression>`, percent-encoded.
    static func filter(_ expression: String) -> String {
        "filter=" + (expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }

    static func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    static func int(_ value: JSONValue?) -> Int? {
        if case .int(let number)? = value { return Int(number) }
        return nil
    }

    static func array(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let values)? = value { return values }
        return []
    }

    static func userNames(_ users: [JSONValue]) -> [String] {
        users.compactMap { string($0["userName"]) }.sorted()
    }

    /// A request sent on its own thread, started at once (an `async let` child task can wait a long time
    /// for a thread of the cooperative pool while blocking tests hold them all on a 2-core machine).
    final class BackgroundRequest: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var kind: TestHTTPError.Kind?

        init(_ method: String, _ url: String, timeout: TimeInterval) {
            Thread { [self] in
                do {
                    _ = try TestHTTP.send(method, url, timeout: timeout)
                } catch let error as TestHTTPError {
                    kind = error.kind
                } catch {
                    kind = .other
                }
                done.signal()
            }.start()
        }

        /// How the request failed (nil: it got an answer), once it has ended.
        func failureKind() -> TestHTTPError.Kind? {
            done.wait()
            return kind
        }
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}

/// A value written by a background thread and read by the test.
private final class LockedResult<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?

    func set(_ newValue: Value) { lock.withLock { value = newValue } }
    func update(_ change: (inout Value?) -> Void) { lock.withLock { change(&value) } }
    func get() -> Value? { lock.withLock { value } }
}
