import Foundation
import TeprovCore
import Testing

/// `HTTPSCIMTarget` against real loopback servers: headers and encoding as scim2-server requires
/// them, transport failures mapped to the right kinds, and the keep-alive pool bounded by concurrency.
@Suite struct HTTPSCIMTargetTests {
    static let token = "target-token-51c0ffee"

    private func withTarget<T>(
        // A generous default: on a loaded 2-core CI machine a fresh Python server has been seen
        // taking more than 10 s to answer its first request while every suite starts at once.
        _ baseURL: String, concurrency: Int = 4, timeout: Duration = .seconds(90),
        _ body: (HTTPSCIMTarget) async throws -> T
    ) async throws -> T {
        let settings = try SCIMConnectionSettings(url: baseURL, token: Self.token, timeout: timeout)
        let target = try HTTPSCIMTarget(settings: settings, concurrency: concurrency)
        do {
            let result = try await body(target)
            try await target.shutdown()
            return result
        } catch {
            try? await target.shutdown()
            throw error
        }
    }

    @Test func createFindAndDeleteOnScim2Server() async throws {
        let server = try SCIM2ServerProcess.start(bearerToken: Self.token)
        defer { server.stop() }
        try await withTarget(server.baseURL) { target in
            let user =
                #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"o'neil+1@example.com","active":true}"#
            // scim2-server answers 415 unless the body is sent as application/scim+json.
            let created = try await target.send(SCIMRequest(method: "POST", path: "/Users", body: Array(user.utf8)))
            #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
            let id = try #require(
                try JSONTokenizer(bytes: created.body, sourceName: "created").readValue()["id"].flatMap {
                    value -> String? in
                    if case .string(let id) = value { return id }
                    return nil
                })

            let found = try await target.send(.filterUsers(attribute: "userName", equals: "O'NEIL+1@example.com"))
            #expect(found.status == 200)
            #expect(try JSONTokenizer(bytes: found.body, sourceName: "found").readValue()["totalResults"] == .int(1))
            #expect(found.header("content-type")?.hasPrefix("application/scim+json") == true)

            let deleted = try await target.send(SCIMRequest(method: "DELETE", path: "/Users/\(id)"))
            #expect(deleted.status == 204)
            #expect(try server.listUsers().isEmpty)
        }
    }

    @Test func wrongTokenGets401NotAnError() async throws {
        let server = try FaultServerProcess.start(upstream: nil, arguments: ["--bearer-token", "another-token"])
        defer { server.stop() }
        let answer = try await withTarget(server.baseURL) {
            try await $0.send(SCIMRequest(method: "GET", path: "/Users"))
        }
        #expect(answer.status == 401)
        #expect(SCIMErrorDetail.parse(answer).httpStatus == 401)
    }

    @Test func droppedHungAndRefusedRequestsBecomeTransportErrors() async throws {
        let server = try FaultServerProcess.start(upstream: nil)
        defer { server.stop() }
        try server.setRules(
            """
            [{"match": {"method": "DELETE"}, "action": {"type": "drop_before"}},
             {"match": {"method": "PUT"}, "action": {"type": "hang", "seconds": 300}}]
            """)
        try await withTarget(server.baseURL, timeout: .seconds(1)) { target in
            let dropped = await transportError {
                try await target.send(SCIMRequest(method: "DELETE", path: "/Users/x"))
            }
            #expect(dropped?.kind == .connectionClosed)
            #expect(dropped?.requestMayHaveReachedServer == true)

            let started = ContinuousClock.now
            let hung = await transportError {
                try await target.send(SCIMRequest(method: "PUT", path: "/Users/x", body: Array("{}".utf8)))
            }
            #expect(hung?.kind == .timeout)
            #expect(hung?.requestMayHaveReachedServer == true)
            // Far below the hang: the task resuming after the 1 s timeout can wait for a thread of the
            // cooperative pool while long blocking tests hold both of a 2-core machine's (30 s seen).
            #expect(
                ContinuousClock.now - started < .seconds(240), "the timeout, not the end of the hang, ended the request"
            )
            #expect(hung.map { !$0.message.contains(Self.token) } == true)
        }
        let port = try TestServerEnvironment.freeLoopbackPort()
        try await withTarget("http://127.0.0.1:\(port)/v2") { target in
            let refused = await transportError { try await target.send(SCIMRequest(method: "GET", path: "/Users")) }
            #expect(refused?.kind == .connectionRefused)
            #expect(refused?.requestMayHaveReachedServer == false)
        }
    }

    @Test func keepAlivePoolStaysWithinTheConcurrency() async throws {
        let server = try FaultServerProcess.start(upstream: nil, arguments: ["--latency-ms", "20"])
        defer { server.stop() }
        let statuses = try await withTarget(server.baseURL, concurrency: 3) { target in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<24 {
                    group.addTask { try await target.send(SCIMRequest(method: "GET", path: "/Users")).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses == Array(repeating: 200, count: 24))
        let stats = try server.stats()
        guard case .int(let connections)? = stats["connections"], case .int(let inFlight)? = stats["maxInFlight"] else {
            Issue.record("stats without connections/maxInFlight: \(stats)")
            return
        }
        #expect(connections <= 3)
        #expect(inFlight <= 3)
    }

    private func transportError(_ operation: () async throws -> SCIMResponse) async -> SCIMTransportError? {
        do {
            let response = try await operation()
            Issue.record("expected a transport error, got HTTP \(response.status)")
            return nil
        } catch let error as SCIMTransportError {
            return error
        } catch {
            Issue.record("expected a SCIMTransportError, got \(error)")
            return nil
        }
    }
}
