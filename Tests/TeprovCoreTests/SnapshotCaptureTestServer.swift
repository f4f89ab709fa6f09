import Foundation
import Synchronization

@testable import TeprovCore

/// An in-memory `GET /Users` endpoint for the snapshot-capture tests, with the misbehaviours real
/// servers show: a capped or ignored `count`, an ignored `startIndex`, users deleted or added while
/// paging, a `totalResults` that lies, retryable failures, and arbitrary answers.
final class SnapshotCaptureTestServer: SCIMTarget, Sendable {
    struct Behaviour: Sendable {
        /// Serve at most this many users per page.
        var capCount: Int?
        var ignoresCount = false
        var ignoresStartIndex = false
        /// Added to the real `totalResults` on every answer (negative: under-report).
        var totalResultsOffset = 0
        /// Subtracted from the real `totalResults` once more on every list request (fault_server's shrink_total).
        var totalResultsShrinkPerRequest = 0
        /// Only the first this many list requests shrink; later ones tell the truth (fault_server's `times`).
        var shrinkingRequests = Int.max
        /// Answers returned, in order, before the normal ones (e.g. 503 bursts).
        var scriptedAnswers: [SCIMResponse] = []
        /// Runs before answering list request number N (1-based), e.g. to delete users mid-way.
        var mutations: [Int: @Sendable (inout [(id: String, json: String)]) -> Void] = [:]
        /// Answer with no users from this startIndex on (a server that stops early).
        var emptyFromStartIndex: Int?
    }

    private struct State {
        var users: [(id: String, json: String)]
        var behaviour: Behaviour
        var listRequests = 0
        var queries: [[SCIMQueryItem]] = []
    }

    private let state: Mutex<State>
    let displayName = "http://127.0.0.1:1/v2"

    init(users: [(id: String, json: String)], behaviour: Behaviour = Behaviour()) {
        state = Mutex(State(users: users, behaviour: behaviour))
    }

    /// `count` users `u0001`... with compact JSON.
    static func users(_ count: Int, prefix: String = "u") -> [(id: String, json: String)] {
        (0..<count).map { index in
            let id = prefix + String(format: "%04d", index + 1)
            return (id, #"{"id":"\#(id)","userName":"\#(id)@contoso.com","active":true}"#)
        }
    }

    /// Query items of every request received, in order.
    var queries: [[SCIMQueryItem]] { state.withLock { $0.queries } }
    var currentUserIDs: [String] { state.withLock { $0.users.map(\.id) } }

    func send(_ request: SCIMRequest) async throws -> SCIMResponse {
        state.withLock { state in
            state.queries.append(request.query)
            if !state.behaviour.scriptedAnswers.isEmpty { return state.behaviour.scriptedAnswers.removeFirst() }
            state.listRequests += 1
            if let mutation = state.behaviour.mutations[state.listRequests] { mutation(&state.users) }
            return Self.page(state: state, query: request.query)
        }
    }

    private static func page(state: State, query: [SCIMQueryItem]) -> SCIMResponse {
        let behaviour = state.behaviour
        func number(_ name: String) -> Int? { query.first { $0.name == name }.flatMap { Int($0.value) } }
        var startIndex = max(1, number("startIndex") ?? 1)
        if behaviour.ignoresStartIndex { startIndex = 1 }
        var count = behaviour.ignoresCount ? state.users.count : max(0, number("count") ?? state.users.count)
        if let cap = behaviour.capCount { count = min(count, cap) }
        if let emptyFrom = behaviour.emptyFromStartIndex, startIndex >= emptyFrom { count = 0 }
        let first = min(startIndex - 1, state.users.count)
        let slice = state.users[first..<min(first + count, state.users.count)]
        let shrinking = state.listRequests <= behaviour.shrinkingRequests
        let shrink = shrinking ? behaviour.totalResultsShrinkPerRequest * state.listRequests : 0
        let total = max(0, state.users.count + behaviour.totalResultsOffset - shrink)
        let resources = slice.map(\.json).joined(separator: ",")
        let body =
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":\#(total),"#
            + #""startIndex":\#(startIndex),"itemsPerPage":\#(slice.count),"Resources":[\#(resources)]}"#
        return SCIMResponse(status: 200, headers: [], body: Array(body.utf8))
    }
}

/// Virtual time: `sleep` advances it instantly and records the waits.
final class SnapshotCaptureTestClock: ApplyClock {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))

    func elapsed() -> Duration { state.withLock { $0.now } }

    func sleep(for duration: Duration) async throws {
        state.withLock { state in
            state.now += duration
            state.sleeps.append(duration)
        }
    }

    var sleeps: [Duration] { state.withLock { $0.sleeps } }
}

extension SnapshotCaptureTestServer {
    /// A capture of this server through a runner with `maxRetries` and the virtual clock.
    func capture(
        pageSize: Int, maximumPasses: Int = 3, maxRetries: Int = 3,
        clock: SnapshotCaptureTestClock = SnapshotCaptureTestClock()
    ) async throws -> (CapturedSnapshot, RequestStatistics) {
        let statistics = RequestStatistics()
        let runner = SCIMRequestRunner(
            target: self, policy: RetryPolicy(maxRetries: maxRetries, random: { 0.5 }),
            pacer: RequestPacer(rateLimitPerMinute: nil, host: "127.0.0.1", clock: clock), clock: clock,
            statistics: statistics)
        let capture = SnapshotCapture(
            runner: runner, options: .init(source: displayName, pageSize: pageSize, maximumPasses: maximumPasses))
        return (try await capture.capture(), statistics)
    }
}
