import Foundation
import Testing

@testable import TeprovCore

@Suite struct SCIMConnectionSettingsTests {
    static let token = "tok-3f9c2a7e-SECRET"
    static let environment = ["TE_TOKEN": token]

    private func resolve(_ flags: SCIMConnectionSettings.Flags, environment: [String: String] = environment) throws
        -> SCIMConnectionSettings
    {
        try SCIMConnectionSettings.resolve(flags, environment: environment)
    }

    private func usageError(_ flags: SCIMConnectionSettings.Flags, environment: [String: String] = environment)
        -> TeprovError?
    {
        do {
            _ = try resolve(flags, environment: environment)
            return nil
        } catch let error as TeprovError {
            return error
        } catch {
            return nil
        }
    }

    // MARK: - Base URL

    @Test(arguments: [
        ("https://user:pa55@api.thousandeyes.com/scim/v2", "credentials"),
        ("https://user@api.thousandeyes.com/scim/v2", "credentials"),
        ("http://user:pa55@127.0.0.1:8080/v2", "credentials"),
        ("http://api.thousandeyes.com/scim/v2", "unencrypted"),
        ("http://10.0.0.5/scim/v2", "unencrypted"),
        ("http://128.0.0.1/scim/v2", "unencrypted"),
        ("http://localhost.evil.com/scim/v2", "unencrypted"),
        ("ftp://api.thousandeyes.com/scim/v2", "https://"),
        ("api.thousandeyes.com/scim/v2", "https://"),
        ("", "empty"),
        ("https://api.thousandeyes.com/scim/v2?x=1", "?query"),
        ("https://api.thousandeyes.com/scim/v2#top", "#fragment"),
        ("https:///scim/v2", "not a valid URL"),
    ])
    func refusedURLs(url: String, expectedWords: String) throws {
        let error = try #require(usageError(.init(url: url)))
        #expect(error.code == .usage)
        #expect(error.exitCode == 64)
        #expect(error.message.contains(expectedWords), "\(error.message)")
        #expect(!error.message.contains("pa55"))
    }

    @Test(arguments: [
        ("https://api.thousandeyes.com/scim/v2/", "https://api.thousandeyes.com/scim/v2", "api.thousandeyes.com", 443),
        ("HTTPS://api.thousandeyes.com/scim/v2//", "https://api.thousandeyes.com/scim/v2", "api.thousandeyes.com", 443),
        ("http://127.0.0.1:8080/v2", "http://127.0.0.1:8080/v2", "127.0.0.1", 8080),
        ("http://127.45.3.9/v2/", "http://127.45.3.9/v2", "127.45.3.9", 80),
        ("http://localhost:9/v2", "http://localhost:9/v2", "localhost", 9),
        ("http://[::1]:8443/scim/v2", "http://[::1]:8443/scim/v2", "::1", 8443),
        ("  https://example.com:8443  ", "https://example.com:8443", "example.com", 8443),
    ])
    func acceptedURLs(url: String, expected: String, host: String, port: Int) throws {
        let settings = try resolve(.init(url: url))
        #expect(settings.baseURL == expected)
        #expect(settings.url.host == host)
        #expect(settings.url.port == port)
    }

    @Test(arguments: [
        ("localhost", true), ("127.0.0.1", true), ("127.255.255.254", true), ("::1", true),
        ("0:0:0:0:0:0:0:1", true), ("::ffff:127.0.0.1", true), ("128.0.0.1", false), ("10.0.0.1", false),
        ("::2", false), ("example.com", false), ("127.0.0.1.example.com", false),
    ])
    func loopbackDetection(host: String, loopback: Bool) {
        #expect(SCIMBaseURL.isLoopback(host: host) == loopback)
    }

    // MARK: - Credentials

    @Test func bearerTokenFromTheDefaultVariable() throws {
        let settings = try resolve(.init(url: "https://api.thousandeyes.com/scim/v2"))
        #expect(settings.authorizationHeaderValue == "Bearer \(Self.token)")
        #expect(settings.credentialSource == "the environment variable TE_TOKEN")
        #expect(settings.warnings.isEmpty)
    }

    @Test func tokenFromANamedVariableIsTrimmed() throws {
        let settings = try resolve(
            .init(url: "https://x.example/scim/v2", tokenEnvironmentVariable: "MY_TOKEN"),
            environment: ["MY_TOKEN": "  abc123\n"])
        #expect(settings.authorizationHeaderValue == "Bearer abc123")
    }

    @Test func missingVariableIsAUsageErrorNamingIt() throws {
        let error = try #require(
            usageError(
                .init(url: "https://x.example/scim/v2", tokenEnvironmentVariable: "ACME_TOKEN"), environment: [:]))
        #expect(error.code == .usage)
        #expect(error.message.contains("ACME_TOKEN"))
        #expect(error.message.contains("not set"))
    }

    @Test func emptyVariableIsAUsageError() throws {
        let error = try #require(usageError(.init(url: "https://x.example/scim/v2"), environment: ["TE_TOKEN": " \n"]))
        #expect(error.code == .usage)
        #expect(error.message.contains("TE_TOKEN is empty"))
    }

    @Test func tokenWithAnInnerLineBreakIsRefused() throws {
        let error = try #require(
            usageError(.init(url: "https://x.example/scim/v2"), environment: ["TE_TOKEN": "abc\r\nX-Evil: 1"]))
        #expect(error.code == .usage)
        #expect(error.message.contains("line break"))
        #expect(!error.message.contains("X-Evil"))
    }

    @Test func tokenFileIsTrimmedAndPreferredOverTheVariable() throws {
        let file = try temporaryFile(contents: "\(Self.token)-file\n", mode: 0o600)
        let settings = try resolve(.init(url: "https://x.example/scim/v2", tokenFile: file))
        #expect(settings.authorizationHeaderValue == "Bearer \(Self.token)-file")
        #expect(settings.credentialSource == "the token file \(file)")
        #expect(settings.warnings.isEmpty)
    }

    @Test(arguments: [0o644, 0o640, 0o604])
    func tokenFileReadableByOthersWarns(mode: Int) throws {
        let file = try temporaryFile(contents: "abc\n", mode: mode)
        let settings = try resolve(.init(url: "https://x.example/scim/v2", tokenFile: file))
        #expect(settings.warnings.count == 1)
        #expect(settings.warnings.first?.contains("readable by group or others") == true)
        #expect(settings.warnings.first?.contains("chmod 600") == true)
    }

    @Test func missingTokenFileIsAUsageErrorNamingIt() throws {
        let path = "/nonexistent/teprov-token-\(UUID().uuidString)"
        let error = try #require(usageError(.init(url: "https://x.example/scim/v2", tokenFile: path)))
        #expect(error.code == .usage)
        #expect(error.message.contains(path))
    }

    @Test func emptyTokenFileIsAUsageError() throws {
        let file = try temporaryFile(contents: "\n\n", mode: 0o600)
        let error = try #require(usageError(.init(url: "https://x.example/scim/v2", tokenFile: file)))
        #expect(error.code == .usage)
        #expect(error.message.contains("empty"))
    }

    @Test func basicAuthenticationUsesTheTokenAsPassword() throws {
        let settings = try resolve(.init(url: "https://x.example/scim/v2", basicUser: "admin@contoso.com"))
        let encoded = Data("admin@contoso.com:\(Self.token)".utf8).base64EncodedString()
        #expect(settings.authorizationHeaderValue == "Basic \(encoded)")
        #expect(settings.authentication == .basic(user: "admin@contoso.com"))
    }

    @Test(arguments: ["", "  ", "adm:in@contoso.com"])
    func badBasicUserIsAUsageError(user: String) throws {
        let error = try #require(usageError(.init(url: "https://x.example/scim/v2", basicUser: user)))
        #expect(error.code == .usage)
        #expect(error.message.contains("--basic-user"))
    }

    // MARK: - TLS and timeout

    @Test func verificationIsOnByDefault() throws {
        #expect(try resolve(.init(url: "https://x.example/scim/v2")).tlsTrust == .system)
    }

    @Test func insecureDisablesVerificationAndWarns() throws {
        let settings = try resolve(.init(url: "https://x.example/scim/v2", insecure: true))
        #expect(settings.tlsTrust == .verificationDisabled)
        #expect(settings.warnings.contains { $0.contains("--insecure") })
    }

    @Test func caFileAddsItsCertificates() throws {
        let path = try caFixturePath()
        let settings = try resolve(.init(url: "https://x.example/scim/v2", caFile: path))
        guard case .systemAndFile(let recorded, let pem) = settings.tlsTrust else {
            Issue.record("expected system roots plus the CA file, got \(settings.tlsTrust)")
            return
        }
        #expect(recorded == path)
        #expect(String(decoding: pem, as: UTF8.self).contains("BEGIN CERTIFICATE"))
    }

    @Test func caFileThatDoesNotExistIsAUsageError() throws {
        let error = try #require(usageError(.init(url: "https://x.example/scim/v2", caFile: "/nonexistent/ca.pem")))
        #expect(error.code == .usage)
        #expect(error.message.contains("/nonexistent/ca.pem"))
    }

    @Test func caFileWithoutACertificateIsAnInputError() throws {
        let file = try temporaryFile(contents: "not a certificate\n", mode: 0o644)
        let error = try #require(usageError(.init(url: "https://x.example/scim/v2", caFile: file)))
        #expect(error.code == .input)
        #expect(error.message.contains("no PEM certificate"))
    }

    @Test func caFileAndInsecureContradict() throws {
        let error = try #require(
            usageError(.init(url: "https://x.example/scim/v2", caFile: try caFixturePath(), insecure: true)))
        #expect(error.code == .usage)
        #expect(error.message.contains("--insecure"))
    }

    @Test(arguments: [0, -1, Double.nan, Double.infinity, 7200])
    func badTimeoutIsAUsageError(seconds: Double) throws {
        let error = try #require(usageError(.init(url: "https://x.example/scim/v2", timeoutSeconds: seconds)))
        #expect(error.code == .usage)
        #expect(error.message.contains("--timeout"))
    }

    @Test func timeoutDefaultsToThirtySeconds() throws {
        #expect(try resolve(.init(url: "https://x.example/scim/v2")).timeout == .seconds(30))
        #expect(
            try resolve(.init(url: "https://x.example/scim/v2", timeoutSeconds: 1.5)).timeout == .milliseconds(1500))
    }

    // MARK: - The token never shows

    @Test func descriptionsAndDumpsNeverHoldTheToken() throws {
        for flags in [
            SCIMConnectionSettings.Flags(url: "https://x.example/scim/v2"),
            SCIMConnectionSettings.Flags(url: "https://x.example/scim/v2", basicUser: "admin@contoso.com"),
        ] {
            let settings = try resolve(flags)
            var dumped = ""
            dump(settings, to: &dumped)
            let basic = Data("admin@contoso.com:\(Self.token)".utf8).base64EncodedString()
            for text in [
                settings.description, settings.debugDescription, String(reflecting: settings), dumped, "\(settings)",
            ] {
                #expect(!text.contains(Self.token), "\(text)")
                #expect(!text.contains(basic))
            }
            #expect(settings.description.contains("https://x.example/scim/v2"))
        }
    }

    @Test func redactingRemovesTheTokenAndTheHeader() throws {
        let settings = try resolve(.init(url: "https://x.example/scim/v2"))
        let text = settings.redacting("sent Authorization: Bearer \(Self.token) and \(Self.token)")
        #expect(text == "sent Authorization: [redacted] and [redacted]")
    }

    // MARK: - Helpers

    private func temporaryFile(contents: String, mode: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("teprov-\(UUID().uuidString)").path
        try contents.write(toFile: path, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    private func caFixturePath() throws -> String {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return fixtures.appendingPathComponent("connection/test-ca.pem").path
    }
}
