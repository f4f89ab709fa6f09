import Foundation
import NIOSSL

/// Everything that decides how teprov connects to a SCIM endpoint (SPEC §1 "Security", §8
/// "Security"), validated before any request is sent: the base URL, the credential, TLS trust and
/// the request timeout.
///
/// The token is held privately: `description`, `debugDescription` and the reflection mirror never
/// show it, so printing or dumping settings cannot leak it.
public struct SCIMConnectionSettings: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The raw command-line values the settings are resolved from (`--url`, `--token-env`, ...).
    public struct Flags: Sendable, Hashable {
        public var url: String
        /// Name of the environment variable holding the token (`--token-env`).
        public var tokenEnvironmentVariable: String
        /// File holding the token (`--token-file`); takes precedence over the environment variable.
        public var tokenFile: String?
        /// HTTP Basic user (`--basic-user EMAIL`); the token is then the password.
        public var basicUser: String?
        /// PEM file of an extra CA to trust (`--ca-file`).
        public var caFile: String?
        /// Disables certificate verification (`--insecure`).
        public var insecure: Bool
        /// Per-request timeout in seconds (`--timeout`), covering connect, send and the whole answer.
        public var timeoutSeconds: Double

        public init(
            url: String, tokenEnvironmentVariable: String = SCIMConnectionSettings.defaultTokenEnvironmentVariable,
            tokenFile: String? = nil, basicUser: String? = nil, caFile: String? = nil, insecure: Bool = false,
            timeoutSeconds: Double = SCIMConnectionSettings.defaultTimeoutSeconds
        ) {
            self.url = url
            self.tokenEnvironmentVariable = tokenEnvironmentVariable
            self.tokenFile = tokenFile
            self.basicUser = basicUser
            self.caFile = caFile
            self.insecure = insecure
            self.timeoutSeconds = timeoutSeconds
        }
    }

    /// How the server's certificate is checked.
    public enum TLSTrust: Sendable, Hashable {
        /// The system's trust roots (the default).
        case system
        /// The system's trust roots plus the certificates of a PEM file (`--ca-file`).
        case systemAndFile(path: String, pem: [UInt8])
        /// No verification at all (`--insecure`).
        case verificationDisabled
    }

    /// Which kind of `Authorization` header is sent.
    public enum AuthenticationScheme: Sendable, Hashable {
        case bearer
        case basic(user: String)
    }

    public static let defaultTokenEnvironmentVariable = "TE_TOKEN"
    public static let defaultTimeoutSeconds: Double = 30

    /// The checked base URL; its origin is the only one credentials are sent to.
    public let url: SCIMBaseURL
    public let authentication: AuthenticationScheme
    /// Where the token came from, for messages: "the environment variable TE_TOKEN" or "the token file PATH".
    public let credentialSource: String
    public let tlsTrust: TLSTrust
    public let timeout: Duration
    /// Warnings for the user (a token file readable by others, `--insecure`); print them on stderr.
    public let warnings: [String]
    private let token: String

    /// Validates `flags` and reads the token.
    /// - Parameter environment: where `--token-env` is looked up (the process environment by default).
    /// - Throws: `TeprovError(.usage)` for a refused URL, a missing token or contradictory flags;
    ///   `TeprovError(.io)` or `.input` for an unreadable or malformed `--ca-file` / `--token-file`.
    public static func resolve(
        _ flags: Flags, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> SCIMConnectionSettings {
        let url = try SCIMBaseURL.parse(flags.url)
        guard flags.timeoutSeconds.isFinite, flags.timeoutSeconds > 0, flags.timeoutSeconds <= 3600 else {
            throw TeprovError(.usage, "--timeout must be a number of seconds between 0 and 3600, e.g. --timeout 30.")
        }
        var warnings: [String] = []
        let (token, source) = try readToken(flags, environment: environment, warnings: &warnings)
        let authentication = try authenticationScheme(basicUser: flags.basicUser)
        let trust = try tlsTrust(flags, scheme: url.scheme, warnings: &warnings)
        return SCIMConnectionSettings(
            url: url, authentication: authentication,
            credentialSource: source, tlsTrust: trust, timeout: .milliseconds(Int64(flags.timeoutSeconds * 1000)),
            warnings: warnings, token: token)
    }

    /// The settings of a test or an embedding program that already holds the token.
    /// - Throws: `TeprovError(.usage)` when `url` is refused or the token is empty or holds a line break.
    public init(
        url: String, token: String, authentication: AuthenticationScheme = .bearer, tlsTrust: TLSTrust = .system,
        timeout: Duration = .seconds(30)
    ) throws {
        let parsed = try SCIMBaseURL.parse(url)
        let checked = try Self.checkedToken(token, source: "the token")
        self.init(
            url: parsed, authentication: authentication, credentialSource: "the token given", tlsTrust: tlsTrust,
            timeout: timeout,
            warnings: [], token: checked)
    }

    private init(
        url: SCIMBaseURL, authentication: AuthenticationScheme,
        credentialSource: String, tlsTrust: TLSTrust, timeout: Duration, warnings: [String], token: String
    ) {
        self.url = url
        self.authentication = authentication
        self.credentialSource = credentialSource
        self.tlsTrust = tlsTrust
        self.timeout = timeout
        self.warnings = warnings
        self.token = token
    }

    /// The SCIM base URL without a trailing `/`, e.g. `https://api.thousandeyes.com/scim/v2`.
    public var baseURL: String { url.text }

    /// The `Authorization` header value. Send it only to `baseURL`'s origin; never print or log it.
    public var authorizationHeaderValue: String {
        switch authentication {
        case .bearer:
            return "Bearer \(token)"
        case .basic(let user):
            return "Basic \(Data("\(user):\(token)".utf8).base64EncodedString())"
        }
    }

    /// Every form in which the secret could appear in text (the token, the header value), longest first,
    /// for scrubbing messages that quote foreign error descriptions.
    var secretForms: [String] {
        [authorizationHeaderValue, token].filter { !$0.isEmpty }
    }

    /// `text` with every occurrence of the token (or the header built from it) replaced by `[redacted]`.
    public func redacting(_ text: String) -> String {
        secretForms.reduce(text) { $0.replacingOccurrences(of: $1, with: "[redacted]") }
    }

    public var description: String {
        let auth: String
        switch authentication {
        case .bearer: auth = "bearer token from \(credentialSource)"
        case .basic(let user): auth = "basic auth as \(user), password from \(credentialSource)"
        }
        let tls: String
        switch tlsTrust {
        case .system: tls = "TLS verified (system roots)"
        case .systemAndFile(let path, _): tls = "TLS verified (system roots + \(path))"
        case .verificationDisabled: tls = "TLS NOT verified (--insecure)"
        }
        return "\(baseURL) (\(auth); \(tls); timeout \(timeout))"
    }

    public var debugDescription: String { "SCIMConnectionSettings(\(description))" }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "baseURL": baseURL, "authentication": authentication, "credentialSource": credentialSource,
                "tlsTrust": tlsTrust, "timeout": timeout, "token": "[redacted]",
            ], displayStyle: .struct)
    }
}
