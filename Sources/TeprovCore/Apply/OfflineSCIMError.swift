/// A SCIM error answer of the offline target (RFC 7644 §3.12), worded as scim2-server words it:
/// `scimType` for 400 and 409, none for 404, 405 and 412.
struct OfflineSCIMError: Error, Sendable, Equatable {
    static let errorSchema = "urn:ietf:params:scim:api:messages:2.0:Error"

    var status: Int
    var scimType: String?
    var detail: String
    var headers: [SCIMHeader] = []

    static func invalidValue(_ detail: String) -> OfflineSCIMError {
        OfflineSCIMError(status: 400, scimType: "invalidValue", detail: detail)
    }

    static func invalidSyntax(_ detail: String) -> OfflineSCIMError {
        OfflineSCIMError(status: 400, scimType: "invalidSyntax", detail: detail)
    }

    static func invalidPath(_ detail: String) -> OfflineSCIMError {
        OfflineSCIMError(status: 400, scimType: "invalidPath", detail: detail)
    }

    static func invalidFilter(_ detail: String) -> OfflineSCIMError {
        OfflineSCIMError(status: 400, scimType: "invalidFilter", detail: detail)
    }

    static func noTarget(_ detail: String) -> OfflineSCIMError {
        OfflineSCIMError(status: 400, scimType: "noTarget", detail: detail)
    }

    static func mutability(_ detail: String) -> OfflineSCIMError {
        OfflineSCIMError(status: 400, scimType: "mutability", detail: detail)
    }

    static let uniqueness = OfflineSCIMError(
        status: 409, scimType: "uniqueness",
        detail: "One or more of the attribute values are already in use or are reserved")

    static let preconditionFailed = OfflineSCIMError(
        status: 412, scimType: nil, detail: "Failed to update. Resource has changed on the server")

    static func userNotFound(_ id: String) -> OfflineSCIMError {
        OfflineSCIMError(status: 404, scimType: nil, detail: "User '\(id)' not found")
    }

    static func unknownRoute(_ path: String) -> OfflineSCIMError {
        OfflineSCIMError(status: 404, scimType: nil, detail: "No resource type found at '\(path)'")
    }

    static func methodNotAllowed(allow: String) -> OfflineSCIMError {
        OfflineSCIMError(
            status: 405, scimType: nil, detail: "Method not allowed", headers: [SCIMHeader(name: "Allow", value: allow)]
        )
    }

    /// The answer carrying this error.
    var response: SCIMResponse {
        var members: [(String, JSONValue)] = [
            ("schemas", .array([.string(Self.errorSchema)])), ("status", .string(String(status))),
        ]
        if let scimType { members.append(("scimType", .string(scimType))) }
        members.append(("detail", .string(detail)))
        var body: [UInt8] = []
        JSONValue.object(members).write(into: &body, style: .compact)
        return SCIMResponse(status: status, headers: [OfflineSCIMError.contentType] + headers, body: body)
    }

    static let contentType = SCIMHeader(name: "Content-Type", value: "application/scim+json")
}
