/// The SCIM User resource as the offline target knows it (RFC 7643 §4.1 and the enterprise
/// extension of §4.3): attribute names in their canonical spelling, which are multi-valued,
/// boolean, case-exact, read-only or required. PATCH paths, filters and request bodies are checked
/// and normalized against it, the way scim2-server checks them against its schemas.
enum SCIMUserSchema {
    static let coreSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let enterpriseSchema = SCIMAttributePath.enterpriseSchema

    /// One attribute (or sub-attribute) of the schema.
    struct Attribute: Sendable {
        enum Kind: Sendable {
            case string, boolean, complex
        }

        let name: String
        let kind: Kind
        var multiValued = false
        /// Compared exactly by filters and uniqueness checks; others ignore case (RFC 7643 §2.2).
        var caseExact = false
        /// Set only by the service provider (`id`, `meta`, `groups`).
        var readOnly = false
        /// May not be removed or left empty (`userName`).
        var required = false
        /// Sub-attributes of a complex attribute (of each entry of a multi-valued one).
        var subAttributes: [Attribute] = []

        /// The sub-attribute called `name`, ignoring case.
        func subAttribute(named name: String) -> Attribute? {
            SCIMUserSchema.find(name, in: subAttributes)
        }

        /// `true` when entries carry a `primary` flag that at most one of them may set.
        var hasPrimary: Bool { multiValued && subAttributes.contains { $0.name == "primary" } }
    }

    /// The attributes of a User resource's top level; the enterprise extension is the complex
    /// member named by its schema URN.
    static let topLevel: [Attribute] = [
        Attribute(name: "schemas", kind: .string, multiValued: true, caseExact: true),
        Attribute(name: "id", kind: .string, caseExact: true, readOnly: true),
        Attribute(name: "externalId", kind: .string, caseExact: true),
        Attribute(name: "meta", kind: .complex, readOnly: true, subAttributes: meta),
        Attribute(name: "userName", kind: .string, required: true),
        Attribute(name: "name", kind: .complex, subAttributes: strings(SCIMAttributePath.nameParts)),
        Attribute(name: "displayName", kind: .string),
        Attribute(name: "nickName", kind: .string),
        Attribute(name: "profileUrl", kind: .string),
        Attribute(name: "title", kind: .string),
        Attribute(name: "userType", kind: .string),
        Attribute(name: "preferredLanguage", kind: .string),
        Attribute(name: "locale", kind: .string),
        Attribute(name: "timezone", kind: .string),
        Attribute(name: "active", kind: .boolean),
        Attribute(name: "password", kind: .string, caseExact: true),
        multiValued("emails"), multiValued("phoneNumbers"), multiValued("ims"), multiValued("photos"),
        multiValued("addresses", extra: ["formatted", "streetAddress", "locality", "region", "postalCode", "country"]),
        Attribute(
            name: "groups", kind: .complex, multiValued: true, readOnly: true,
            subAttributes: strings(["value", "$ref", "display", "type"])),
        multiValued("entitlements"), multiValued("roles"), multiValued("x509Certificates"),
        Attribute(
            name: enterpriseSchema, kind: .complex,
            subAttributes: strings(SCIMAttributePath.enterprise) + [
                Attribute(name: "manager", kind: .complex, subAttributes: strings(["value", "$ref", "displayName"]))
            ]),
    ]

    private static let meta: [Attribute] = [
        Attribute(name: "resourceType", kind: .string, caseExact: true),
        Attribute(name: "created", kind: .string), Attribute(name: "lastModified", kind: .string),
        Attribute(name: "location", kind: .string, caseExact: true),
        Attribute(name: "version", kind: .string, caseExact: true),
    ]

    private static func strings(_ names: [String]) -> [Attribute] {
        names.map { Attribute(name: $0, kind: .string) }
    }

    /// A multi-valued attribute of RFC 7643 §2.4 entries (`value`, `display`, `type`, `primary`).
    private static func multiValued(_ name: String, extra: [String] = []) -> Attribute {
        let base: [String] = extra.isEmpty ? ["value", "display", "type"] : ["type"]
        return Attribute(
            name: name, kind: .complex, multiValued: true,
            subAttributes: strings(base + extra) + [Attribute(name: "primary", kind: .boolean)])
    }

    /// The attribute called `name` among `attributes`, ignoring case.
    static func find(_ name: String, in attributes: [Attribute]) -> Attribute? {
        if let exact = attributes.first(where: { $0.name == name }) { return exact }
        let lowered = name.lowercased()
        return attributes.first { $0.name.lowercased() == lowered }
    }

    /// The top-level attribute called `name`, ignoring case.
    static func attribute(named name: String) -> Attribute? { find(name, in: topLevel) }

    /// The definition of `names` (a top-level attribute, then sub-attributes), or `nil` when the
    /// schema does not describe it.
    static func attribute(at names: [String]) -> Attribute? {
        guard let first = names.first, var current = attribute(named: first) else { return nil }
        for name in names.dropFirst() {
            guard let next = current.subAttribute(named: name) else { return nil }
            current = next
        }
        return current
    }
}
