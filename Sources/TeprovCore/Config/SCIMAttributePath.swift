/// A target attribute of a SCIM `/Users` resource that a mapping may write, e.g. `userName`,
/// `name.givenName`, `emails[type eq "work"].value`, or an enterprise-extension attribute.
///
/// Parsing checks that a SCIM user can hold the attribute (SPEC §5: other targets are config errors)
/// and gives it its canonical spelling, so `Emails[Type eq "work"].Value` and the table's form compare equal.
public struct SCIMAttributePath: Sendable, Hashable, CustomStringConvertible {
    /// The value type the target holds.
    public enum ValueType: Sendable, Hashable {
        case string, boolean
    }

    /// Top-level attribute (`userName`, `name`, `emails`, or the enterprise schema URN).
    public let attribute: String
    /// For multi-valued attributes, the `type` the filter selects (`work`).
    public let typeFilter: String?
    /// Sub-attribute (`givenName`, `value`, `department`).
    public let subAttribute: String?
    public let valueType: ValueType

    public static let enterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

    /// Canonical text, e.g. `emails[type eq "work"].value`.
    public var description: String {
        if attribute == SCIMAttributePath.enterpriseSchema, let subAttribute { return "\(attribute):\(subAttribute)" }
        var text = attribute
        if let typeFilter { text += "[type eq \"\(typeFilter)\"]" }
        if let subAttribute { text += ".\(subAttribute)" }
        return text
    }

    static let singular: [String: ValueType] = [
        "userName": .string, "externalId": .string, "active": .boolean, "displayName": .string,
        "nickName": .string, "profileUrl": .string, "title": .string, "userType": .string,
        "preferredLanguage": .string, "locale": .string, "timezone": .string,
    ]
    static let nameParts = ["formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix"]
    static let multiValued: [String: [String]] = [
        "emails": ["value"], "phoneNumbers": ["value"], "ims": ["value"], "photos": ["value"],
        "addresses": ["formatted", "streetAddress", "locality", "region", "postalCode", "country"],
    ]
    static let enterprise = ["employeeNumber", "costCenter", "organization", "division", "department"]
    /// Attributes a mapping may never write: the server owns them, or ThousandEyes cannot set them over SCIM.
    static let forbidden = ["id", "meta", "groups", "roles", "entitlements", "x509Certificates", "password", "schemas"]

    /// The work e-mail path of the default table.
    public static let workEmail = SCIMAttributePath(
        attribute: "emails", typeFilter: "work", subAttribute: "value", valueType: .string)

    init(attribute: String, typeFilter: String?, subAttribute: String?, valueType: ValueType) {
        self.attribute = attribute
        self.typeFilter = typeFilter
        self.subAttribute = subAttribute
        self.valueType = valueType
    }

    /// Parses a target path.
    /// - Throws: a message (one sentence) saying why a SCIM user cannot hold the target.
    public init(parsing text: String) throws(SCIMPathError) {
        let trimmed = text.trimmingWhitespace()
        let lower = trimmed.lowercased()
        let enterprisePrefix = SCIMAttributePath.enterpriseSchema.lowercased() + ":"
        if lower.hasPrefix(enterprisePrefix) {
            let sub = String(trimmed.dropFirst(enterprisePrefix.count))
            guard let canonical = SCIMAttributePath.enterprise.first(where: { $0.lowercased() == sub.lowercased() })
            else {
                throw SCIMPathError(
                    "\"\(text)\" is not an enterprise-user attribute; use one of "
                        + SCIMAttributePath.enterprise.joined(separator: ", "))
            }
            self.init(
                attribute: SCIMAttributePath.enterpriseSchema, typeFilter: nil, subAttribute: canonical,
                valueType: .string)
            return
        }
        // attribute [ '[' type eq "x" ']' ] [ '.' sub ]
        var head = trimmed
        var filter: String?
        var sub: String?
        if let open = head.firstIndex(of: "[") {
            guard let close = head.lastIndex(of: "]"), close > open else {
                throw SCIMPathError("\"\(text)\" has an unclosed '[' filter")
            }
            let inside = head[head.index(after: open)..<close].trimmingWhitespace()
            let rest = head[head.index(after: close)...]
            head = String(head[..<open])
            let parts = inside.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count == 3, parts[0].lowercased() == "type", parts[1].lowercased() == "eq",
                parts[2].count >= 2, parts[2].hasPrefix("\""), parts[2].hasSuffix("\"")
            else {
                throw SCIMPathError("\"\(text)\" has a filter teprov cannot write; use the form [type eq \"work\"]")
            }
            filter = String(parts[2].dropFirst().dropLast())
            if rest.hasPrefix(".") {
                sub = String(rest.dropFirst())
            } else if !rest.isEmpty {
                throw SCIMPathError("\"\(text)\" has text after the filter that is not a .subAttribute")
            }
        } else if let dot = head.firstIndex(of: ".") {
            sub = String(head[head.index(after: dot)...])
            head = String(head[..<dot])
        }
        let lowerHead = head.lowercased()
        if SCIMAttributePath.forbidden.contains(where: { $0.lowercased() == lowerHead }) {
            throw SCIMPathError(
                "\"\(text)\" cannot be written over SCIM (the server owns it or ThousandEyes ignores it)")
        }
        if filter == nil, sub == nil,
            let (name, type) = SCIMAttributePath.singular.first(where: { $0.key.lowercased() == lowerHead })
        {
            self.init(attribute: name, typeFilter: nil, subAttribute: nil, valueType: type)
            return
        }
        if lowerHead == "name", filter == nil, let sub,
            let part = SCIMAttributePath.nameParts.first(where: { $0.lowercased() == sub.lowercased() })
        {
            self.init(attribute: "name", typeFilter: nil, subAttribute: part, valueType: .string)
            return
        }
        if let (name, subs) = SCIMAttributePath.multiValued.first(where: { $0.key.lowercased() == lowerHead }) {
            guard let filter else {
                throw SCIMPathError(
                    "\"\(text)\" is multi-valued; select one entry, e.g. \(name)[type eq \"work\"].value")
            }
            guard let sub, let part = subs.first(where: { $0.lowercased() == sub.lowercased() }) else {
                throw SCIMPathError("\"\(text)\" needs one of the sub-attributes \(subs.joined(separator: ", "))")
            }
            self.init(attribute: name, typeFilter: filter, subAttribute: part, valueType: .string)
            return
        }
        throw SCIMPathError("\"\(text)\" is not an attribute of a SCIM user (RFC 7643 §4.1)")
    }
}

/// Why a target path is not a writable SCIM user attribute.
public struct SCIMPathError: Error, Sendable {
    public let message: String
    init(_ message: String) { self.message = message }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        var lower = scalars.startIndex
        var upper = scalars.endIndex
        while lower < upper, scalars[lower].properties.isWhitespace { lower = scalars.index(after: lower) }
        while upper > lower, scalars[scalars.index(before: upper)].properties.isWhitespace {
            upper = scalars.index(before: upper)
        }
        return String(String.UnicodeScalarView(scalars[lower..<upper]))
    }
}
