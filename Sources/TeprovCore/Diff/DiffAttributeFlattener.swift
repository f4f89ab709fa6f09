/// One attribute value of a user at its path, e.g. `emails[type eq "work"].value` = `"a@contoso.com"`.
struct DiffLeaf: Sendable {
    /// The path as shown: attribute names as the file spells them.
    var path: String
    /// The path as compared: attribute names lower-cased (`DiffIgnoreList.matchKey`).
    var key: String
    var value: JSONValue
}

/// Turns a user's JSON into attribute paths and values (SPEC §9), the form `diff` compares:
///
/// - nested attributes join with a dot (`name.formatted`); attributes of a schema extension join
///   with a colon (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`);
/// - an element of a multi-valued complex attribute is named by its `type` when that is unique in
///   the array (`emails[type eq "work"].value`), else by its `value` (`groups[value eq "g1"].display`,
///   `emails[type eq "work" and value eq "b@x"].primary` when two share a type), else by its
///   1-based position (`addresses[2].locality`); the sub-attribute in the name is not repeated,
///   except `value`;
/// - an array of plain values (`schemas`) is one value, compared ignoring order;
/// - null, `[]` and `{}` are absent (SCIM treats them as unassigned); `""` is a value;
/// - ignored paths (`meta` by default, `--ignore`) are left out;
/// - a ThousandEyes v7 user is read in SCIM terms first, as `SnapshotReader` does: `uid` is `id`,
///   `email` is `userName` and the one (untyped, primary) e-mail, the string `name` is both
///   `displayName` and `name.formatted`; its `_links` are left out.
struct DiffAttributeFlattener: Sendable {
    let ignoreList: DiffIgnoreList

    /// The leaves of a user object, in document order.
    func leaves(of user: JSONValue, isThousandEyesV7: Bool) -> [DiffLeaf] {
        leaves(ofMembers: Self.members(of: user, isThousandEyesV7: isThousandEyesV7))
    }

    /// The leaves of some top-level members of a user object (as `members(of:isThousandEyesV7:)` gives them).
    func leaves(ofMembers members: [(String, JSONValue)]) -> [DiffLeaf] {
        var leaves: [DiffLeaf] = []
        appendMembers(members, path: "", key: "", separator: "", into: &leaves)
        return leaves
    }

    /// The top-level members of a user object, a ThousandEyes v7 user's in SCIM terms.
    static func members(of user: JSONValue, isThousandEyesV7: Bool) -> [(String, JSONValue)] {
        guard case .object(let members) = user else { return [] }
        return isThousandEyesV7 ? scimMembers(ofThousandEyesV7: members) : members
    }

    private func appendMembers(
        _ members: [(String, JSONValue)], path: String, key: String, separator: String, into leaves: inout [DiffLeaf]
    ) {
        for (written, value) in members {
            let lowered = Self.lowercased(written)
            let name = Self.canonicalNames[lowered] ?? written
            let memberPath = path.isEmpty ? name : path + separator + name
            let memberKey = key.isEmpty ? lowered : key + separator + lowered
            if ignoreList.ignores(memberKey) { continue }
            let childSeparator = lowered.hasPrefix("urn:") ? ":" : "."
            appendValue(value, path: memberPath, key: memberKey, childSeparator: childSeparator, into: &leaves)
        }
    }

    private func appendValue(
        _ value: JSONValue, path: String, key: String, childSeparator: String, into leaves: inout [DiffLeaf]
    ) {
        switch value {
        case .null:
            return
        case .object(let members):
            appendMembers(members, path: path, key: key, separator: childSeparator, into: &leaves)
        case .array(let all):
            let elements = all.filter { $0 != .null }
            if elements.isEmpty { return }
            var objects: [[(String, JSONValue)]] = []
            for element in elements {
                guard case .object(let members) = element else { break }
                objects.append(members)
            }
            if objects.count == elements.count {
                appendElements(objects, path: path, key: key, into: &leaves)
            } else {
                leaves.append(DiffLeaf(path: path, key: key, value: .array(elements)))
            }
        default:
            leaves.append(DiffLeaf(path: path, key: key, value: value))
        }
    }

    /// The elements of a multi-valued complex attribute, each named by type, value or position.
    private func appendElements(
        _ elements: [[(String, JSONValue)]], path: String, key: String, into leaves: inout [DiffLeaf]
    ) {
        let types = elements.map { Self.member("type", in: $0).flatMap(Self.text) }
        let values = elements.map { Self.member("value", in: $0).flatMap(Self.filterOperand) }
        var typeCounts: [String: Int] = [:]
        for case let type? in types { typeCounts[type, default: 0] += 1 }
        // Elements sharing a type (or untyped) are told apart by value when it is unique among them.
        let typedValues = elements.indices.map { index in values[index].map { (types[index] ?? "") + "\u{0}" + $0 } }
        var valueCounts: [String: Int] = [:]
        for case let typedValue? in typedValues { valueCounts[typedValue, default: 0] += 1 }
        for (index, members) in elements.enumerated() {
            var filter = String(index + 1)
            var omitsType = false
            if let type = types[index], typeCounts[type] == 1 {
                filter = "type eq \(Self.quoted(type))"
                omitsType = true
            } else if let value = values[index], let typedValue = typedValues[index], valueCounts[typedValue] == 1 {
                filter = types[index].map { "type eq \(Self.quoted($0)) and value eq \(value)" } ?? "value eq \(value)"
                omitsType = types[index] != nil
            }
            let elementPath = path + "[" + filter + "]"
            let elementKey = key + "[" + filter + "]"
            if ignoreList.ignores(elementKey) { continue }
            let shown = omitsType ? members.filter { Self.lowercased($0.0) != "type" } : members
            let before = leaves.count
            appendMembers(shown, path: elementPath, key: elementKey, separator: ".", into: &leaves)
            if leaves.count == before {
                // Nothing but its name (`{"type": "work"}`): the element itself is the value.
                leaves.append(DiffLeaf(path: elementPath, key: elementKey, value: .object(members)))
            }
        }
    }

    // MARK: ThousandEyes v7

    /// A v7 `GET /users` item in SCIM terms (the mapping `SnapshotReader` uses for `TargetUser`).
    static func scimMembers(ofThousandEyesV7 members: [(String, JSONValue)]) -> [(String, JSONValue)] {
        var scim: [(String, JSONValue)] = []
        for (name, value) in members {
            switch lowercased(name) {
            case "uid":
                scim.append(("id", value))
            case "email":
                scim.append(("userName", value))
                if value != .null {
                    scim.append(("emails", .array([.object([("value", value), ("primary", .bool(true))])])))
                }
            case "name":
                guard case .string = value else {
                    scim.append((name, value))
                    continue
                }
                scim.append(("displayName", value))
                scim.append(("name", .object([("formatted", value)])))
            case "_links":
                continue
            default:
                scim.append((name, value))
            }
        }
        return scim
    }

    // MARK: Helpers

    /// The spelling RFC 7643 gives the User attributes, so a server that writes `USERNAME` or
    /// `Emails` still shows `userName` and `emails`; other names are shown as written.
    static let canonicalNames: [String: String] = {
        let names = [
            "id", "externalId", "userName", "name", "formatted", "familyName", "givenName", "middleName",
            "honorificPrefix", "honorificSuffix", "displayName", "nickName", "profileUrl", "title", "userType",
            "preferredLanguage", "locale", "timezone", "active", "password", "emails", "phoneNumbers", "ims", "photos",
            "addresses", "streetAddress", "locality", "region", "postalCode", "country", "groups", "entitlements",
            "roles", "x509Certificates", "value", "display", "type", "primary", "$ref", "schemas", "meta",
            "resourceType", "created", "lastModified", "location", "version", "employeeNumber", "costCenter",
            "organization", "division", "department", "manager", SCIMAttributePath.enterpriseSchema,
        ]
        return Dictionary(names.map { (lowercased($0), $0) }, uniquingKeysWith: { first, _ in first })
    }()

    static func lowercased(_ name: String) -> String {
        for byte in name.utf8 where byte >= 0x41 && byte <= 0x5A {
            return String(decoding: name.utf8.map(JSONTokenizer.asciiLowercase), as: UTF8.self)
        }
        return name
    }

    /// The first member named `name` (ignoring case).
    private static func member(_ name: String, in members: [(String, JSONValue)]) -> JSONValue? {
        members.first { lowercased($0.0) == name }?.1
    }

    private static func text(_ value: JSONValue) -> String? {
        guard case .string(let text) = value else { return nil }
        return text
    }

    /// A scalar as a filter operand: JSON text (`"a@b.com"`, `42`, `true`); `nil` for anything else.
    private static func filterOperand(_ value: JSONValue) -> String? {
        switch value {
        case .string, .int, .double, .bool: return value.serialized(style: .compact)
        default: return nil
        }
    }

    private static func quoted(_ text: String) -> String { JSONValue.string(text).serialized(style: .compact) }
}
