import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// A SCIM server over HTTP(S): one shared `HTTPClient` whose HTTP/1.1 keep-alive pool holds as many
/// connections as apply runs requests at once.
///
/// Security (SPEC §1, §8): the `Authorization` header goes only to the base URL's origin. AHC's own
/// redirect handling is off; same-origin redirects (at most `maximumRedirects`) are followed here and
/// a redirect to any other origin fails with a `SCIMTransportError` instead of carrying the token
/// along. No message, log line or error holds the token.
///
/// Call `shutdown()` when done (AHC requires it before the client is released).
public final class HTTPSCIMTarget: SCIMTarget {
    public static let maximumRedirects = 5
    /// Largest response body accepted (a 1,000-user page is about 1 MB).
    public static let maximumResponseBytes = 256 * 1024 * 1024

    public let settings: SCIMConnectionSettings
    public let displayName: String
    private let client: HTTPClient
    private let logger: Logger
    private let userAgent = "teprov/\(TeprovVersion.current)"

    /// - Parameters:
    ///   - concurrency: requests in flight at once (`--concurrency`); the pool keeps that many connections.
    ///   - logger: debug lines per request (method, path, status, duration; never headers).
    /// - Throws: `TeprovError(.input)` when the `--ca-file` PEM cannot be loaded.
    public init(
        settings: SCIMConnectionSettings, concurrency: Int = 4,
        logger: Logger = Logger(label: "teprov.http", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws {
        self.settings = settings
        self.displayName = settings.baseURL
        self.logger = logger
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try Self.tlsConfiguration(settings.tlsTrust),
            redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(
                connect: TimeAmount(settings.timeout), read: TimeAmount(settings.timeout)),
            connectionPool: HTTPClient.Configuration.ConnectionPool(
                idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(concurrency, 1)),
            decompression: .disabled)
        configuration.httpVersion = .http1Only
        // Apply retries with its own backoff and pacing; a refused connection must surface at once.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Closes the pool's connections. Required before the target is released.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func send(_ request: SCIMRequest) async throws -> SCIMResponse {
        let started = NIODeadline.now()
        let deadline = started + TimeAmount(settings.timeout)
        var url = Self.requestURL(base: settings.baseURL, request: request)
        var method = request.method
        var body = request.body
        var redirects = 0
        while true {
            let answer = try await exchange(
                method: method, url: url, body: body, ifMatch: request.ifMatch, deadline: deadline)
            guard [301, 302, 303, 307, 308].contains(answer.status), let location = answer.header("Location") else {
                let elapsed = (NIODeadline.now() - started).nanoseconds / 1_000_000
                logger.debug("\(method) \(request.path) -> \(answer.status) in \(elapsed) ms")
                return answer
            }
            guard redirects < Self.maximumRedirects else {
                throw SCIMTransportError(
                    kind: .other, requestMayHaveReachedServer: true,
                    message:
                        "\(method) \(request.path) was redirected more than \(Self.maximumRedirects) times; check --url."
                )
            }
            url = try sameOriginRedirect(from: url, location: location, method: method, path: request.path)
            if answer.status == 303 {
                method = "GET"
                body = nil
            }
            redirects += 1
            logger.debug("\(request.path): following a \(answer.status) redirect (same origin)")
        }
    }

    /// One HTTP exchange, no redirects: the request with our headers, the whole body read by `deadline`.
    private func exchange(method: String, url: String, body: [UInt8]?, ifMatch: String?, deadline: NIODeadline)
        async throws -> SCIMResponse
    {
        var http = HTTPClientRequest(url: url)
        http.method = HTTPMethod(rawValue: method)
        http.headers.add(name: "Accept", value: "application/scim+json")
        http.headers.add(name: "Authorization", value: settings.authorizationHeaderValue)
        http.headers.add(name: "User-Agent", value: userAgent)
        if let ifMatch { http.headers.add(name: "If-Match", value: ifMatch) }
        if let body {
            http.headers.add(name: "Content-Type", value: "application/scim+json")
            http.body = .bytes(body)
        }
        do {
            let response = try await client.execute(http, deadline: deadline)
            let bytes = try await Self.collect(response.body, until: deadline)
            return SCIMResponse(
                status: Int(response.status.code),
                headers: response.headers.map { SCIMHeader(name: $0.name, value: $0.value) }, body: bytes)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw transportError(for: error, method: method, url: url)
        }
    }

    /// The absolute URL of a `Location` header, checked to be on the base URL's origin.
    private func sameOriginRedirect(from current: String, location: String, method: String, path: String) throws
        -> String
    {
        guard let base = URL(string: current), let target = URL(string: location, relativeTo: base)?.absoluteURL,
            let origin = SCIMBaseURL.origin(of: target)
        else {
            throw SCIMTransportError(
                kind: .other, requestMayHaveReachedServer: true,
                message: "\(method) \(path) was redirected to an invalid location; check --url.")
        }
        guard origin == settings.url.origin else {
            throw SCIMTransportError(
                kind: .other, requestMayHaveReachedServer: true,
                message:
                    "\(method) \(path) was redirected to another origin (\(origin)); teprov does not send credentials there, point --url at that server if it is the right one."
            )
        }
        return target.absoluteString
    }

    /// Reads the whole body, or fails with `deadlineExceeded` when `deadline` passes first.
    private static func collect(_ body: HTTPClientResponse.Body, until deadline: NIODeadline) async throws -> [UInt8] {
        try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                var buffer = try await body.collect(upTo: maximumResponseBytes)
                return buffer.readBytes(length: buffer.readableBytes) ?? []
            }
            group.addTask {
                let remaining = (deadline - NIODeadline.now()).nanoseconds
                if remaining > 0 { try await Task.sleep(nanoseconds: UInt64(remaining)) }
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let bytes = first else {
                throw HTTPClientError.deadlineExceeded
            }
            return bytes
        }
    }

    private static func tlsConfiguration(_ trust: SCIMConnectionSettings.TLSTrust) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch trust {
        case .system:
            break
        case .systemAndFile(let path, let pem):
            guard let certificates = try? NIOSSLCertificate.fromPEMBytes(pem), !certificates.isEmpty else {
                throw TeprovError(
                    .input, "The CA file \(path) holds no PEM certificate; give the CA in PEM form.", file: path)
            }
            tls.additionalTrustRoots = [.certificates(certificates)]
        case .verificationDisabled:
            tls.certificateVerification = .none
        }
        return tls
    }
}
