import Foundation
import Testing

@testable import TeprovCore

/// Answers every request with one canned response or error, records what it was sent, and moves a
/// virtual clock forward by `latency` per request.
private final class CannedTarget: SCIMTarget, ApplyClock, @unchecked Sendable {
    let displayName = "https://api.thousandeyes.com/scim/v2"
    let answer: Result<SCIMResponse, SCIMTransportError>
    let latency: Duration
    private let lock = NSLock()
    private var now: Duration = .zero
    private var sent: [SCIMRequest] = []

    init(_ answer: Result<SCIMResponse, SCIMTransportError>, latency: Duration = .milliseconds(42)) {
        self.answer = answer
        self.latency = latency
    }

    var requests: [SCIMRequest] { lock.withLock { sent } }

    func send(_ request: SCIMRequest) async throws -> SCIMResponse {
        lock.withLock {
            sent.append(request)
            now += latency
        }
        return try answer.get()
    }

    func elapsed() -> Duration { lock.withLock { now } }
    func sleep(for duration: Duration) async throws { lock.withLock { now += duration } }
}

@Suite struct ConnectionTestTests {
    static let emptyList = Array(
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}"#.utf8)

    private func run(_ answer: Result<SCIMResponse, SCIMTransportError>) async throws -> (
        ConnectionTest.Result, CannedTarget
    ) {
        let target = CannedTarget(answer)
        let test = ConnectionTest(
            target: target, credentialSource: "the environment variable TE_TOKEN", clock: target,
            userName: "6f1d2c1e-0000-4000-8000-000000000000")
        return (try await test.run(), target)
    }

    private func response(_ status: Int, _ body: String = "", headers: [SCIMHeader] = []) -> Result<
        SCIMResponse, SCIMTransportError
    > {
        .success(SCIMResponse(status: status, headers: headers, body: Array(body.utf8)))
    }

    @Test func emptyListResponsePassesAndTheQueryIsARandomUserNameFilter() async throws {
        let (result, target) = try await run(.success(SCIMResponse(status: 200, body: Self.emptyList)))
        #expect(result.passed)
        #expect(result.status == 200)
        #expect(result.latency == .milliseconds(42))
        #expect(result.url == "https://api.thousandeyes.com/scim/v2")
        #expect(result.diagnosis.contains("empty ListResponse"))
        #expect(
            target.requests
                == [SCIMRequest.filterUsers(attribute: "userName", equals: "6f1d2c1e-0000-4000-8000-000000000000")])
        #expect(result.request == #"GET /Users?filter=userName eq "6f1d2c1e-0000-4000-8000-000000000000""#)
    }

    @Test func eachRunUsesAFreshUUID() {
        let first = ConnectionTest(target: CannedTarget(response(200))).userName
        let second = ConnectionTest(target: CannedTarget(response(200))).userName
        #expect(first != second)
        #expect(UUID(uuidString: first) != nil)
    }

    @Test func rateLimitHeadersAreCollectedInOrderWhateverTheirCase() async throws {
        let headers = [
            SCIMHeader(name: "x-organization-rate-limit-reset", value: "1469560440"),
            SCIMHeader(name: "X-Organization-Rate-Limit-Limit", value: "240"),
            SCIMHeader(name: "X-ORGANIZATION-RATE-LIMIT-REMAINING", value: "239"),
            SCIMHeader(name: "Content-Type", value: "application/scim+json"),
        ]
        let (result, _) = try await run(
            .success(SCIMResponse(status: 200, headers: headers, body: Self.emptyList)))
        #expect(
            result.rateLimitHeaders == [
                SCIMHeader(name: "X-Organization-Rate-Limit-Limit", value: "240"),
                SCIMHeader(name: "X-Organization-Rate-Limit-Remaining", value: "239"),
                SCIMHeader(name: "X-Organization-Rate-Limit-Reset", value: "1469560440"),
            ])
    }

    @Test(arguments: [
        (
            401, #"{"status":"401","detail":"Authorization failure"}"#,
            ["401", "TE_TOKEN", "API access", "Authorization failure"]
        ),
        (403, "", ["403", "View Users", "Edit Users", "API Access"]),
        (404, #"{"detail":"No resource type found at 'Users'"}"#, ["404", "/scim/v2"]),
        (429, "", ["429"]),
        (503, "<html>maintenance</html>", ["503", "maintenance"]),
        (418, "", ["Unexpected status 418"]),
    ])
    func failingStatusesGetTheirDiagnosis(status: Int, body: String, words: [String]) async throws {
        let (result, _) = try await run(response(status, body))
        #expect(!result.passed)
        #expect(result.status == status)
        for word in words { #expect(result.diagnosis.contains(word), "\(result.diagnosis)") }
        #expect(!result.diagnosis.contains("\n"))
    }

    @Test(arguments: [
        ("<html>login</html>", "not with SCIM JSON"),
        (#"{"hello":"world"}"#, "not with a SCIM ListResponse"),
        (#"{"totalResults":3,"Resources":[{},{},{}]}"#, "ignores filter"),
    ])
    func okThatIsNotAnEmptyListResponseFails(body: String, words: String) async throws {
        let (result, _) = try await run(response(200, body))
        #expect(!result.passed)
        #expect(result.diagnosis.contains(words), "\(result.diagnosis)")
    }

    @Test(arguments: [
        (SCIMTransportError.Kind.tls, "--ca-file"),
        (.dns, "Host not found"),
        (.timeout, "--timeout"),
        (.connectionRefused, "Connection refused"),
        (.connectionClosed, "closed the connection"),
        (.other, "redirected to another origin"),
    ])
    func transportFailuresGetTheirDiagnosis(kind: SCIMTransportError.Kind, words: String) async throws {
        let error = SCIMTransportError(
            kind: kind, requestMayHaveReachedServer: false, message: "GET /Users: redirected to another origin")
        let (result, _) = try await run(.failure(error))
        #expect(!result.passed)
        #expect(result.status == nil)
        #expect(result.latency == .milliseconds(42))
        #expect(result.diagnosis.contains(words), "\(result.diagnosis)")
    }
}
