import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A test server that could not be started or did not answer as expected.
struct TestServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Where the test servers' Python and scripts are, found from this file's path (never a fixed path).
enum TestServerEnvironment {
    /// The package root (this file lives in Tests/TeprovCLITests/Support/).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A Python helper script in Tests/Support/.
    static func script(_ name: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Support").appendingPathComponent(name)
    }

    /// The venv's `bin` directory: beside `TEPROV_SCIM2_SERVER` when bin/test set it, else `.venv/bin`.
    static var venvBin: URL {
        if let server = ProcessInfo.processInfo.environment["TEPROV_SCIM2_SERVER"], !server.isEmpty {
            return URL(fileURLWithPath: server).deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".venv/bin")
    }

    /// The venv's Python, which has scim2-server installed.
    /// - Parameter bin: the venv's `bin` directory (default `venvBin`).
    /// - Throws: `TestServerError` telling to run bin/test when the venv (or scim2-server in it) is missing.
    static func python(in bin: URL = venvBin, needingSCIM2Server: Bool) throws -> URL {
        let python = bin.appendingPathComponent("python")
        let scim2Server = bin.appendingPathComponent("scim2-server")
        let fileManager = FileManager.default
        guard fileManager.isExecutableFile(atPath: python.path),
            !needingSCIM2Server || fileManager.isExecutableFile(atPath: scim2Server.path)
        else {
            let venv = bin.deletingLastPathComponent().path
            throw TestServerError(
                message: "The end-to-end tests need scim2-server in the Python venv \(venv), which is missing: "
                    + "run bin/test (it creates .venv).")
        }
        return python
    }

    /// A loopback port that was free a moment ago (bound to port 0, then closed). Another process may
    /// take it before the server binds it, so starting retries on "port in use".
    static func freeLoopbackPort() throws -> Int {
        #if os(Linux)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw TestServerError(message: "socket() failed: errno \(errno)") }
        defer { _ = close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw TestServerError(message: "cannot bind a loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// One helper server process (a Python script from Tests/Support) listening on a loopback port.
///
/// Output goes to a log file (never to an unread pipe, which would block a chatty server); the
/// log's tail is quoted when the server fails to start. `stop()` sends SIGTERM and waits (SIGKILL
/// after 5 s); it also runs in `deinit`. The scripts exit by themselves when the test process dies.
final class TestServerProcess: @unchecked Sendable {
    /// Exit status of the scripts when the port is already taken.
    static let portInUseStatus: Int32 = 75

    let name: String
    let port: Int
    private let process: Process
    private let logURL: URL
    private let lock = NSLock()
    private var stopped = false

    private init(name: String, port: Int, process: Process, logURL: URL) {
        self.name = name
        self.port = port
        self.process = process
        self.logURL = logURL
    }

    deinit { stop() }

    /// Starts `python script --port P arguments...` on a free port and waits (up to `timeout`) until it
    /// printed `readyLine` and answers 200 at `readinessPath`.
    static func start(
        name: String, python: URL, script: URL, arguments: [String], readyLine: String, readinessPath: String,
        timeout: TimeInterval = 10
    ) throws -> TestServerProcess {
        var lastFailure = ""
        for _ in 0..<5 {
            let port = try TestServerEnvironment.freeLoopbackPort()
            let logURL = FileManager.default.temporaryDirectory
                .appendingPathComponent("teprov-\(name)-\(port)-\(UUID().uuidString).log")
            guard FileManager.default.createFile(atPath: logURL.path, contents: nil),
                let log = try? FileHandle(forWritingTo: logURL)
            else { throw TestServerError(message: "cannot create the log file \(logURL.path)") }
            let process = Process()
            process.executableURL = python
            let parent = String(ProcessInfo.processInfo.processIdentifier)
            process.arguments = ["-u", script.path, "--port", String(port), "--parent-pid", parent] + arguments
            process.standardOutput = log
            process.standardError = log
            process.standardInput = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                try? log.close()
                throw TestServerError(message: "cannot run \(python.path) \(script.lastPathComponent): \(error)")
            }
            try? log.close()
            let server = TestServerProcess(name: name, port: port, process: process, logURL: logURL)
            if try server.waitUntilReady(readyLine: readyLine, readinessPath: readinessPath, timeout: timeout) {
                return server
            }
            lastFailure = server.logTail()
            let status = process.terminationStatus
            server.stop()
            if status != portInUseStatus {
                throw TestServerError(message: "\(name) exited with status \(status) while starting: \(lastFailure)")
            }
        }
        throw TestServerError(message: "\(name) found no free port in 5 attempts: \(lastFailure)")
    }

    /// True once ready; false when the process exited (e.g. port in use); throws on timeout.
    private func waitUntilReady(readyLine: String, readinessPath: String, timeout: TimeInterval) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        // The ready line is printed only after the script bound the port, so a 200 is from our server
        // and not from another test's server that took the same port.
        while Date() < deadline {
            guard process.isRunning else { return false }
            if logText().contains(readyLine),
                let response = try? TestHTTP.send("GET", "http://127.0.0.1:\(port)\(readinessPath)", timeout: 2),
                response.status == 200
            {
                return true
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let tail = logTail()
        stop()
        throw TestServerError(message: "\(name) did not answer within \(Int(timeout)) s on port \(port): \(tail)")
    }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it; safe to call twice.
    func stop() {
        let alreadyStopped = lock.withLock {
            defer { stopped = true }
            return stopped
        }
        guard !alreadyStopped else { return }
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: logURL)
    }

    private func logText() -> String {
        (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
    }

    /// The last lines the server printed, for error messages.
    func logTail() -> String {
        let lines = logText().split(separator: "\n").suffix(15)
        return lines.isEmpty ? "(it printed nothing)" : lines.joined(separator: "\n")
    }
}
