import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

#if canImport(Glibc)
    import Glibc
#endif

extension HTTPSCIMTarget {
    /// `{base}{path}?{query}` with the path and every query name and value percent-encoded
    /// (RFC 3986: a filter's spaces become `%20`, its quotes `%22`). `request.path` is raw text: an
    /// id holding `/`-free reserved characters is encoded, `/` separates segments.
    public static func requestURL(base: String, request: SCIMRequest) -> String {
        var url = base + percentEncoded(request.path, keeping: pathCharacters)
        let query = encodedQuery(request.query)
        if !query.isEmpty { url += "?" + query }
        return url
    }

    /// `name=value&...`, each part percent-encoded so that only unreserved characters stay literal.
    public static func encodedQuery(_ items: [SCIMQueryItem]) -> String {
        items.map {
            percentEncoded($0.name, keeping: unreservedCharacters) + "="
                + percentEncoded($0.value, keeping: unreservedCharacters)
        }
        .joined(separator: "&")
    }

    /// RFC 3986 unreserved: `A-Z a-z 0-9 - . _ ~`.
    static let unreservedCharacters: Set<UInt8> = Set(
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))
    /// Unreserved, sub-delims, `:`, `@` and the segment separator `/`.
    static let pathCharacters: Set<UInt8> = unreservedCharacters.union("!$&'()*+,;=:@/".utf8)

    static func percentEncoded(_ text: String, keeping allowed: Set<UInt8>) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if allowed.contains(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Turns what AHC or NIO threw into a `SCIMTransportError` that says whether the request could have
    /// reached the server. The message names the method, the URL without its query, and the cause;
    /// it is scrubbed of the token as a last line of defence.
    func transportError(for error: Error, method: String, url: String) -> SCIMTransportError {
        let endpoint = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        let classified = Self.classify(error, timeout: settings.timeout, origin: settings.url.origin)
        let message = settings.redacting("\(method) \(endpoint): \(classified.message)")
        return SCIMTransportError(
            kind: classified.kind, requestMayHaveReachedServer: classified.mayHaveReachedServer, message: message)
    }

    /// Kind, "may have reached the server", and a clause saying what happened.
    static func classify(_ error: Error, timeout: Duration, origin: SCIMBaseURL.Origin) -> (
        kind: SCIMTransportError.Kind, mayHaveReachedServer: Bool, message: String
    ) {
        let seconds = "\(timeout.components.seconds) s"
        let place = "\(origin.host):\(origin.port)"
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return (.timeout, true, "no complete answer within \(seconds) (--timeout)")
            case .connectTimeout, .tlsHandshakeTimeout:
                return (.timeout, false, "could not connect to \(place) within \(seconds) (--timeout)")
            case .remoteConnectionClosed:
                return (.connectionClosed, true, "the server closed the connection without a complete answer")
            case .getConnectionFromPoolTimeout:
                return (.timeout, false, "no connection to \(place) became free within \(seconds)")
            default:
                return (.other, true, "HTTP client error: \(error.shortDescription)")
            }
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, let dnsError = error.dnsAError ?? error.dnsAAAAError {
                return classify(dnsError, timeout: timeout, origin: origin)
            }
            if let first = error.connectionErrors.first {
                return classify(first.error, timeout: timeout, origin: origin)
            }
            return (.other, false, "could not connect to \(place)")
        }
        if let error = error as? SocketAddressError.UnknownHost {
            return (.dns, false, "host \(error.host) not found (\(error.errorDescription))")
        }
        if error is SocketAddressError {
            return (.dns, false, "host \(origin.host) could not be resolved")
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED:
                return (.connectionRefused, false, "connection refused by \(place) (nothing listens there)")
            case ENETUNREACH, EHOSTUNREACH:
                return (.connectionRefused, false, "\(place) is unreachable from this network")
            case ECONNRESET, EPIPE:
                return (.connectionClosed, true, "the connection was reset by the server")
            case ETIMEDOUT:
                return (.timeout, true, "the connection timed out")
            default:
                return (.other, true, "network error: \(error)")
            }
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout:
                return (.timeout, false, "could not connect to \(place) within \(seconds) (--timeout)")
            case .ioOnClosedChannel, .alreadyClosed, .eof, .inputClosed, .outputClosed:
                return (.connectionClosed, true, "the server closed the connection without a complete answer")
            default:
                return (.other, true, "network error: \(error)")
            }
        }
        if let error = error as? NIOSSLError {
            if case .uncleanShutdown = error {
                return (.connectionClosed, true, "the server closed the TLS connection without a complete answer")
            }
            return (.tls, false, "TLS handshake with \(place) failed: \(tlsReason(error))")
        }
        if let error = error as? NIOSSLExtraError {
            return (.tls, false, "TLS handshake with \(place) failed: \(error)")
        }
        if error is NIOTooManyBytesError {
            return (.other, true, "the answer is larger than \(maximumResponseBytes / 1_048_576) MB")
        }
        if error is HTTPParserError {
            return (.other, true, "the server's answer is not valid HTTP: \(error)")
        }
        return (.other, true, "\(type(of: error)): \(error)")
    }

    /// BoringSSL's reason code (`CERTIFICATE_VERIFY_FAILED`) instead of the whole error stack with its
    /// source paths; the full text when no reason code is in it.
    static func tlsReason(_ error: NIOSSLError) -> String {
        let text = String(describing: error)
        guard let marker = text.range(of: "OPENSSL_internal:") else { return text }
        let reason = text[marker.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return reason.isEmpty ? text : String(reason)
    }
}
