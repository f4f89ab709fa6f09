import Foundation
import Testing

@testable import TeprovCore

/// The samples' directory planned against a real scim2-server seeded with the samples' ThousandEyes
/// users (optionally behind the fault server), ready for `teprov apply`.
final class ApplyFixture: @unchecked Sendable {
    static let token = "e2e-secret-token-4f1c9a"
    static let samples = CLIRunner.packageRoot.appendingPathComponent("samples")

    let server: SCIM2ServerProcess
    let proxy: FaultServerProcess?
    let directory: URL
    /// The URL teprov talks to: the proxy when there is one, else the server.
    let url: String

    var planPath: String { path("plan.json") }
    var environment: [String: String] { ["TE_TOKEN": Self.token, "NO_COLOR": "1"] }

    /// - Parameters:
    ///   - faults: start the fault server in front of scim2-server.
    ///   - config: replaces `key: value` lines of samples/config.yaml (e.g. `deletionThreshold: 3`).
    init(faults: Bool = false, serverToken: String? = nil, configEdits: [String: String] = [:]) throws {
        server = try SCIM2ServerProcess.start(bearerToken: serverToken)
        proxy = faults ? try FaultServerProcess.start(upstream: server.baseURL) : nil
        url = proxy?.baseURL ?? server.baseURL
        directory = try makeTemporaryDirectory()
        try seed()
        var config = try String(contentsOf: Self.samples.appendingPathComponent("config.yaml"), encoding: .utf8)
        for (key, value) in configEdits {
            config = config.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.trimmingCharacters(in: .whitespaces).hasPrefix(key + ":")
                    ? "  \(key): \(value)" : String(line)
            }.joined(separator: "\n")
        }
        try config.write(to: directory.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
    }

    deinit {
        proxy?.stop()
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Creates the samples' snapshot users on the server (without their ids and meta).
    private func seed() throws {
        let tokenizer = try JSONTokenizer(path: Self.samples.appendingPathComponent("snapshot.json").path)
        guard case .array(let users)? = try tokenizer.readValue()["users"] else {
            throw TestServerError(message: "samples/snapshot.json has no users")
        }
        for user in users {
            guard case .object(let members) = user else { continue }
            let kept = JSONValue.object(members.filter { $0.0 != "id" && $0.0 != "meta" })
            _ = try server.createUser(kept.serialized(style: .compact))
        }
    }

    /// Runs teprov with the token in the environment.
    @discardableResult
    func teprov(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CLIRunner.Result {
        try CLIRunner.run(arguments, in: directory, environment: environment.merging(extra) { $1 })
    }

    /// `teprov snapshot` of the server into `name`.
    func snapshot(_ name: String = "snapshot.json") throws -> CLIRunner.Result {
        try teprov(["snapshot", "--url", url, "--out", path(name)])
    }

    /// `teprov plan` of the samples against snapshot `name`, written to `out`.
    func plan(snapshot name: String = "snapshot.json", out: String = "plan.json", extra: [String] = []) throws
        -> CLIRunner.Result
    {
        let sample = { (file: String) in Self.samples.appendingPathComponent(file).path }
        return try teprov(
            [
                "plan", "--users", sample("users.csv"), "--snapshot", path(name), "--assignments",
                sample("assignments.json"), "--app-roles", sample("app-roles.json"), "--group-members",
                sample("group-members.csv"), "--deleted", sample("deleted-users.json"), "--config", path("config.yaml"),
                "--out", path(out),
            ] + extra)
    }

    /// Snapshot + plan, expecting both to work.
    func prepare() throws {
        let snapshot = try snapshot()
        #expect(snapshot.status == 0, "snapshot: \(snapshot.stderr)")
        let plan = try plan()
        #expect(plan.status == 0, "plan: \(plan.stderr)")
    }

    /// The server's users (read from scim2-server itself, not through the proxy) by lower-cased userName.
    func serverUsers() throws -> [String: JSONValue] {
        var users: [String: JSONValue] = [:]
        for user in try server.listUsers() {
            if case .string(let name)? = user["userName"] { users[name.lowercased()] = user }
        }
        return users
    }

    /// The users of a snapshot file by lower-cased userName.
    func snapshotUsers(_ name: String) throws -> [String: JSONValue] {
        guard case .array(let list)? = try JSONTokenizer(path: path(name)).readValue()["users"] else { return [:] }
        var users: [String: JSONValue] = [:]
        for user in list {
            if case .string(let userName)? = user["userName"] { users[userName.lowercased()] = user }
        }
        return users
    }

    /// The report JSON written by apply.
    func report(_ name: String = "plan.json.report.json") throws -> JSONValue {
        try JSONTokenizer(path: path(name)).readValue()
    }

    /// What a provisioning-relevant comparison looks at: everything but id, meta and schemas, as
    /// canonical JSON (keys sorted at every level).
    static func essentials(_ user: JSONValue) -> String {
        guard case .object(let members) = user else { return user.serialized(style: .canonical) }
        return JSONValue.object(members.filter { !["id", "meta", "schemas"].contains($0.0) })
            .serialized(style: .canonical)
    }
}
