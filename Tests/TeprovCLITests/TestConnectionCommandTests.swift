import Foundation
import Testing

/// `teprov test-connection` end to end: the real binary against scim2-server, the fault server and a
/// small HTTPS endpoint (SPEC §9, §1 security rules).
@Suite struct TestConnectionCommandTests {
    static let token = "tc-token-9d4e1b77-do-not-print"

    private func testConnection(
        _ url: String, _ more: [String] = [], token: String? = token, variable: String = "TC_TOKEN"
    ) throws -> CLIRunner.Result {
        var environment: [String: String] = ["TE_TOKEN": ""]
        if let token { environment[variable] = token }
        let result = try CLIRunner.run(
            ["test-connection", "--url", url, "--token-env", variable] + more, environment: environment)
        if let token {
            #expect(!result.stdout.contains(token), "the token appeared on stdout")
            #expect(!result.stderr.contains(token), "the token appeared on stderr")
        }
        return result
    }

    // MARK: - scim2-server

    @Test func scim2ServerWithBearerTokenAcceptsTheRightTokenAndRejectsAWrongOne() throws {
        let server = try SCIM2ServerProcess.start(bearerToken: Self.token)
        defer { server.stop() }

        let passed = try testConnection(server.baseURL)
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(passed.stdout.contains("URL:        \(server.baseURL)"))
        #expect(passed.stdout.contains("Status:     200"))
        #expect(passed.stdout.contains("Latency:"))
        #expect(passed.stdout.contains("Result:     passed"))
        #expect(passed.stderr.isEmpty)

        let rejected = try testConnection(server.baseURL, token: "wrong-\(UUID().uuidString)")
        #expect(rejected.status == 3)
        #expect(rejected.stdout.contains("Status:     401"))
        #expect(rejected.stdout.contains("FAILED"))
        #expect(rejected.stderr.contains("rejected (401)"), "\(rejected.stderr)")
        #expect(rejected.stderr.contains("TC_TOKEN"))
        #expect(rejected.stderr.split(separator: "\n").count == 1)
    }

    @Test func scim2ServerWithoutBearerTokenPassesAndTokenFileIsChecked() throws {
        let server = try SCIM2ServerProcess.start()
        defer { server.stop() }
        let directory = try makeTemporaryDirectory()
        let tokenFile = directory.appendingPathComponent("token").path
        try "\(Self.token)\n".write(toFile: tokenFile, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: tokenFile)

        let result = try testConnection(server.baseURL + "/", ["--token-file", tokenFile], token: nil)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("URL:        \(server.baseURL)\n"))
        #expect(result.stderr.contains("warning: the token file \(tokenFile) is readable by group or others"))
        #expect(!result.stdout.contains(Self.token))
        #expect(!result.stderr.contains(Self.token))
    }

    // MARK: - Fault server

    @Test func faultServerStatusesHangsAndRateLimitHeaders() throws {
        let server = try FaultServerProcess.start(
            upstream: nil, arguments: ["--rate-limit", "1000", "--bearer-token", Self.token])
        defer { server.stop() }

        let passed = try testConnection(server.baseURL)
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(passed.stdout.contains("Rate limit: limit 1000, remaining "), "\(passed.stdout)")
        #expect(passed.stdout.contains(", reset "))

        try server.setRules(#"[{"match": {"path": "/Users"}, "action": {"type": "status", "status": 404}}]"#)
        let notFound = try testConnection(server.baseURL)
        #expect(notFound.status == 3)
        #expect(notFound.stderr.contains("Not found (404)"))
        #expect(notFound.stderr.contains("/scim/v2"))

        try server.setRules(
            #"[{"match": {"path": "/Users"}, "action": {"type": "status", "status": 403, "body": {"status": "403", "detail": "no API access"}}}]"#
        )
        let forbidden = try testConnection(server.baseURL)
        #expect(forbidden.status == 3)
        #expect(forbidden.stderr.contains("View Users, Edit Users and API Access"))
        #expect(forbidden.stderr.contains("no API access"))

        try server.setRules("[]")
        let unauthorized = try testConnection(server.baseURL, token: "not-the-token")
        #expect(unauthorized.status == 3)
        #expect(unauthorized.stderr.contains("rejected (401)"))

        // A hang far longer than the bound, which leaves a loaded machine room to start the process.
        try server.setRules(#"[{"match": {"path": "/Users"}, "action": {"type": "hang", "seconds": 120}}]"#)
        let started = Date()
        let hung = try testConnection(server.baseURL, ["--timeout", "1"])
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(hung.status == 3)
        #expect(hung.stdout.contains("Status:     no answer"))
        #expect(hung.stderr.contains("No answer in time"), "\(hung.stderr)")
        #expect(hung.stderr.contains("--timeout"))
    }

    @Test func redirectsAreFollowedOnlyWithinTheOrigin() throws {
        let server = try FaultServerProcess.start(upstream: nil)
        defer { server.stop() }
        let elsewhere = try FaultServerProcess.start(upstream: nil)
        defer { elsewhere.stop() }

        try server.setRules(
            #"[{"match": {"path": "^/old/Users"}, "action": {"type": "status", "status": 308, "headers": {"Location": "/v2/Users?filter=userName%20eq%20%22x%22"}}}]"#
        )
        let followed = try testConnection(server.rootURL + "/old")
        #expect(followed.status == 0, "\(followed.stdout)\(followed.stderr)")

        try server.setRules(
            #"[{"match": {"path": "/Users"}, "action": {"type": "status", "status": 302, "headers": {"Location": "\#(elsewhere.baseURL)/Users"}}}]"#
        )
        let refused = try testConnection(server.baseURL)
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("another origin"), "\(refused.stderr)")
        guard case .int(let requests)? = try elsewhere.stats()["requests"] else {
            Issue.record("no request count in the other server's stats")
            return
        }
        #expect(requests == 0)
    }

    // MARK: - TLS, DNS, refused connections

    @Test func tlsIsVerifiedAndCAFileOrInsecureAreHonoured() throws {
        let server = try TLSTestServer.start()
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/scim/v2"

        let untrusted = try testConnection(url, ["--timeout", "5"])
        #expect(untrusted.status == 3)
        #expect(untrusted.stderr.contains("TLS failed"), "\(untrusted.stderr)")
        #expect(untrusted.stderr.contains("--ca-file"))

        let trusted = try testConnection(url, ["--ca-file", TLSTestServer.fixture("ca.pem")])
        #expect(trusted.status == 0, "\(trusted.stderr)")
        #expect(trusted.stderr.isEmpty)

        let insecure = try testConnection(url, ["--insecure"])
        #expect(insecure.status == 0, "\(insecure.stderr)")
        #expect(insecure.stderr.contains("warning: TLS certificate verification is disabled"))
    }

    @Test func unknownHostAndRefusedConnectionAreDiagnosed() throws {
        let unknown = try testConnection("https://teprov-no-such-host.invalid/scim/v2", ["--timeout", "5"])
        #expect(unknown.status == 3)
        #expect(unknown.stderr.contains("Host not found"), "\(unknown.stderr)")

        let port = try TestServerEnvironment.freeLoopbackPort()
        let refused = try testConnection("http://127.0.0.1:\(port)/scim/v2", ["--timeout", "5"])
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("Connection refused"), "\(refused.stderr)")
    }

    // MARK: - Refusals before any request

    @Test(arguments: [
        (["--url", "http://api.thousandeyes.com/scim/v2"], "http://"),
        (["--url", "https://admin:hunter2@api.thousandeyes.com/scim/v2"], "credentials"),
        (["--url", "https://api.thousandeyes.com/scim/v2", "--token-env", "TC_UNSET_VARIABLE"], "TC_UNSET_VARIABLE"),
        (
            ["--url", "https://api.thousandeyes.com/scim/v2", "--token-file", "/nonexistent/token"],
            "/nonexistent/token"
        ),
        (["--token-env", "TE_TOKEN"], "--url"),
        (["--url", "https://api.thousandeyes.com/scim/v2", "--timeout", "0"], "--timeout"),
    ])
    func badFlagsAreUsageErrors(arguments: [String], words: String) throws {
        let result = try CLIRunner.run(["test-connection"] + arguments, environment: ["TE_TOKEN": Self.token])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(words), "\(result.stderr)")
        #expect(!result.stderr.contains("hunter2"))
        #expect(!result.stderr.contains(Self.token))
    }

    @Test func helpDocumentsTheConnectionFlags() throws {
        let result = try CLIRunner.run(["test-connection", "--help"])
        #expect(result.status == 0)
        for flag in ["--url", "--token-env", "--token-file", "--basic-user", "--ca-file", "--insecure", "--timeout"] {
            #expect(result.stdout.contains(flag), "\(flag) missing from help")
        }
    }
}

/// Tests/TeprovCLITests/Fixtures/tls/tls_server.py: HTTPS with a certificate for 127.0.0.1 signed by
/// the fixture CA, answering every GET with an empty ListResponse.
struct TLSTestServer {
    let process: TestServerProcess
    var port: Int { process.port }

    static func fixture(_ name: String) -> String {
        CLIRunner.packageRoot.appendingPathComponent("Tests/TeprovCLITests/Fixtures/tls").appendingPathComponent(name)
            .path
    }

    static func start() throws -> TLSTestServer {
        let python = try TestServerEnvironment.python(needingSCIM2Server: false)
        let process = try TestServerProcess.start(
            name: "tls_server", python: python, script: URL(fileURLWithPath: fixture("tls_server.py")),
            arguments: ["--cert", fixture("server.pem"), "--key", fixture("server-key.pem")],
            readyLine: "tls_server: listening on", readinessPath: "/ready")
        return TLSTestServer(process: process)
    }

    func stop() { process.stop() }
}
