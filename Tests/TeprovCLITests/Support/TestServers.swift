import Foundation
import TeprovCore

/// scim2-server 0.8.3 from the package's .venv, started through Tests/Support/scim2_launcher.py
/// (threading WSGI server, listen backlog 256) on a free 127.0.0.1 port. In memory: every start is
/// an empty server. Speaks HTTP/1.0 and closes each connection; PATCH answers 204.
final class SCIM2ServerProcess: @unchecked Sendable {
    /// `http://127.0.0.1:PORT/v2`
    let baseURL: String
    let port: Int
    /// The bearer token the server requires (sent by `listUsers`/`createUser`), or nil.
    let bearerToken: String?
    private let server: TestServerProcess

    private init(server: TestServerProcess, bearerToken: String?) {
        self.server = server
        self.port = server.port
        self.baseURL = "http://127.0.0.1:\(server.port)/v2"
        self.bearerToken = bearerToken
    }

    /// Starts an empty server; with `bearerToken`, every /Users request needs `Authorization: Bearer <token>`.
    /// - Throws: `TestServerError` when the venv is missing ("run bin/test (it creates .venv)") or the
    ///   server does not answer within 10 s.
    static func start(bearerToken: String? = nil) throws -> SCIM2ServerProcess {
        let python = try TestServerEnvironment.python(needingSCIM2Server: true)
        let server = try TestServerProcess.start(
            name: "scim2-server", python: python, script: TestServerEnvironment.script("scim2_launcher.py"),
            arguments: bearerToken.map { ["--bearer-token", $0] } ?? [],
            readyLine: "scim2_launcher: serving SCIM on", readinessPath: "/v2/ServiceProviderConfig")
        return SCIM2ServerProcess(server: server, bearerToken: bearerToken)
    }

    /// Every user on the server (pages `GET /Users` by 1000), for assertions.
    func listUsers() throws -> [JSONValue] {
        try SCIMTestClient(baseURL: baseURL, bearerToken: bearerToken).listUsers()
    }

    /// `POST /Users` with `json` (a SCIM user); returns the created resource.
    /// - Throws: `TestServerError` unless the server answers 201.
    func createUser(_ json: String) throws -> JSONValue {
        try SCIMTestClient(baseURL: baseURL, bearerToken: bearerToken).createUser(json)
    }

    /// SIGTERM and wait; also done in deinit.
    func stop() { server.stop() }
}

/// Tests/Support/fault_server.py: a fault-injecting HTTP/1.1 keep-alive endpoint, either in front of
/// an upstream (reverse proxy; a new upstream connection per request) or standing alone as an
/// in-memory SCIM stub. The rules, arguments and statistics are described at the top of the script.
final class FaultServerProcess: @unchecked Sendable {
    /// `http://127.0.0.1:PORT/v2` (proxied paths keep the upstream's path prefix, e.g. `/v2`).
    let baseURL: String
    /// `http://127.0.0.1:PORT` (the control endpoints live under `/_control/`).
    let rootURL: String
    let port: Int
    private let server: TestServerProcess

    private init(server: TestServerProcess, pathPrefix: String) {
        self.server = server
        self.port = server.port
        self.rootURL = "http://127.0.0.1:\(server.port)"
        self.baseURL = rootURL + pathPrefix
    }

    /// Starts the fault server in front of `upstream` (an `http://` SCIM base URL), or as the stub
    /// when `upstream` is nil.
    /// - Parameter arguments: more arguments of fault_server.py, e.g. `["--latency-ms", "50"]`,
    ///   `["--rate-limit", "240", "--competitor-share", "0.25"]`, `["--bearer-token", "T"]`.
    static func start(upstream: String?, arguments: [String] = []) throws -> FaultServerProcess {
        let python = try TestServerEnvironment.python(needingSCIM2Server: false)
        var pathPrefix = "/v2"
        var modeArguments = ["--stub"]
        if let upstream {
            guard let url = URL(string: upstream), url.scheme == "http" else {
                throw TestServerError(message: "the fault server's upstream must be an http:// URL, not \(upstream)")
            }
            pathPrefix = url.path.hasSuffix("/") ? String(url.path.dropLast()) : url.path
            modeArguments = ["--upstream", upstream]
        }
        let server = try TestServerProcess.start(
            name: "fault_server", python: python, script: TestServerEnvironment.script("fault_server.py"),
            arguments: modeArguments + arguments, readyLine: "fault_server: listening on",
            readinessPath: "/_control/stats")
        return FaultServerProcess(server: server, pathPrefix: pathPrefix)
    }

    /// `POST /_control/rules`: replaces the rules (and their `times` counters) with the JSON list.
    func setRules(_ rulesJSON: String) throws {
        let response = try TestHTTP.send("POST", rootURL + "/_control/rules", body: rulesJSON)
        guard response.status == 200 else {
            throw TestServerError(message: "the fault server refused the rules (\(response.status)): \(response.text)")
        }
    }

    /// `GET /_control/stats`: `{"requests", "byMethod", "byStatus", "tooManyRequests", "injected",
    /// "maxInFlight", "connections", "dropped", "competitorTokens", "competitorDenied"}`.
    func stats() throws -> JSONValue {
        let response = try TestHTTP.send("GET", rootURL + "/_control/stats")
        guard response.status == 200 else {
            throw TestServerError(message: "GET /_control/stats answered \(response.status)")
        }
        return try response.json()
    }

    /// `POST /_control/reset`: clears statistics and rules and refills the rate bucket; with
    /// `clearingUsers` the stub also forgets its users.
    func reset(clearingUsers: Bool = false) throws {
        let response = try TestHTTP.send("POST", rootURL + "/_control/reset" + (clearingUsers ? "?store=1" : ""))
        guard response.status == 200 else {
            throw TestServerError(message: "POST /_control/reset answered \(response.status)")
        }
    }

    /// Stub only: every stored user (`GET /_control/users`, not rate-limited or counted).
    func storedUsers() throws -> [JSONValue] {
        let response = try TestHTTP.send("GET", rootURL + "/_control/users")
        guard response.status == 200, case .array(let users) = try response.json() else {
            throw TestServerError(message: "GET /_control/users answered \(response.status): \(response.text)")
        }
        return users
    }

    /// Stub only: adds users (a JSON list of SCIM users) without HTTP cost, e.g. before a benchmark.
    func seedUsers(_ usersJSON: String) throws {
        let response = try TestHTTP.send("POST", rootURL + "/_control/users", body: usersJSON)
        guard response.status == 200 else {
            throw TestServerError(message: "POST /_control/users answered \(response.status): \(response.text)")
        }
    }

    /// SIGTERM and wait; also done in deinit.
    func stop() { server.stop() }
}

/// The few SCIM calls the test servers' helpers make, over `TestHTTP`.
struct SCIMTestClient {
    var baseURL: String
    var bearerToken: String?

    var authorization: [(String, String)] { bearerToken.map { [("Authorization", "Bearer \($0)")] } ?? [] }

    func listUsers() throws -> [JSONValue] {
        var users: [JSONValue] = []
        var startIndex = 1
        while true {
            let response = try TestHTTP.send(
                "GET", "\(baseURL)/Users?startIndex=\(startIndex)&count=1000", headers: authorization)
            guard response.status == 200 else {
                throw TestServerError(message: "GET /Users answered \(response.status): \(response.text)")
            }
            let page = try response.json()
            guard case .array(let resources) = page["Resources"] ?? .array([]),
                case .int(let total)? = page["totalResults"]
            else { throw TestServerError(message: "GET /Users gave no ListResponse: \(response.text)") }
            users += resources
            if resources.isEmpty || users.count >= total { return users }
            startIndex += resources.count
        }
    }

    func createUser(_ json: String) throws -> JSONValue {
        let response = try TestHTTP.send("POST", "\(baseURL)/Users", headers: authorization, body: json)
        guard response.status == 201 else {
            throw TestServerError(message: "POST /Users answered \(response.status): \(response.text)")
        }
        return try response.json()
    }
}
