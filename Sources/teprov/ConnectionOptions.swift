import ArgumentParser
import TeprovCore

/// How to reach and authenticate to the SCIM endpoint (SPEC §1): shared by `apply`, `snapshot` and
/// `test-connection` through `@OptionGroup`. Secrets never come from argv, only from the environment
/// variable or the file named here.
struct ConnectionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "SCIM base URL, e.g. https://api.thousandeyes.com/scim/v2 (requests go to URL/Users); https:// is "
                + "required except to loopback (127.0.0.1, ::1, localhost), and user:password@ is refused.",
            valueName: "url"))
    var url: String?

    @Option(
        help: ArgumentHelp(
            "Environment variable holding the API token (bearer token, or the password with --basic-user).",
            valueName: "name"))
    var tokenEnv: String = SCIMConnectionSettings.defaultTokenEnvironmentVariable

    @Option(
        help: ArgumentHelp(
            "File holding the token (whitespace trimmed); used instead of --token-env. Keep it chmod 600.",
            valueName: "path"))
    var tokenFile: String?

    @Option(
        help: ArgumentHelp(
            "Use HTTP Basic authentication as this user (an e-mail), with the token as the password.",
            valueName: "email"))
    var basicUser: String?

    @Option(
        help: ArgumentHelp(
            "PEM file of a CA to trust in addition to the system's (for a private CA or a TLS-inspecting proxy).",
            valueName: "pem"))
    var caFile: String?

    @Flag(
        help: "Do not verify the server's TLS certificate (only when you must; the token is then exposed to the path).")
    var insecure = false

    @Option(
        help: ArgumentHelp(
            "Seconds each request may take in all: connect, send and the whole answer.",
            valueName: "seconds"))
    var timeout: Double = SCIMConnectionSettings.defaultTimeoutSeconds

    /// The validated settings; `--url` must be given.
    /// - Throws: `TeprovError(.usage)` (exit 64) for a missing or refused URL, a missing token or bad flags.
    func resolvedSettings() throws -> SCIMConnectionSettings {
        guard let url else {
            throw TeprovError(
                .usage, "--url is required: give the SCIM base URL, e.g. --url https://api.thousandeyes.com/scim/v2.")
        }
        return try SCIMConnectionSettings.resolve(
            SCIMConnectionSettings.Flags(
                url: url, tokenEnvironmentVariable: tokenEnv, tokenFile: tokenFile, basicUser: basicUser,
                caFile: caFile,
                insecure: insecure, timeoutSeconds: timeout))
    }
}
