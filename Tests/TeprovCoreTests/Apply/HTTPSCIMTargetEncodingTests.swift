import AsyncHTTPClient
import NIOCore
import NIOSSL
import Testing

@testable import TeprovCore

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct HTTPSCIMTargetEncodingTests {
    static let base = "https://api.thousandeyes.com/scim/v2"

    @Test func filterQueryIsPercentEncoded() {
        let request = SCIMRequest.filterUsers(attribute: "userName", equals: "jane.o'neil+test@example.com")
        #expect(
            HTTPSCIMTarget.requestURL(base: Self.base, request: request)
                == "https://api.thousandeyes.com/scim/v2/Users?filter=userName%20eq%20%22jane.o%27neil%2Btest%40example.com%22"
        )
    }

    @Test func quotesAndBackslashesInsideTheFilterValueSurviveEscaping() {
        let request = SCIMRequest.filterUsers(attribute: "externalId", equals: #"a"b\c&d=e"#)
        #expect(
            HTTPSCIMTarget.encodedQuery(request.query) == "filter=externalId%20eq%20%22a%5C%22b%5C%5Cc%26d%3De%22")
    }

    @Test func severalQueryItemsKeepTheirOrder() {
        let items = [SCIMQueryItem(name: "startIndex", value: "1"), SCIMQueryItem(name: "count", value: "100")]
        #expect(HTTPSCIMTarget.encodedQuery(items) == "startIndex=1&count=100")
        #expect(HTTPSCIMTarget.encodedQuery([]) == "")
    }

    @Test func nonASCIIIsEncodedAsUTF8() {
        let items = [SCIMQueryItem(name: "filter", value: "userName eq \"zoë@例.com\"")]
        #expect(HTTPSCIMTarget.encodedQuery(items) == "filter=userName%20eq%20%22zo%C3%AB%40%E4%BE%8B.com%22")
    }

    @Test func pathKeepsSegmentsAndEncodesTheRest() {
        let request = SCIMRequest(method: "GET", path: "/Users/2819c223 7f76?#%")
        #expect(
            HTTPSCIMTarget.requestURL(base: Self.base, request: request)
                == "https://api.thousandeyes.com/scim/v2/Users/2819c223%207f76%3F%23%25")
        #expect(
            HTTPSCIMTarget.requestURL(base: Self.base, request: SCIMRequest(method: "GET", path: "/Users/a-b_c.d~e"))
                == "https://api.thousandeyes.com/scim/v2/Users/a-b_c.d~e")
    }

    // MARK: - Transport errors

    static let origin = SCIMBaseURL.Origin(scheme: "https", host: "api.thousandeyes.com", port: 443)

    private func classify(_ error: Error) -> (SCIMTransportError.Kind, Bool, String) {
        let result = HTTPSCIMTarget.classify(error, timeout: .seconds(7), origin: Self.origin)
        return (result.kind, result.mayHaveReachedServer, result.message)
    }

    @Test func deadlineIsATimeoutThatMayHaveReachedTheServer() {
        let (kind, reached, message) = classify(HTTPClientError.deadlineExceeded)
        #expect(kind == .timeout)
        #expect(reached)
        #expect(message.contains("7 s"))
    }

    @Test func connectTimeoutNeverReachedTheServer() {
        let (kind, reached, _) = classify(HTTPClientError.connectTimeout)
        #expect(kind == .timeout)
        #expect(!reached)
    }

    @Test func refusedConnectionNeverReachedTheServer() {
        let (kind, reached, message) = classify(IOError(errnoCode: ECONNREFUSED, reason: "connect"))
        #expect(kind == .connectionRefused)
        #expect(!reached)
        #expect(message.contains("api.thousandeyes.com:443"))
    }

    @Test func remoteCloseAndResetMayHaveReachedTheServer() {
        for error: Error in [
            HTTPClientError.remoteConnectionClosed, IOError(errnoCode: ECONNRESET, reason: "read"), ChannelError.eof,
        ] {
            let (kind, reached, _) = classify(error)
            #expect(kind == .connectionClosed)
            #expect(reached)
        }
    }

    @Test func tlsHandshakeFailureIsTLS() {
        let (kind, reached, message) = classify(NIOSSLError.handshakeFailed(.sslError([])))
        #expect(kind == .tls)
        #expect(!reached)
        #expect(message.contains("TLS handshake with api.thousandeyes.com:443 failed"))
    }

    @Test func unknownErrorsAreOtherAndMayHaveReachedTheServer() {
        struct Strange: Error {}
        let (kind, reached, _) = classify(Strange())
        #expect(kind == .other)
        #expect(reached)
    }
}
