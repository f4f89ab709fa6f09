import Foundation

/// What an error response says, whichever of the shapes a SCIM server or ThousandEyes uses:
///
/// - RFC 7644 §3.12 SCIM Error: `{"schemas": [...Error], "status": "409", "scimType": "uniqueness", "detail": "..."}`
///   (`status` is a string per the RFC, a number on some servers);
/// - RFC 7807 problem+json (ThousandEyes v7): `{"title", "status": 400, "detail", "errors": [{code, field, message}]}`;
/// - ThousandEyes' generic form: `{"timestamp", "httpStatus": "PRECONDITION_FAILED", "errors": ["..."], "path"}`;
/// - OAuth-style: `{"error": "invalid_token", "error_description": "..."}`.
///
/// Anything else (HTML, plain text, invalid JSON) yields the first 200 characters of the body as `detail`.
public struct SCIMErrorDetail: Sendable, Hashable {
    /// The status the body states (number or numeric string); `nil` when it names none.
    public var httpStatus: Int?
    /// The SCIM `scimType` (e.g. `uniqueness`, `invalidFilter`), or `nil`.
    public var scimType: String?
    /// One line for people, or `nil` for an empty body.
    public var detail: String?

    public static let maximumUnstructuredDetailLength = 200

    public init(httpStatus: Int? = nil, scimType: String? = nil, detail: String? = nil) {
        self.httpStatus = httpStatus
        self.scimType = scimType
        self.detail = detail
    }

    /// Parses `body`; never throws, whatever the bytes are.
    public static func parse(_ body: [UInt8]) -> SCIMErrorDetail {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return SCIMErrorDetail() }
        guard text.hasPrefix("{"),
            let value = try? JSONTokenizer(bytes: body, sourceName: "error response").readValue(),
            case .object = value
        else {
            return SCIMErrorDetail(detail: unstructured(text))
        }
        let parsed = fromObject(value)
        if parsed.detail == nil && parsed.scimType == nil && parsed.httpStatus == nil {
            return SCIMErrorDetail(detail: unstructured(text))
        }
        return parsed
    }

    /// Parses the body of `response`.
    public static func parse(_ response: SCIMResponse) -> SCIMErrorDetail {
        parse(response.body)
    }

    private static func fromObject(_ object: JSONValue) -> SCIMErrorDetail {
        let status = statusNumber(object["status"]) ?? statusNumber(object["httpStatus"])
        let scimType = nonEmptyString(object["scimType"])
        var parts: [String] = []
        // problem+json's title says what failed, its detail says more; SCIM has only detail.
        if let title = nonEmptyString(object["title"]) { parts.append(title) }
        if let detail = nonEmptyString(object["detail"]), !parts.contains(detail) { parts.append(detail) }
        if let oauthError = nonEmptyString(object["error"]) {
            parts.append(nonEmptyString(object["error_description"]).map { "\(oauthError): \($0)" } ?? oauthError)
        }
        if let message = nonEmptyString(object["message"]), !parts.contains(message) { parts.append(message) }
        if case .array(let errors)? = object["errors"] {
            parts.append(contentsOf: errors.compactMap(errorText))
        }
        // ThousandEyes' generic form names the status ("PRECONDITION_FAILED") instead of a number.
        if parts.isEmpty, case .string(let name)? = object["httpStatus"], statusNumber(.string(name)) == nil {
            parts.append(name)
        }
        let detail = parts.isEmpty ? nil : oneLine(parts.joined(separator: "; "))
        return SCIMErrorDetail(httpStatus: status, scimType: scimType, detail: detail)
    }

    /// An entry of `errors`: a string, or an object with `message` (plus `field` and `code` when present).
    private static func errorText(_ entry: JSONValue) -> String? {
        switch entry {
        case .string(let text):
            return text.isEmpty ? nil : text
        case .object:
            let message = nonEmptyString(entry["message"]) ?? nonEmptyString(entry["detail"])
            let field = nonEmptyString(entry["field"])
            let code = nonEmptyString(entry["code"])
            var text = message ?? code ?? ""
            if let field { text = text.isEmpty ? field : "\(field): \(text)" }
            if let code, message != nil { text += " (\(code))" }
            return text.isEmpty ? nil : text
        default:
            return nil
        }
    }

    private static func statusNumber(_ value: JSONValue?) -> Int? {
        switch value {
        case .int(let number)?: return (100...599).contains(number) ? Int(number) : nil
        case .double(let number)?: return number.rounded() == number && (100...599).contains(number) ? Int(number) : nil
        case .string(let text)?:
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)), (100...599).contains(number) else {
                return nil
            }
            return number
        default: return nil
        }
    }

    private static func nonEmptyString(_ value: JSONValue?) -> String? {
        guard case .string(let text)? = value else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func unstructured(_ text: String) -> String {
        let line = oneLine(text)
        return String(line.prefix(maximumUnstructuredDetailLength))
    }

    /// Line breaks and runs of whitespace folded to single spaces, so a detail fits one log line.
    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
    }
}
