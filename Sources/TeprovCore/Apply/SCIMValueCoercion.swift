/// Checks values written to a SCIM user against `SCIMUserSchema` and brings them into the form a
/// server stores: booleans from Entra's `"True"`/`"False"` strings, sub-attribute names in the
/// schema's spelling, `null` members dropped (null means unassigned, RFC 7643 §2.5), at most one
/// `primary` entry per multi-valued attribute.
///
/// Attributes the schema does not describe (a ThousandEyes extension, say) are kept as sent.
enum SCIMValueCoercion {
    /// `value` as the stored form of `attribute`; `nil` when it unassigns it (`null`, `[]`, `{}`).
    /// - Throws: `invalidValue` for a value of the wrong type.
    static func coerce(_ value: JSONValue, as attribute: SCIMUserSchema.Attribute?) throws(OfflineSCIMError)
        -> JSONValue?
    {
        guard let attribute else { return value == .null ? nil : value }
        if value == .null { return nil }
        if attribute.multiValued {
            let entries: [JSONValue]
            if case .array(let elements) = value { entries = elements } else { entries = [value] }
            var coerced: [JSONValue] = []
            for entry in entries {
                if let stored = try coerceSingle(entry, as: attribute) { coerced.append(stored) }
            }
            return coerced.isEmpty ? nil : .array(coerced)
        }
        return try coerceSingle(value, as: attribute)
    }

    /// One value (or one entry of a multi-valued attribute).
    private static func coerceSingle(_ value: JSONValue, as attribute: SCIMUserSchema.Attribute)
        throws(OfflineSCIMError)
        -> JSONValue?
    {
        switch (attribute.kind, value) {
        case (_, .null):
            return nil
        case (.boolean, .bool):
            return value
        case (.boolean, .string(let text)):
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw OfflineSCIMError.invalidValue("'\(attribute.name)' must be a boolean, not \"\(text)\"")
            }
        case (.boolean, _):
            throw OfflineSCIMError.invalidValue("'\(attribute.name)' must be a boolean")
        case (.string, .string):
            return value
        case (.string, _):
            throw OfflineSCIMError.invalidValue("'\(attribute.name)' must be a string")
        case (.complex, .object(let members)):
            var stored: [(String, JSONValue)] = []
            for (name, member) in members {
                let sub = attribute.subAttribute(named: name)
                guard let coerced = try coerce(member, as: sub) else { continue }
                SCIMMembers.set(sub?.name ?? name, coerced, in: &stored)
            }
            return stored.isEmpty ? nil : .object(stored)
        case (.complex, _):
            throw OfflineSCIMError.invalidValue("'\(attribute.name)' must be an object")
        }
    }

    /// A whole resource sent with POST or PUT: known attributes coerced, read-only ones (`id`,
    /// `meta`, `groups`) dropped, `userName` required.
    /// - Returns: the members to store, without `id`, `meta` and `schemas`.
    static func resourceMembers(_ body: JSONValue) throws(OfflineSCIMError) -> [(String, JSONValue)] {
        guard case .object(let members) = body else {
            throw OfflineSCIMError.invalidSyntax("the request body must be a JSON object holding a User resource")
        }
        var stored: [(String, JSONValue)] = []
        for (name, value) in members {
            let attribute = SCIMUserSchema.attribute(named: name)
            if attribute?.readOnly == true || attribute?.name == "schemas" { continue }
            guard let coerced = try coerce(value, as: attribute) else { continue }
            if let attribute, attribute.hasPrimary, case .array(let entries) = coerced {
                guard entries.filter(SCIMMembers.isPrimary).count <= 1 else {
                    throw OfflineSCIMError.invalidValue("Multiple values marked as primary in '\(attribute.name)'")
                }
            }
            SCIMMembers.set(attribute?.name ?? name, coerced, in: &stored)
        }
        guard case .string(let userName)? = SCIMMembers.value("userName", in: .object(stored)),
            !userName.trimmingWhitespace().isEmpty
        else {
            throw OfflineSCIMError.invalidValue("Field 'userName' is required but value is missing, null or empty")
        }
        return stored
    }

    /// Keeps one `primary` entry after a write: an entry the write made primary wins over those
    /// that were primary before (RFC 7644 §3.5.2); two new primaries are refused.
    /// - Parameter old: the entries before the write, or `nil` when the write replaced them all.
    static func settlePrimary(_ entries: inout [JSONValue], old: [JSONValue]?, attribute: String)
        throws(OfflineSCIMError)
    {
        var newlyPrimary: [Int] = []
        var primaries = 0
        for (index, entry) in entries.enumerated() where SCIMMembers.isPrimary(entry) {
            primaries += 1
            let wasPrimary = old.map { index < $0.count && SCIMMembers.isPrimary($0[index]) } ?? false
            if !wasPrimary { newlyPrimary.append(index) }
        }
        guard newlyPrimary.count <= 1, newlyPrimary.count == 1 || primaries <= 1 else {
            throw OfflineSCIMError.invalidValue("Multiple values marked as primary in '\(attribute)'")
        }
        guard let winner = newlyPrimary.first else { return }
        for index in entries.indices where index != winner && SCIMMembers.isPrimary(entries[index]) {
            guard case .object(var members) = entries[index] else { continue }
            SCIMMembers.set("primary", .bool(false), in: &members)
            entries[index] = .object(members)
        }
    }
}
