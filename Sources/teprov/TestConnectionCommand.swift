import ArgumentParser
import TeprovCore

/// `teprov test-connection --url URL`: checks the URL, the credentials and the rate-limit headers the
/// way Entra's "Test Connection" does (SPEC §9). Exit 0 when it passes, 3 when it fails.
struct TestConnectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-connection",
        abstract: "Check the SCIM URL, the token and the rate-limit headers with one harmless query.",
        discussion: """
            Sends GET /Users?filter=userName eq "<random UUID>" and expects 200 with an empty ListResponse. \
            Prints the status, the latency and any X-Organization-Rate-Limit-* headers, and one line saying \
            what is wrong when it fails (401 token, 403 permissions, 404 base URL, TLS, DNS, timeout). \
            Exit 0 when it passes, 3 when it fails, 64 for bad flags.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let settings: SCIMConnectionSettings
        let target: HTTPSCIMTarget
        do {
            settings = try connection.resolvedSettings()
            target = try HTTPSCIMTarget(settings: settings, concurrency: 1)
        } catch let error as TeprovError {
            throw error.exit()
        }
        for warning in settings.warnings where !global.quiet {
            StandardError.write("teprov: warning: \(warning)")
        }
        let result: ConnectionTest.Result
        do {
            result = try await ConnectionTest(target: target, credentialSource: settings.credentialSource).run()
        } catch {
            try? await target.shutdown()
            throw error
        }
        try? await target.shutdown()
        if !global.quiet {
            StandardOutput.write(Self.render(result))
        }
        if !result.passed {
            StandardError.write("teprov: \(settings.redacting(result.diagnosis))")
            throw ExitCode(3)
        }
    }

    /// The lines printed on stdout.
    static func render(_ result: ConnectionTest.Result) -> String {
        var lines = [
            "URL:        \(result.url)",
            "Request:    \(result.request)",
            "Status:     \(result.status.map(String.init) ?? "no answer")",
            "Latency:    \(milliseconds(result.latency)) ms",
        ]
        if result.rateLimitHeaders.isEmpty {
            lines.append("Rate limit: no X-Organization-Rate-Limit-* headers")
        } else {
            let values = result.rateLimitHeaders.map { header in
                let short = header.name.replacingOccurrences(of: "X-Organization-Rate-Limit-", with: "").lowercased()
                return "\(short) \(header.value)"
            }
            lines.append("Rate limit: \(values.joined(separator: ", "))")
        }
        // A failure's diagnosis goes to stderr (SPEC §1: errors are one sentence on stderr), not here too.
        lines.append(result.passed ? "Result:     passed — \(result.diagnosis)" : "Result:     FAILED (exit 3)")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
