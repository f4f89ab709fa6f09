import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A SCIM base URL (`--url`) that passed SPEC §1's rules: `http` or `https` with a host, no
/// `user:password@`, no query or fragment, and plain `http://` only to a loopback address.
public struct SCIMBaseURL: Sendable, Hashable {
    /// The URL without trailing `/`, scheme in lower case: requests go to `{text}/Users`.
    public let text: String
    public let scheme: String
    /// Host name or address (IPv6 without brackets), lower case.
    public let host: String
    /// Explicit port, or 443 / 80.
    public let port: Int

    /// Parses and checks `--url`.
    /// - Throws: `TeprovError(.usage)` saying what is wrong; the message never repeats userinfo.
    public static func parse(_ raw: String) throws -> SCIMBaseURL {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw TeprovError(
                .usage, "--url is empty; give the SCIM base URL, e.g. https://api.thousandeyes.com/scim/v2.")
        }
        guard let schemeEnd = trimmed.range(of: "://") else {
            throw TeprovError(
                .usage,
                "--url must start with https:// (e.g. https://api.thousandeyes.com/scim/v2), got \"\(trimmed)\".")
        }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        let rest = trimmed[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        // Checked on the raw text before any parser sees it, so no message ever quotes the secret.
        if authority.contains("@") {
            throw TeprovError(
                .usage,
                "--url must not contain credentials (user:password@); put the token in TE_TOKEN (or --token-env / --token-file) and the user in --basic-user."
            )
        }
        guard scheme == "https" || scheme == "http" else {
            throw TeprovError(.usage, "--url must use https:// (or http:// to a loopback address), not \(scheme)://.")
        }
        let normalized = scheme + "://" + rest
        guard let components = URLComponents(string: normalized), let rawHost = components.host, !rawHost.isEmpty
        else {
            throw TeprovError(
                .usage, "--url \"\(trimmed)\" is not a valid URL; give e.g. https://api.thousandeyes.com/scim/v2.")
        }
        guard components.query == nil, components.fragment == nil else {
            throw TeprovError(
                .usage,
                "--url must be the SCIM base URL without ?query or #fragment, e.g. https://api.thousandeyes.com/scim/v2."
            )
        }
        var host = rawHost.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else {
            throw TeprovError(.usage, "--url has port \(port), which is not a TCP port (1-65535).")
        }
        if scheme == "http" && !isLoopback(host: host) {
            throw TeprovError(
                .usage,
                "--url uses http:// to \(host), which would send the token unencrypted; use https:// (http:// is allowed only to 127.0.0.1, ::1 or localhost)."
            )
        }
        var text = normalized
        while text.hasSuffix("/") { text.removeLast() }
        return SCIMBaseURL(text: text, scheme: scheme, host: host, port: port)
    }

    /// `true` for `localhost`, 127.0.0.0/8, `::1` and IPv4-mapped 127.0.0.0/8.
    public static func isLoopback(host: String) -> Bool {
        let name = host.lowercased()
        if name == "localhost" || name == "localhost." { return true }
        var v4 = in_addr()
        if name.allSatisfy({ $0.isNumber || $0 == "." }), inet_pton(AF_INET, name, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, name, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        guard bytes.count == 16 else { return false }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
        return Array(bytes[0..<12]) == mappedPrefix && bytes[12] == 127
    }

    /// The origin (scheme, host, port) of an absolute URL, for comparing redirect targets; `nil` when
    /// `url` is not an absolute http(s) URL.
    public static func origin(of url: URL) -> Origin? {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            var host = url.host?.lowercased(), !host.isEmpty
        else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return Origin(scheme: scheme, host: host, port: url.port ?? (scheme == "https" ? 443 : 80))
    }

    /// This URL's origin.
    public var origin: Origin { Origin(scheme: scheme, host: host, port: port) }

    /// Scheme, host and port: where credentials may be sent (RFC 6454).
    public struct Origin: Sendable, Hashable, CustomStringConvertible {
        public var scheme: String
        public var host: String
        public var port: Int

        public var description: String {
            let shownHost = host.contains(":") ? "[\(host)]" : host
            return "\(scheme)://\(shownHost):\(port)"
        }
    }
}
