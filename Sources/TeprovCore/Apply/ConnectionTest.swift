import Foundation

/// `teprov test-connection` (SPEC §9), the way Entra's "Test Connection" checks a SCIM app: a
/// `GET /Users?filter=userName eq "<random UUID>"` that must answer 200 with an empty ListResponse.
public struct ConnectionTest: Sendable {
    /// What the check found.
    public struct Result: Sendable, Hashable {
        /// The base URL tested.
        public var url: String
        /// The request sent, e.g. `GET /Users?filter=userName eq "…"` (unencoded, for people).
        public var request: String
        public var passed: Bool
        /// The HTTP status, or `nil` when no answer arrived.
        public var status: Int?
        /// From sending to the last byte of the answer (or the failure).
        public var latency: Duration
        /// `X-Organization-Rate-Limit-Limit`, `-Remaining`, `-Reset` as answered, in that order.
        public var rateLimitHeaders: [SCIMHeader]
        /// One line: why it passed, or what is wrong and what to do.
        public var diagnosis: String
    }

    public static let rateLimitHeaderNames = [
        "X-Organization-Rate-Limit-Limit", "X-Organization-Rate-Limit-Remaining", "X-Organization-Rate-Limit-Reset",
    ]

    public let target: any SCIMTarget
    public let clock: any ApplyClock
    /// Where the credential came from, for the 401 diagnosis (e.g. "the environment variable TE_TOKEN").
    public let credentialSource: String
    public let userName: String

    public init(
        target: any SCIMTarget, credentialSource: String = "TE_TOKEN", clock: any ApplyClock = SystemApplyClock(),
        userName: String = UUID().uuidString.lowercased()
    ) {
        self.target = target
        self.credentialSource = credentialSource
        self.clock = clock
        self.userName = userName
    }

    /// Sends the query once and judges the answer. Never throws except on cancellation.
    public func run() async throws -> Result {
        let request = SCIMRequest.filterUsers(attribute: "userName", equals: userName)
        let shown = "GET /Users?filter=userName eq \"\(userName)\""
        let start = clock.elapsed()
        do {
            let response = try await target.send(request)
            let latency = clock.elapsed() - start
            let (passed, diagnosis) = judge(response)
            let rateLimits = Self.rateLimitHeaderNames.compactMap { name in
                response.header(name).map { SCIMHeader(name: name, value: $0) }
            }
            return Result(
                url: target.displayName, request: shown, passed: passed, status: response.status, latency: latency,
                rateLimitHeaders: rateLimits, diagnosis: diagnosis)
        } catch let error as SCIMTransportError {
            return Result(
                url: target.displayName, request: shown, passed: false, status: nil, latency: clock.elapsed() - start,
                rateLimitHeaders: [], diagnosis: Self.diagnosis(for: error))
        }
    }

    /// Pass/fail and the one-line diagnosis of an HTTP answer.
    func judge(_ response: SCIMResponse) -> (passed: Bool, diagnosis: String) {
        let detail = SCIMErrorDetail.parse(response).detail.map { " (server: \($0))" } ?? ""
        switch response.status {
        case 200:
            return judgeListResponse(response.body)
        case 401:
            return (
                false,
                "The token was rejected (401): check \(credentialSource), that the token is current, and that its user has API access.\(detail)"
            )
        case 403:
            return (
                false,
                "Permission denied (403): the token's user needs the View Users, Edit Users and API Access permissions.\(detail)"
            )
        case 404:
            return (
                false,
                "Not found (404): the base URL looks wrong; it should end with /scim/v2, e.g. https://api.thousandeyes.com/scim/v2.\(detail)"
            )
        case 429:
            return (
                false,
                "Rate limited (429): the organisation's API budget is spent for this minute; try again after the reset.\(detail)"
            )
        case 500...599:
            return (false, "The server failed (\(response.status)); try again later.\(detail)")
        default:
            return (false, "Unexpected status \(response.status) for a SCIM user query; check the base URL.\(detail)")
        }
    }

    private func judgeListResponse(_ body: [UInt8]) -> (passed: Bool, diagnosis: String) {
        guard let value = try? JSONTokenizer(bytes: body, sourceName: "response").readValue(), case .object = value
        else {
            return (
                false,
                "The server answered 200 but not with SCIM JSON; check that the base URL ends with /scim/v2."
            )
        }
        let resources: [JSONValue]
        if case .array(let list)? = value["Resources"] { resources = list } else { resources = [] }
        let total: Int64?
        if case .int(let number)? = value["totalResults"] { total = number } else { total = nil }
        guard total != nil || value["Resources"] != nil else {
            return (
                false,
                "The server answered 200 but not with a SCIM ListResponse; check that the base URL ends with /scim/v2."
            )
        }
        let found = max(Int(total ?? 0), resources.count)
        guard found == 0 else {
            return (
                false,
                "The server returned \(found) users for a random userName: it ignores filter=userName eq, which apply needs to avoid duplicates."
            )
        }
        return (true, "Connected: the server answered 200 with an empty ListResponse.")
    }

    /// The one-line diagnosis when no HTTP answer arrived.
    static func diagnosis(for error: SCIMTransportError) -> String {
        switch error.kind {
        case .tls:
            return
                "TLS failed: the server's certificate is not trusted or does not match the host; if a private CA signed it, pass that CA with --ca-file PEM. (\(error.message))"
        case .dns:
            return "Host not found: check the host name in --url. (\(error.message))"
        case .timeout:
            return "No answer in time: check the URL, proxy and firewall, or raise --timeout. (\(error.message))"
        case .connectionRefused:
            return
                "Connection refused: nothing accepts connections at that host and port; check --url. (\(error.message))"
        case .connectionClosed:
            return
                "The server closed the connection without answering; check that --url points at a SCIM endpoint. (\(error.message))"
        case .other:
            return "The request failed: \(error.message)"
        }
    }
}
