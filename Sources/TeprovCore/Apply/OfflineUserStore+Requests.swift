import Foundation

/// The `/Users` endpoints of RFC 7644 §3 answered from the store, the way scim2-server answers them
/// (see the SCIM test server notes): 201 on create, 204 on PATCH and DELETE, 200 with the resource on
/// GET and PUT, 404 / 409 uniqueness / 412 / 400 errors with the SCIM Error body.
extension OfflineUserStore {
    static let listResponseSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse"

    /// Answers one request; never throws (errors are SCIM error answers).
    /// - Parameters:
    ///   - createdID: the id a `POST /Users` gives the new user (else `offline-<n>`).
    ///   - now: the time stamp for `meta.created` / `meta.lastModified`.
    mutating func respond(to request: SCIMRequest, createdID: String?, now: Date) -> SCIMResponse {
        do {
            return try route(request, createdID: createdID, now: UTCTimestamp.string(from: now))
        } catch {
            return error.response
        }
    }

    private mutating func route(_ request: SCIMRequest, createdID: String?, now: String) throws(OfflineSCIMError)
        -> SCIMResponse
    {
        let pathOnly = request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        let parts = pathOnly.split(separator: "/").map(String.init)
        guard parts.first == "Users", parts.count <= 2 else {
            throw OfflineSCIMError.unknownRoute(parts.first ?? pathOnly)
        }
        let method = request.method.uppercased()
        guard parts.count == 2 else {
            switch method {
            case "GET": return try list(request)
            case "POST": return try create(request, createdID: createdID, now: now)
            default: throw OfflineSCIMError.methodNotAllowed(allow: "GET, POST")
            }
        }
        let id = parts[1]
        switch method {
        case "GET": return try get(id: id, request)
        case "PUT": return try replace(id: id, request, now: now)
        case "PATCH": return try patch(id: id, request, now: now)
        case "DELETE": return try delete(id: id, request)
        default: throw OfflineSCIMError.methodNotAllowed(allow: "GET, PUT, PATCH, DELETE")
        }
    }

    // MARK: Endpoints

    private func get(id: String, _ request: SCIMRequest) throws(OfflineSCIMError) -> SCIMResponse {
        let slot = try liveSlot(id)
        let resource = try resource(at: slot)
        var body: [UInt8] = []
        if let projection = try SCIMAttributeProjection(query: request.query) {
            projection.apply(to: resource).write(into: &body, style: .compact)
        } else {
            appendJSON(at: slot, to: &body)
        }
        return Self.resourceResponse(status: 200, resource: resource, body: body)
    }

    private mutating func create(_ request: SCIMRequest, createdID: String?, now: String) throws(OfflineSCIMError)
        -> SCIMResponse
    {
        let body = try Self.parseBody(request)
        let members = try SCIMValueCoercion.resourceMembers(body)
        let resourceSoFar = JSONValue.object(members)
        if let userName = Self.text(of: "userName", in: resourceSoFar), !slots(userName: userName).isEmpty {
            throw OfflineSCIMError.uniqueness
        }
        let id = newID(requested: createdID)
        var meta: [(String, JSONValue)] = [("resourceType", .string("User")), ("created", .string(now))]
        meta.append(("lastModified", .string(now)))
        if let location = location(of: id) { meta.append(("location", .string(location))) }
        meta.append(("version", .string("W/\"1\"")))
        let resource = JSONValue.object(
            [("schemas", Self.schemas(body, fallback: nil, members: members)), ("id", .string(id))] + members
                + [("meta", .object(meta))])
        append(resource)
        return Self.resourceResponse(status: 201, resource: resource, body: Self.compact(resource))
    }

    /// `PUT`: the body replaces every attribute (those left out are removed); `id` and `meta.created` stay.
    private mutating func replace(id: String, _ request: SCIMRequest, now: String) throws(OfflineSCIMError)
        -> SCIMResponse
    {
        let slot = try liveSlot(id)
        let old = try resource(at: slot)
        try Self.checkIfMatch(request.ifMatch, old)
        let body = try Self.parseBody(request)
        let members = try SCIMValueCoercion.resourceMembers(body)
        let storedID = SCIMMembers.string("id", in: old) ?? id
        var updated = JSONValue.object(
            [("schemas", Self.schemas(body, fallback: SCIMMembers.value("schemas", in: old), members: members))]
                + [("id", .string(storedID))] + members)
        try checkUniqueUserName(of: updated, excluding: slot)
        updated = Self.withMeta(updated, after: old, now: now)
        if updated != old { replace(at: slot, old: old, with: updated) }
        return Self.resourceResponse(status: 200, resource: updated, body: Self.compact(updated))
    }

    /// `PATCH`: 204 with the new `ETag`, or 200 with the resource when `attributes` or
    /// `excludedAttributes` is asked for (as scim2-server does).
    private mutating func patch(id: String, _ request: SCIMRequest, now: String) throws(OfflineSCIMError)
        -> SCIMResponse
    {
        let slot = try liveSlot(id)
        let old = try resource(at: slot)
        try Self.checkIfMatch(request.ifMatch, old)
        let body = try Self.parseBody(request)
        var patched = try SCIMPatchApplier.apply(body, to: old)
        patched = Self.withSchemasListingExtensions(patched)
        try checkUniqueUserName(of: patched, excluding: slot)
        let updated = Self.withMeta(patched, after: old, now: now)
        if updated != old { replace(at: slot, old: old, with: updated) }
        if let projection = try SCIMAttributeProjection(query: request.query) {
            let body = Self.compact(projection.apply(to: updated))
            return Self.resourceResponse(status: 200, resource: updated, body: body)
        }
        var response = Self.resourceResponse(status: 204, resource: updated, body: [])
        response.headers.removeAll { $0.name == "Location" }
        return response
    }

    private mutating func delete(id: String, _ request: SCIMRequest) throws(OfflineSCIMError) -> SCIMResponse {
        let slot = try liveSlot(id)
        let old = try resource(at: slot)
        try Self.checkIfMatch(request.ifMatch, old)
        remove(at: slot, old: old)
        return SCIMResponse(status: 204, headers: [OfflineSCIMError.contentType], body: [])
    }

    // MARK: Helpers

    /// The slot of user `id` (also tried percent-decoded), or a 404.
    private func liveSlot(_ id: String) throws(OfflineSCIMError) -> Int {
        if let slot = slot(id: id) { return slot }
        if let decoded = id.removingPercentEncoding, let slot = slot(id: decoded) { return slot }
        throw OfflineSCIMError.userNotFound(id.removingPercentEncoding ?? id)
    }

    private func checkUniqueUserName(of resource: JSONValue, excluding slot: Int) throws(OfflineSCIMError) {
        guard let userName = Self.text(of: "userName", in: resource) else {
            throw OfflineSCIMError.invalidValue("Field 'userName' is required but value is missing, null or empty")
        }
        if slots(userName: userName).contains(where: { $0 != slot }) { throw OfflineSCIMError.uniqueness }
    }

    /// The id of a new user: `requested` (with `-2`, `-3`, ... when taken), else the next `offline-<n>`.
    private mutating func newID(requested: String?) -> String {
        if let requested, !requested.isEmpty {
            var candidate = requested
            var suffix = 1
            while slot(id: candidate) != nil {
                suffix += 1
                candidate = "\(requested)-\(suffix)"
            }
            return candidate
        }
        while true {
            createdCount += 1
            let candidate = "offline-\(createdCount)"
            if slot(id: candidate) == nil { return candidate }
        }
    }

    private func location(of id: String) -> String? {
        guard let base = locationBase, !base.isEmpty else { return nil }
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/Users/" + id
    }

    static func parseBody(_ request: SCIMRequest) throws(OfflineSCIMError) -> JSONValue {
        guard let bytes = request.body, !bytes.isEmpty else {
            throw OfflineSCIMError.invalidSyntax("Invalid JSON: the request has no body")
        }
        do {
            let tokenizer = JSONTokenizer(bytes: bytes, sourceName: "request body", inputNoun: "request body")
            let value = try tokenizer.readValue()
            try tokenizer.expectEndOfInput()
            return value
        } catch {
            let reason = (error as? TeprovError)?.message ?? String(describing: error)
            throw OfflineSCIMError.invalidSyntax("Invalid JSON: \(reason)")
        }
    }

    /// `If-Match` (RFC 7232 §3.1, weak comparison as scim2-server does): `*`, or one of the listed tags.
    static func checkIfMatch(_ ifMatch: String?, _ resource: JSONValue) throws(OfflineSCIMError) {
        guard let ifMatch else { return }
        let wanted = ifMatch.split(separator: ",").map { opaqueTag(String($0)) }
        if wanted.contains("*") { return }
        guard let version = version(of: resource), wanted.contains(opaqueTag(version)) else {
            throw OfflineSCIMError.preconditionFailed
        }
    }

    private static func opaqueTag(_ tag: String) -> String {
        let trimmed = tag.trimmingWhitespace()
        return trimmed.hasPrefix("W/") ? String(trimmed.dropFirst(2)) : trimmed
    }

    static func version(of resource: JSONValue) -> String? {
        SCIMMembers.value("meta", in: resource).flatMap { SCIMMembers.string("version", in: $0) }
    }

    static func compact(_ value: JSONValue) -> [UInt8] {
        var bytes: [UInt8] = []
        value.write(into: &bytes, style: .compact)
        return bytes
    }

    static func resourceResponse(status: Int, resource: JSONValue, body: [UInt8]) -> SCIMResponse {
        var headers = [OfflineSCIMError.contentType]
        if let version = version(of: resource) { headers.append(SCIMHeader(name: "ETag", value: version)) }
        if let location = SCIMMembers.value("meta", in: resource).flatMap({ SCIMMembers.string("location", in: $0) }) {
            headers.append(SCIMHeader(name: "Location", value: location))
        }
        return SCIMResponse(status: status, headers: headers, body: body)
    }
}
