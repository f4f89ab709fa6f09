/// One SCIM request, relative to the SCIM base URL (`{url}/Users...`).
public struct SCIMRequest: Sendable, Hashable {
    public var method: String
    /// Path below the base URL, starting with `/`, e.g. `/Users/2819c223`.
    public var path: String
    /// Query parameters, in order (values unencoded; the target encodes them).
    public var query: [SCIMQueryItem]
    /// JSON body bytes (sent as `application/scim+json`), or `nil`.
    public var body: [UInt8]?
    /// `If-Match` header value (a `meta.version` ETag), or `nil`.
    public var ifMatch: String?
    /// The plan operation this request belongs to. Not sent over HTTP; the offline target names the
    /// users it creates after it (`offline-<opId>`).
    public var operationID: String?

    public init(
        method: String, path: String, query: [SCIMQueryItem] = [], body: [UInt8]? = nil, ifMatch: String? = nil,
        operationID: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.ifMatch = ifMatch
        self.operationID = operationID
    }

    /// `GET /Users?filter=<attribute> eq "<value>"` (value quoted and escaped per RFC 7644 §3.4.2.2).
    public static func filterUsers(attribute: String, equals value: String) -> SCIMRequest {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return SCIMRequest(
            method: "GET", path: "/Users",
            query: [SCIMQueryItem(name: "filter", value: "\(attribute) eq \"\(escaped)\"")])
    }
}

/// A query parameter of a `SCIMRequest`.
public struct SCIMQueryItem: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What a SCIM server answered.
public struct SCIMResponse: Sendable, Hashable {
    public var status: Int
    /// Header fields in order received; names as sent (compare with `header(_:)`, which ignores case).
    public var headers: [SCIMHeader]
    public var body: [UInt8]

    public init(status: Int, headers: [SCIMHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name`, compared without case.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// One response header field.
public struct SCIMHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A request that got no HTTP response: timeout, refused or dropped connection, TLS or DNS failure.
public struct SCIMTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case timeout, connectionRefused, connectionClosed, tls, dns, other
    }

    public var kind: Kind
    /// `false` only when the request certainly never reached the server (refused connection, DNS,
    /// TLS handshake); otherwise the server may have acted on it, and its outcome is unknown.
    public var requestMayHaveReachedServer: Bool
    /// One sentence for people; never contains credentials.
    public var message: String

    public init(kind: Kind, requestMayHaveReachedServer: Bool, message: String) {
        self.kind = kind
        self.requestMayHaveReachedServer = requestMayHaveReachedServer
        self.message = message
    }

    public var description: String { message }
}

/// A SCIM service provider that requests are sent to: a server over HTTP, or a snapshot file
/// (`apply --offline`). Implementations are safe to call concurrently.
public protocol SCIMTarget: Sendable {
    /// The base URL (or offline file) for messages; never holds credentials.
    var displayName: String { get }

    /// Sends one request and returns the server's answer, whatever its status.
    /// - Throws: `SCIMTransportError` when no HTTP response arrived; `CancellationError`.
    func send(_ request: SCIMRequest) async throws -> SCIMResponse
}
