/// What a server keeps up to date in a user resource after a change: `meta.version` and
/// `meta.lastModified`, and `schemas` listing the extensions the resource holds.
extension OfflineUserStore {
    /// `resource` with the meta of `old` brought up to date: a new `version` (`W/"<n+1>"`, or
    /// `W/"1"` when the old one was not a number) and `lastModified`. A change that changes nothing
    /// (apart from meta) gives `old` back, keeping its version, as scim2-server does.
    static func withMeta(_ resource: JSONValue, after old: JSONValue, now: String) -> JSONValue {
        var members = SCIMMembers.members(of: resource)
        SCIMMembers.remove("meta", from: &members)
        var oldMembers = SCIMMembers.members(of: old)
        let oldMeta = SCIMMembers.value("meta", in: old)
        SCIMMembers.remove("meta", from: &oldMembers)
        if JSONValue.object(members) == JSONValue.object(oldMembers) { return old }
        var meta = SCIMMembers.members(of: oldMeta ?? .object([]))
        if SCIMMembers.index(of: "resourceType", in: meta) == nil {
            meta.insert(("resourceType", .string("User")), at: 0)
        }
        SCIMMembers.set("lastModified", .string(now), in: &meta)
        SCIMMembers.set("version", .string(nextVersion(after: version(of: old))), in: &meta)
        // meta stays where it was in the resource (last when the old one had none).
        if let place = SCIMMembers.index(of: "meta", in: SCIMMembers.members(of: old)), place <= members.count {
            members.insert(("meta", .object(meta)), at: place)
        } else {
            members.append(("meta", .object(meta)))
        }
        return .object(members)
    }

    /// The version after `version`: its number plus one (`W/"3"` → `W/"4"`), else `W/"1"`.
    static func nextVersion(after version: String?) -> String {
        let digits = version?.filter(\.isNumber) ?? ""
        let quoted = version.map { $0.hasPrefix("W/\"") && $0.hasSuffix("\"") } ?? false
        guard quoted, let number = Int(digits), digits.count == (version?.count ?? 0) - 4 else { return "W/\"1\"" }
        return "W/\"\(number + 1)\""
    }

    /// The `schemas` of a POST or PUT: the body's (else `fallback`, else the core User schema),
    /// with the enterprise URN added when the resource holds enterprise attributes.
    static func schemas(_ body: JSONValue, fallback: JSONValue?, members: [(String, JSONValue)]) -> JSONValue {
        var listed: [JSONValue] = []
        for candidate in [SCIMMembers.value("schemas", in: body), fallback] {
            if case .array(let entries)? = candidate, !entries.isEmpty {
                listed = entries
                break
            }
        }
        if listed.isEmpty { listed = [.string(SCIMUserSchema.coreSchema)] }
        return listingExtensions(.array(listed), members: members)
    }

    /// `resource` with `schemas` listing the enterprise URN exactly when it holds enterprise attributes.
    static func withSchemasListingExtensions(_ resource: JSONValue) -> JSONValue {
        var members = SCIMMembers.members(of: resource)
        guard let current = SCIMMembers.value("schemas", in: resource) else { return resource }
        SCIMMembers.set("schemas", listingExtensions(current, members: members), in: &members)
        return .object(members)
    }

    private static func listingExtensions(_ schemas: JSONValue, members: [(String, JSONValue)]) -> JSONValue {
        guard case .array(var entries) = schemas else { return schemas }
        let urn = SCIMUserSchema.enterpriseSchema
        let holdsExtension = SCIMMembers.index(of: urn, in: members) != nil
        let listedAt = entries.firstIndex { entry in
            if case .string(let text) = entry { return text.lowercased() == urn.lowercased() }
            return false
        }
        switch (holdsExtension, listedAt) {
        case (true, nil): entries.append(.string(urn))
        case (false, let index?): entries.remove(at: index)
        default: break
        }
        return .array(entries)
    }
}
