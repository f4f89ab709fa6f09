import Foundation
import Synchronization
import Testing

@testable import TeprovCore

/// Virtual time for apply tests: `sleep` advances the clock at once and records the wait.
final class ManualApplyClock: ApplyClock {
    private let state = Mutex((now: Duration.zero, sleeps: [Duration]()))

    func elapsed() -> Duration { state.withLock { $0.now } }

    func sleep(for duration: Duration) async throws {
        state.withLock { state in
            state.now += max(duration, .zero)
            state.sleeps.append(duration)
        }
    }

    var sleeps: [Duration] { state.withLock { $0.sleeps } }
}

/// A faithful SCIM provider (the offline target over a snapshot) with faults injected in front of it.
final class FaultyTarget: SCIMTarget {
    enum Fault: Sendable {
        /// Answers this status without forwarding.
        case status(Int, headers: [SCIMHeader] = [])
        /// Forwards the request, then loses the answer (the outcome is unknown to the client).
        case dropAfter
        /// Accepts a PATCH/PUT with 204 without applying it (a server that ignores `active`).
        case ignore
    }

    struct Rule: Sendable {
        var method: String?
        var pathPrefix: String?
        var times: Int
        var fault: Fault
    }

    let inner: OfflineSCIMTarget
    private let state = Mutex((rules: [Rule](), sent: [String]()))

    init(inner: OfflineSCIMTarget, rules: [Rule] = []) {
        self.inner = inner
        state.withLock { $0.rules = rules }
    }

    var displayName: String { "faulty " + inner.displayName }

    /// `METHOD path` of every request received, in order.
    var sent: [String] { state.withLock { $0.sent } }

    func count(_ method: String) -> Int { sent.filter { $0.hasPrefix(method + " ") }.count }

    func send(_ request: SCIMRequest) async throws -> SCIMResponse {
        let fault: Fault? = state.withLock { state in
            state.sent.append("\(request.method) \(request.path)")
            for index in state.rules.indices where state.rules[index].times > 0 {
                let rule = state.rules[index]
                if let method = rule.method, method != request.method { continue }
                if let prefix = rule.pathPrefix, !request.path.hasPrefix(prefix) { continue }
                state.rules[index].times -= 1
                return rule.fault
            }
            return nil
        }
        switch fault {
        case .status(let status, let headers)?:
            return SCIMResponse(status: status, headers: headers, body: Array("{\"detail\":\"injected\"}".utf8))
        case .dropAfter?:
            _ = try await inner.send(request)
            throw SCIMTransportError(
                kind: .connectionClosed, requestMayHaveReachedServer: true, message: "connection dropped (test)")
        case .ignore?:
            return SCIMResponse(status: 204)
        case nil:
            return try await inner.send(request)
        }
    }
}

/// The samples' plan and snapshot, and an engine wired to a faulty offline target.
struct SamplesApply {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("samples")

    static func path(_ name: String) -> String { samples.appendingPathComponent(name).path }

    static func plan() throws -> Plan {
        var options = PlanPipeline.Options(users: [path("users.csv")], snapshot: path("snapshot.json"))
        options.deleted = [path("deleted-users.json")]
        options.directory = DirectoryInputPaths(
            assignments: path("assignments.json"), appRoles: path("app-roles.json"),
            groupMembers: path("group-members.csv"))
        options.configPath = path("config.yaml")
        return try PlanPipeline.run(options).plan.sealed()
    }

    let plan: Plan
    let target: FaultyTarget
    let clock = ManualApplyClock()
    let statistics = RequestStatistics()

    init(rules: [FaultyTarget.Rule] = [], plan: Plan? = nil) throws {
        self.plan = try plan ?? Self.plan()
        target = FaultyTarget(
            inner: try OfflineSCIMTarget(snapshotPath: Self.path("snapshot.json"), expectedSHA256: nil), rules: rules)
    }

    func engine(options: ApplyOptions = ApplyOptions(), journal: ApplyJournal? = nil, maxRetries: Int = 6)
        -> ApplyEngine
    {
        let runner = SCIMRequestRunner(
            target: target, policy: RetryPolicy(maxRetries: maxRetries, random: { 0.5 }),
            pacer: RequestPacer(rateLimitPerMinute: nil, host: "127.0.0.1", clock: clock), clock: clock,
            statistics: statistics)
        return ApplyEngine(plan: plan, runner: runner, journal: journal, options: options)
    }

    /// Every user the target holds now, by lower-cased userName.
    func users() async throws -> [String: JSONValue] {
        let response = try await target.inner.send(
            SCIMRequest(method: "GET", path: "/Users", query: [SCIMQueryItem(name: "count", value: "1000")]))
        var users: [String: JSONValue] = [:]
        for resource in ApplyEngine.listedResources(response) {
            if case .string(let name)? = resource["userName"] { users[name.lowercased()] = resource }
        }
        return users
    }
}
