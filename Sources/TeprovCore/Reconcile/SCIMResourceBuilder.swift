/// Assembles a SCIM user resource from target paths and values (for POST and PUT bodies).
///
/// Members are kept in RFC 8785 order at every level as they are added, the order the plan file has, so the
/// plan writer sorts nothing. A resource started from a snapshot's (for PUT) is put in that order at the end.
struct SCIMResourceBuilder {
    private var members: [(String, JSONValue)] = []
    private var usesEnterprise = false
    /// Started from a snapshot resource, whose members may be in any order.
    private var fromSnapshot = false

    init() {}

    /// Starts from a snapshot resource (for PUT): its members without `meta` and `schemas`.
    init(raw: [UInt8]?) {
        guard let raw, let document = try? JSONTokenizer(bytes: raw, sourceName: "snapshot").readValue(),
            case .object(let existing) = document
        else { return }
        members = existing.filter { $0.0 != "meta" && $0.0 != "schemas" }
        fromSnapshot = true
        usesEnterprise = existing.contains { $0.0 == SCIMAttributePath.enterpriseSchema }
    }

    mutating func set(_ path: SCIMAttributePath, _ value: JSONValue) {
        if path.attribute == SCIMAttributePath.enterpriseSchema, let sub = path.subAttribute {
            usesEnterprise = true
            setNested(path.attribute, sub, value)
        } else if let type = path.typeFilter, let sub = path.subAttribute {
            // The array is taken out of its member and changed in place (a copy would be copied again).
            var entries: [JSONValue] = []
            let position = members.firstIndex { Self.sameName($0.0, path.attribute) }
            if let position, case .array(let existing) = members[position].1 {
                entries = existing
                members[position].1 = .null
            }
            if let index = entries.firstIndex(where: {
                Self.string($0, "type").map { Self.sameName($0, type) } ?? false
            }) {
                Self.set(&entries[index], sub, value)
            } else {
                var entry: [(String, JSONValue)] = []
                Self.insertInOrder(&entry, "type", .string(type))
                Self.insertInOrder(&entry, sub, value)
                if !entries.contains(where: { Self.isPrimary($0) }) {
                    Self.insertInOrder(&entry, "primary", .bool(true))
                }
                entries.append(.object(entry))
            }
            if let position {
                members[position].1 = .array(entries)
            } else {
                Self.insertInOrder(&members, path.attribute, .array(entries))
            }
        } else if let sub = path.subAttribute {
            setNested(path.attribute, sub, value)
        } else {
            setMember(path.attribute, value)
        }
    }

    func resource(schemas: [String]) -> JSONValue {
        var all = schemas
        if usesEnterprise, !all.contains(SCIMAttributePath.enterpriseSchema) {
            all.append(SCIMAttributePath.enterpriseSchema)
        }
        var resource = members
        Self.insertInOrder(&resource, "schemas", .array(all.map { .string($0) }))
        return fromSnapshot ? JSONValue.object(resource).canonicallyOrdered() : .object(resource)
    }

    private mutating func setMember(_ key: String, _ value: JSONValue) {
        if let index = members.firstIndex(where: { Self.sameName($0.0, key) }) {
            members[index] = (members[index].0, value)
        } else {
            Self.insertInOrder(&members, key, value)
        }
    }

    /// Sets `key.sub`, changing the object held by `key` in place (a copy of it would be copied again on
    /// every member added: a create sets `name.givenName`, `name.familyName` and more one after the other).
    private mutating func setNested(_ key: String, _ sub: String, _ value: JSONValue) {
        guard let index = members.firstIndex(where: { Self.sameName($0.0, key) }) else {
            Self.insertInOrder(&members, key, .object([(sub, value)]))
            return
        }
        Self.set(&members[index].1, sub, value)
    }

    /// Sets member `key` of `object` (an object by then, whatever it was).
    private static func set(_ object: inout JSONValue, _ key: String, _ value: JSONValue) {
        guard case .object(var fields) = object else {
            object = .object([(key, value)])
            return
        }
        // Let go of the enum's reference, so that `fields` is the only one and changes in place.
        object = .null
        if let index = fields.firstIndex(where: { sameName($0.0, key) }) {
            fields[index] = (fields[index].0, value)
        } else {
            insertInOrder(&fields, key, value)
        }
        object = .object(fields)
    }

    /// Adds a member before the first one whose name sorts after it (RFC 8785 order; the few members of a
    /// resource make a linear search the cheapest).
    private static func insertInOrder(_ fields: inout [(String, JSONValue)], _ key: String, _ value: JSONValue) {
        if let last = fields.last, !JSONKeyOrder.precedes(key, last.0) {
            fields.append((key, value))
            return
        }
        let position = fields.firstIndex { JSONKeyOrder.precedes(key, $0.0) } ?? fields.count
        fields.insert((key, value), at: position)
    }

    private static func string(_ object: JSONValue, _ key: String) -> String? {
        guard case .object(let fields) = object,
            case .string(let text)? = fields.first(where: { sameName($0.0, key) })?.1
        else { return nil }
        return text
    }

    /// `lhs.lowercased() == rhs.lowercased()`, without allocating for ASCII names.
    @inline(__always)
    private static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        ValueComparison.textEqual(lhs, rhs, caseExact: false)
    }

    private static func isPrimary(_ object: JSONValue) -> Bool {
        guard case .object(let fields) = object else { return false }
        if case .bool(true)? = fields.first(where: { $0.0 == "primary" })?.1 { return true }
        return false
    }
}
