import Foundation
import NIOSSL

extension SCIMConnectionSettings {
    /// The token from `--token-file` (when given) or the `--token-env` variable, trimmed.
    static func readToken(_ flags: Flags, environment: [String: String], warnings: inout [String]) throws -> (
        token: String, source: String
    ) {
        if let path = flags.tokenFile {
            let source = "the token file \(path)"
            guard !path.isEmpty else {
                throw TeprovError(.usage, "--token-file needs a path, e.g. --token-file ~/.config/teprov/token.")
            }
            guard FileManager.default.fileExists(atPath: path) else {
                throw TeprovError(
                    .usage,
                    "No token: the token file \(path) does not exist; create it (chmod 600) or set TE_TOKEN instead.")
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw TeprovError(.io, "The token file \(path) cannot be read; check its permissions.", file: path)
            }
            if let permissions = try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]
                as? NSNumber,
                permissions.intValue & 0o044 != 0
            {
                warnings.append(
                    "the token file \(path) is readable by group or others (mode \(String(permissions.intValue & 0o777, radix: 8))); run chmod 600 \(path)."
                )
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw TeprovError(.usage, "No token: \(source) is not UTF-8 text; it should hold only the token.")
            }
            return (try checkedToken(text, source: source), source)
        }
        let name = flags.tokenEnvironmentVariable
        guard !name.isEmpty else {
            throw TeprovError(
                .usage, "--token-env needs the name of an environment variable, e.g. --token-env TE_TOKEN.")
        }
        let source = "the environment variable \(name)"
        guard let value = environment[name] else {
            throw TeprovError(
                .usage,
                "No token: the environment variable \(name) is not set; export \(name) with the ThousandEyes API token (or use --token-file PATH)."
            )
        }
        return (try checkedToken(value, source: source), source)
    }

    /// `raw` without surrounding whitespace and line breaks; refused when empty or when it still holds
    /// a control character (a second line would become a second header).
    static func checkedToken(_ raw: String, source: String) throws -> String {
        let token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw TeprovError(.usage, "No token: \(source) is empty; it must hold the ThousandEyes API token.")
        }
        guard !token.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw TeprovError(
                .usage, "The token in \(source) contains a line break or control character; it must be the token alone."
            )
        }
        return token
    }

    /// Bearer, or Basic with `--basic-user` (an e-mail address; RFC 7617 forbids `:` in the user).
    static func authenticationScheme(basicUser: String?) throws -> AuthenticationScheme {
        guard let raw = basicUser else { return .bearer }
        let user = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !user.isEmpty else {
            throw TeprovError(
                .usage, "--basic-user needs the ThousandEyes user's e-mail, e.g. --basic-user admin@contoso.com.")
        }
        guard !user.contains(":"), !user.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw TeprovError(
                .usage, "--basic-user must not contain ':' or control characters; give the user's e-mail.")
        }
        return .basic(user: user)
    }

    /// System roots, system roots plus `--ca-file`, or nothing with `--insecure`.
    static func tlsTrust(_ flags: Flags, scheme: String, warnings: inout [String]) throws -> TLSTrust {
        if flags.insecure {
            guard flags.caFile == nil else {
                throw TeprovError(
                    .usage,
                    "--ca-file and --insecure contradict each other; keep --ca-file so the certificate is verified.")
            }
            if scheme == "https" {
                warnings.append(
                    "TLS certificate verification is disabled (--insecure); anyone on the path can read the token.")
            }
            return .verificationDisabled
        }
        guard let path = flags.caFile else { return .system }
        guard FileManager.default.fileExists(atPath: path) else {
            throw TeprovError(.usage, "--ca-file \(path) does not exist; give a PEM file with the CA certificate.")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TeprovError(.io, "The CA file \(path) cannot be read; check its permissions.", file: path)
        }
        let pem = [UInt8](data)
        let certificates = (try? NIOSSLCertificate.fromPEMBytes(pem)) ?? []
        guard !certificates.isEmpty else {
            throw TeprovError(
                .input,
                "The CA file \(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----); give the CA in PEM form.",
                file: path)
        }
        if scheme == "http" {
            warnings.append("--ca-file has no effect on an http:// URL.")
        }
        return .systemAndFile(path: path, pem: pem)
    }
}
