import Foundation
import Synchronization
import TeprovCore
import Testing

/// `teprov snapshot` end to end: the real binary against scim2-server and the fault server (SPEC §9,
/// issue 6 acceptance). The file must equal the server's content, hold every user exactly once, and
/// say `complete: false` (exit 3) whenever it cannot prove it has them all.
@Suite("teprov snapshot: end to end", .serialized)
struct SnapshotCommandTests {
    static let token = "snap-T0ken-\(UUID().uuidString)"

    // MARK: - scim2-server

    /// Page sizes 100 and 1000 over 2,500 users, and a proxy ignoring `count`; page size 1 has its own
    /// test below (it is the slow one).
    @Test func snapshotsOfScim2ServerEqualItsContent() throws {
        let server = try SCIM2ServerProcess.start(bearerToken: Self.token)
        defer { server.stop() }
        try Self.seed(server, range: 0..<2500)
        let content = try server.listUsers()
        #expect(content.count == 2500)
        try expectSnapshot(of: server.baseURL, equals: content, pageSize: 100, pages: 25)
        // scim2-server caps count at 1000 (filter.maxResults): pages of 1000, 1000, 500.
        try expectSnapshot(of: server.baseURL, equals: content, pageSize: 1000, pages: 3)

        // Through the fault server ignoring count: the server's default page (1000) comes back. The
        // proxy forwards the Host header, so meta.location names the proxy: list the content through it.
        let proxy = try FaultServerProcess.start(upstream: server.baseURL)
        defer { proxy.stop() }
        let proxied = try SCIMTestClient(baseURL: proxy.baseURL, bearerToken: Self.token).listUsers()
        #expect(Set(Self.byID(proxied).keys) == Set(Self.byID(content).keys))
        try proxy.setRules(#"[{"match": {"method": "GET", "path": "/Users"}, "action": {"type": "ignore_count"}}]"#)
        try expectSnapshot(of: proxy.baseURL, equals: proxied, pageSize: 10, pages: 3)
    }

    /// scim2-server sorts every user for each list request (~23 ms at 2,500 users), so 2,500 pages of
    /// one user take about a minute on their own, longer on a loaded machine; it runs alongside the rest.
    @Test func pageSizeOneOverTwoThousandFiveHundredUsersOfScim2Server() throws {
        let server = try SCIM2ServerProcess.start(bearerToken: Self.token)
        defer { server.stop() }
        try Self.seed(server, range: 0..<2500)
        let content = try server.listUsers()
        #expect(content.count == 2500)
        try expectSnapshot(of: server.baseURL, equals: content, pageSize: 1, pages: 2500)
    }

    // MARK: - The fault server's stub

    @Test func pageSizeOneOverTwoThousandFiveHundredUsers() throws {
        let stub = try Self.seededStub(users: 2500)
        defer { stub.stop() }
        try expectSnapshot(of: stub.baseURL, equals: try stub.storedUsers(), pageSize: 1, pages: 2500)
    }

    @Test(arguments: [
        (#"{"type": "ignore_count"}"#, 1),
        (#"{"type": "cap_count", "max": 7}"#, 72),
    ])
    func followsAServerThatIgnoresOrCapsCount(action: String, pages: Int) throws {
        let stub = try Self.seededStub(users: 500)
        defer { stub.stop() }
        try stub.setRules(#"[{"match": {"method": "GET", "path": "/Users"}, "action": \#(action)}]"#)
        try expectSnapshot(of: stub.baseURL, equals: try stub.storedUsers(), pageSize: 100, pages: pages)
    }

    @Test func pagesAgainWhileTotalResultsShrinksThenIsComplete() throws {
        let stub = try Self.seededStub(users: 500)
        defer { stub.stop() }
        try stub.setRules(
            #"[{"match": {"method": "GET", "path": "/Users"}, "action": {"type": "shrink_total", "by": 20}, "times": 3}]"#
        )
        // The first pass sees 480, 460, 440 and is thrown away; the second one settles.
        try expectSnapshot(of: stub.baseURL, equals: try stub.storedUsers(), pageSize: 100, pages: 10)
    }

    @Test func writesAnIncompleteSnapshotAndExits3WhenTotalResultsKeepsShrinking() throws {
        let stub = try Self.seededStub(users: 500)
        defer { stub.stop() }
        try stub.setRules(
            #"[{"match": {"method": "GET", "path": "/Users"}, "action": {"type": "shrink_total", "by": 20}}]"#)
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Self.runSnapshot(url: stub.baseURL, pageSize: 100, in: directory)
        #expect(result.status == 3)
        #expect(result.stdout.hasPrefix("Captured 500 users (totalResults "))
        #expect(result.stdout.contains(", INCOMPLETE) in "))
        #expect(
            result.stderr.contains("teprov: snapshot.json: the snapshot is incomplete: 500 distinct users were served"))
        #expect(result.stderr.contains("3 passes over the users did not settle"))
        #expect(result.stderr.contains("capture it again"))
        let document = try Self.readSnapshot(directory)
        #expect(document["complete"] == .bool(false))
        // Still every user, exactly once.
        #expect(try Self.usersByID(document) == Self.byID(try stub.storedUsers()))
        Self.expectNoToken(result, file: directory.appendingPathComponent("snapshot.json"))
        // plan refuses it (exit 4) unless told to accept an incomplete snapshot.
        let snapshotPath = directory.appendingPathComponent("snapshot.json").path
        #expect(throws: TeprovError.self) { try SnapshotReader.read(path: snapshotPath) }
    }

    @Test func rides503BurstsOutAndIsComplete() throws {
        let stub = try Self.seededStub(users: 500)
        defer { stub.stop() }
        try stub.setRules(
            #"""
            [{"match": {"method": "GET", "path": "/Users"}, "probability": 0.4, "seed": 11,
              "action": {"type": "status", "status": 503, "headers": {"Retry-After": "0"}}}]
            """#)
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Self.runSnapshot(
            url: stub.baseURL, pageSize: 50, in: directory, extra: ["--max-retries", "10"])
        #expect(result.status == 0, "\(result.stderr)")
        let injected = Self.int(try stub.stats()["injected"]) ?? 0
        #expect(injected > 0)
        #expect(
            result.stdout.contains(
                "Captured 500 users (totalResults 500, complete) in 10 pages: \(11 + injected) requests, \(injected) retries"
            ))
        #expect(try Self.usersByID(Self.readSnapshot(directory)) == Self.byID(try stub.storedUsers()))
    }

    @Test func stopsWithExit4AndWritesNothingOn401() throws {
        let stub = try FaultServerProcess.start(upstream: nil, arguments: ["--bearer-token", "the-right-one"])
        defer { stub.stop() }
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Self.runSnapshot(url: stub.baseURL, pageSize: 100, in: directory)
        #expect(result.status == 4)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr.hasPrefix(
                "teprov: \(stub.baseURL)/Users?startIndex=1&count=100: the server refused the credentials with 401 Unauthorized"
            ))
        #expect(result.stderr.contains("check the token"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("snapshot.json").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        Self.expectNoToken(result, file: nil)
        #expect(Self.int(try stub.stats()["requests"]) == 1)
    }

    @Test func drawsTheProgressBarOnlyWhenAsked() throws {
        let stub = try Self.seededStub(users: 300)
        defer { stub.stop() }
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let always = try Self.runSnapshot(
            url: stub.baseURL, pageSize: 100, in: directory, extra: ["--progress", "always"])
        #expect(always.status == 0)
        let fullBar = "[" + String(repeating: "=", count: 40) + "]"
        #expect(always.stderr.contains("\r\u{1B}[2Ksnapshot \(fullBar) 300/300  100%"))
        #expect(always.stderr.hasSuffix("\r\u{1B}[2K"))
        let never = try Self.runSnapshot(
            url: stub.baseURL, pageSize: 100, in: directory, extra: ["--progress", "never"])
        #expect(never.status == 0)
        #expect(never.stderr.isEmpty)
        // auto: stderr is a pipe here, so nothing is drawn.
        let auto = try Self.runSnapshot(url: stub.baseURL, pageSize: 100, in: directory)
        #expect(auto.stderr.isEmpty)
        let quiet = try Self.runSnapshot(
            url: stub.baseURL, pageSize: 100, in: directory, extra: ["--quiet", "--progress", "always"])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty)
    }

    // MARK: - Usage and I/O errors (no server needed)

    @Test(arguments: [
        ([String](), "--url"),
        (["--url", "http://127.0.0.1:9/v2", "--page-size", "0"], "--page-size must be between 1 and 10000"),
        (["--url", "http://127.0.0.1:9/v2", "--max-retries", "-1"], "--max-retries"),
        (["--url", "http://example.com/scim/v2"], "http:// to example.com"),
        (["--url", "https://user:pw@example.com/scim/v2"], "must not contain credentials"),
    ])
    func refusesBadFlagsWithExit64(arguments: [String], message: String) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIRunner.run(
            ["snapshot", "--out", "snapshot.json"] + arguments, in: directory, environment: ["TE_TOKEN": Self.token])
        #expect(result.status == 64)
        #expect(result.stderr.contains(message))
        #expect(!result.stderr.contains("pw@"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func failsBeforeAnyRequestWhenTheOutputDirectoryIsMissing() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIRunner.run(
            ["snapshot", "--url", "http://127.0.0.1:9/v2", "--out", "missing/snapshot.json"], in: directory,
            environment: ["TE_TOKEN": Self.token])
        #expect(result.status == 4)
        #expect(result.stderr.hasPrefix("teprov: missing/snapshot.json: cannot be written: its directory missing"))
    }

    // MARK: - Helpers

    /// Runs `teprov snapshot` to `snapshot.json` in `directory` and checks the file against `expected`.
    private func expectSnapshot(
        of url: String, equals expected: [JSONValue], pageSize: Int, pages: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let started = ContinuousClock.now
        let result = try Self.runSnapshot(url: url, pageSize: pageSize, in: directory)
        let took = started.duration(to: .now)
        #expect(result.status == 0, "page size \(pageSize): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(
            result.stdout.hasPrefix(
                "Captured \(expected.count) users (totalResults \(expected.count), complete) in \(pages) page\(pages == 1 ? "" : "s"): "
            ),
            "\(result.stdout)", sourceLocation: sourceLocation)
        #expect(result.stdout.hasSuffix("s -> snapshot.json\n"), sourceLocation: sourceLocation)
        let document = try Self.readSnapshot(directory)
        #expect(document["formatVersion"] == .int(1), sourceLocation: sourceLocation)
        #expect(document["complete"] == .bool(true), sourceLocation: sourceLocation)
        #expect(document["totalResults"] == .int(Int64(expected.count)), sourceLocation: sourceLocation)
        #expect(document["source"] == .string(url), sourceLocation: sourceLocation)
        #expect(try Self.usersByID(document) == Self.byID(expected), sourceLocation: sourceLocation)
        let path = directory.appendingPathComponent("snapshot.json").path
        let (info, users) = try SnapshotReader.read(path: path)
        #expect(info.complete && users.count == expected.count, sourceLocation: sourceLocation)
        Self.expectNoToken(result, file: URL(fileURLWithPath: path), sourceLocation: sourceLocation)
        // A record of the time each run takes, for the report (not asserted: CI machines differ).
        print("snapshot of \(expected.count) users, page size \(pageSize): \(took)")
    }

    static func runSnapshot(url: String, pageSize: Int, in directory: URL, extra: [String] = []) throws
        -> CLIRunner.Result
    {
        try CLIRunner.run(
            ["snapshot", "--url", url, "--out", "snapshot.json", "--page-size", String(pageSize)] + extra,
            in: directory, environment: ["TE_TOKEN": token])
    }

    static func readSnapshot(_ directory: URL) throws -> JSONValue {
        let tokenizer = try JSONTokenizer(path: directory.appendingPathComponent("snapshot.json").path)
        return try tokenizer.readValue()
    }

    /// The file's users by id; fails when an id repeats.
    static func usersByID(_ document: JSONValue) throws -> [String: JSONValue] {
        guard case .array(let users)? = document["users"] else {
            throw TestServerError(message: "the snapshot has no users array")
        }
        let byID = byID(users)
        #expect(byID.count == users.count, "a user appears more than once")
        return byID
    }

    static func byID(_ users: [JSONValue]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for user in users {
            if case .string(let id)? = user["id"] { result[id] = user }
        }
        return result
    }

    static func expectNoToken(
        _ result: CLIRunner.Result, file: URL?, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(!result.stdout.contains(token), sourceLocation: sourceLocation)
        #expect(!result.stderr.contains(token), sourceLocation: sourceLocation)
        if let file, let text = try? String(contentsOf: file, encoding: .utf8) {
            #expect(!text.contains(token), sourceLocation: sourceLocation)
        }
    }

    static func int(_ value: JSONValue?) -> Int? {
        if case .int(let number)? = value { return Int(number) }
        return nil
    }

    static func userJSON(_ index: Int) -> String {
        let name = String(format: "user%05d@contoso.com", index)
        return #"""
            {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "\#(name)",
             "externalId": "ext-\#(index)", "displayName": "User \#(index)", "name": {"formatted": "Zoë \#(index)"},
             "emails": [{"type": "work", "value": "\#(name)", "primary": true}], "active": \#(index % 7 != 0)}
            """#
    }

    /// Creates users `range` on scim2-server from eight threads (it serves each request in a thread).
    static func seed(_ server: SCIM2ServerProcess, range: Range<Int>) throws {
        let failures = Mutex<[String]>([])
        let lanes = 8
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for index in stride(from: range.lowerBound + lane, to: range.upperBound, by: lanes) {
                do {
                    _ = try server.createUser(userJSON(index))
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        if let first = failures.withLock({ $0.first }) { throw TestServerError(message: "seeding failed: \(first)") }
    }

    /// The fault server's keep-alive stub with `users` users.
    static func seededStub(users: Int) throws -> FaultServerProcess {
        let stub = try FaultServerProcess.start(upstream: nil)
        do {
            try stub.seedUsers("[" + (0..<users).map(userJSON).joined(separator: ",") + "]")
        } catch {
            stub.stop()
            throw error
        }
        return stub
    }
}
