import Foundation
import TeprovCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small synchronous HTTP/1.1 client over a loopback TCP socket, for talking to the test servers.
///
/// Raw sockets instead of URLSession so that a dropped connection is reported as such (libcurl
/// silently resends a request whose reused connection died) and a hang surfaces as a timeout.
enum TestHTTP {
    /// Sends one request on a new connection (`Connection: close`) and reads the whole answer.
    /// - Parameters:
    ///   - url: an absolute `http://127.0.0.1:PORT/...` URL, query included.
    ///   - body: sent as `application/scim+json` unless `headers` names another `Content-Type`.
    static func send(
        _ method: String, _ url: String, headers: [(String, String)] = [], body: String? = nil,
        timeout: TimeInterval = 60
    ) throws -> TestHTTPResponse {
        let connection = try TestHTTPConnection(url: url, timeout: timeout)
        defer { connection.close() }
        return try connection.send(
            method, TestHTTPConnection.target(of: url), headers: headers + [("Connection", "close")], body: body)
    }
}

/// What a test server answered.
struct TestHTTPResponse: Sendable {
    var status: Int
    /// Header fields in the order received.
    var headers: [TestHTTPHeader]
    var body: [UInt8]

    /// The first value of header `name`, compared without case.
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON.
    func json() throws -> JSONValue {
        try JSONTokenizer(bytes: body, sourceName: "HTTP \(status) body").readValue()
    }
}

/// One response header field.
struct TestHTTPHeader: Sendable {
    var name: String
    var value: String
}

/// A request that got no complete HTTP answer.
struct TestHTTPError: Error, CustomStringConvertible {
    enum Kind: Sendable {
        /// The server closed the connection before sending a single byte of an answer.
        case closedWithoutResponse
        /// No (complete) answer within the timeout.
        case timeout
        /// Connecting, sending or an answer that is not HTTP.
        case other
    }

    var kind: Kind
    var message: String
    var description: String { message }
}

/// A keep-alive HTTP/1.1 connection to a loopback server (one request at a time).
final class TestHTTPConnection {
    private let descriptor: Int32
    private let hostHeader: String
    private var buffered: [UInt8] = []
    private var closed = false

    /// Connects to the host and port of `url`, which must be an `http://` loopback URL.
    init(url: String, timeout: TimeInterval = 60) throws {
        guard let (host, port, _) = TestHTTPConnection.split(url) else {
            throw TestHTTPError(kind: .other, message: "not an http://host:port URL: \(url)")
        }
        hostHeader = "\(host):\(port)"
        let address = host == "localhost" ? "127.0.0.1" : host
        descriptor = try TestHTTPConnection.connect(address: address, port: port, timeout: timeout)
    }

    deinit { close() }

    /// The request target (path and query) of an absolute URL, with spaces and quotes
    /// percent-encoded (so `?filter=userName eq "x"` may be written as is).
    static func target(of url: String) -> String {
        let target = split(url)?.target ?? "/"
        return target.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "\"", with: "%22")
    }

    /// Host, port and request target of `http://host:port/target`.
    private static func split(_ url: String) -> (host: String, port: Int, target: String)? {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...])
        else { return nil }
        var target = String(rest[authorityEnd...])
        if !target.hasPrefix("/") { target = "/" + target }
        return (String(authority[..<colon]), port, target)
    }

    /// Sends a request (`target` is path and query, already percent-encoded) and reads its answer.
    func send(_ method: String, _ target: String, headers: [(String, String)] = [], body: String? = nil) throws
        -> TestHTTPResponse
    {
        guard !closed else { throw TestHTTPError(kind: .other, message: "the connection is closed") }
        let bodyBytes = Array((body ?? "").utf8)
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(hostHeader)\r\n"
        let names = Set(headers.map { $0.0.lowercased() })
        if body != nil, !names.contains("content-type") { head += "Content-Type: application/scim+json\r\n" }
        if body != nil || ["POST", "PUT", "PATCH"].contains(method) {
            head += "Content-Length: \(bodyBytes.count)\r\n"
        }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try write(Array(head.utf8) + bodyBytes)
        let response = try readResponse(method: method)
        if response.header("Connection")?.lowercased() == "close" { close() }
        return response
    }

    func close() {
        guard !closed else { return }
        closed = true
        _ = TestHTTPConnection.closeDescriptor(descriptor)
    }

    // MARK: - Reading

    private func readResponse(method: String) throws -> TestHTTPResponse {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int? = buffered.firstRange(of: separator)?.lowerBound
        while headerEnd == nil {
            guard try fill() else {
                let kind: TestHTTPError.Kind = buffered.isEmpty ? .closedWithoutResponse : .other
                throw TestHTTPError(kind: kind, message: "the server closed the connection without a complete answer")
            }
            headerEnd = buffered.firstRange(of: separator)?.lowerBound
        }
        guard let end = headerEnd else { throw TestHTTPError(kind: .other, message: "no header end") }
        let headText = String(decoding: buffered[..<end], as: UTF8.self)
        buffered.removeFirst(end + separator.count)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/"), let status = Int(statusLine[1]) else {
            throw TestHTTPError(kind: .other, message: "not an HTTP status line: \(headText.prefix(80))")
        }
        let headers = lines.compactMap { line -> TestHTTPHeader? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return TestHTTPHeader(
                name: String(line[..<colon]),
                value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        var response = TestHTTPResponse(status: status, headers: headers, body: [])
        if method == "HEAD" || status == 204 || status == 304 || (100..<200).contains(status) { return response }
        if let lengthText = response.header("Content-Length"), let length = Int(lengthText) {
            while buffered.count < length {
                guard try fill() else {
                    throw TestHTTPError(
                        kind: .other, message: "the answer ended after \(buffered.count) of \(length) bytes")
                }
            }
            response.body = Array(buffered[..<length])
            buffered.removeFirst(length)
        } else {
            while try fill() {}
            response.body = buffered
            buffered = []
            close()
        }
        return response
    }

    /// Reads more bytes into `buffered`; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffered.append(contentsOf: chunk[..<count])
            return true
        }
        if count == 0 { return false }
        if errno == EAGAIN || errno == EWOULDBLOCK {
            throw TestHTTPError(kind: .timeout, message: "no answer within the timeout")
        }
        if errno == ECONNRESET { return false }
        throw TestHTTPError(kind: .other, message: "recv failed: errno \(errno)")
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                TestHTTPConnection.systemSend(descriptor, $0.baseAddress, $0.count, sendFlags)
            }
            guard sent > 0 else {
                throw TestHTTPError(kind: .other, message: "send failed: errno \(errno)")
            }
            offset += sent
        }
    }

    // MARK: - Sockets

    #if os(Linux)
        private let sendFlags = Int32(MSG_NOSIGNAL)
        private static let streamType = Int32(SOCK_STREAM.rawValue)
    #else
        private let sendFlags: Int32 = 0
        private static let streamType = SOCK_STREAM
    #endif

    private static func connect(address: String, port: Int, timeout: TimeInterval) throws -> Int32 {
        let descriptor = socket(AF_INET, streamType, 0)
        guard descriptor >= 0 else { throw TestHTTPError(kind: .other, message: "socket failed: errno \(errno)") }
        var seconds = timeval(
            tv_sec: Int(timeout), tv_usec: .init(Int((timeout - timeout.rounded(.down)) * 1_000_000)))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        #if !os(Linux)
            var one: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else {
            _ = closeDescriptor(descriptor)
            throw TestHTTPError(kind: .other, message: "not an IPv4 address: \(address)")
        }
        let result = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                systemConnect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            _ = closeDescriptor(descriptor)
            throw TestHTTPError(kind: .other, message: "cannot connect to \(address):\(port) (errno \(code))")
        }
        return descriptor
    }

    private static func systemConnect(_ descriptor: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t)
        -> Int32
    {
        #if canImport(Glibc)
            return Glibc.connect(descriptor, address, length)
        #elseif canImport(Musl)
            return Musl.connect(descriptor, address, length)
        #else
            return Darwin.connect(descriptor, address, length)
        #endif
    }

    private static func systemSend(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int, _ flags: Int32)
        -> Int
    {
        #if canImport(Glibc)
            return Glibc.send(descriptor, bytes, count, flags)
        #elseif canImport(Musl)
            return Musl.send(descriptor, bytes, count, flags)
        #else
            return Darwin.send(descriptor, bytes, count, flags)
        #endif
    }

    private static func closeDescriptor(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
            return Glibc.close(descriptor)
        #elseif canImport(Musl)
            return Musl.close(descriptor)
        #else
            return Darwin.close(descriptor)
        #endif
    }
}
