/// Attribute-name aliases of SPEC §2 and the canonical spelling of well-known attribute names.
///
/// Readers resolve every raw name through one of these tables, so the rest of the pipeline sees
/// `id`, `userPrincipalName`, `surname`, ... whatever the export called them.
public struct AttributeAliases: Sendable {
    private let table: [String: String]

    /// Raw name (lower-cased) → canonical name.
    public init(_ table: [String: String]) {
        var folded: [String: String] = [:]
        for (raw, canonical) in table { folded[raw.lowercased()] = canonical }
        self.table = folded
    }

    /// The canonical display name for a raw attribute name: an alias target, else the well-known
    /// Graph spelling, else the name as written.
    public func canonicalName(_ raw: String) -> String {
        let folded = AttributeKey.fold(raw)
        if let target = table[folded] { return target }
        return AttributeAliases.wellKnownSpelling[folded] ?? raw
    }

    /// No aliases (generic CSV, JSON, generic XML): only the spelling of well-known names is unified.
    public static let none = AttributeAliases([:])

    /// Entra "Download users" CSV (both header vocabularies).
    public static let entraDownload = AttributeAliases([
        "objectId": "id",
        "physicalDeliveryOfficeName": "officeLocation",
        "mobile": "mobilePhone",
    ])

    /// Active Directory / LDAP exports (DSML, CLIXML).
    public static let directory = AttributeAliases([
        "objectGUID": "id",
        "entryUUID": "id",
        "userPrincipalName": "userPrincipalName",
        "sn": "surname",
        "surname": "surname",
        "givenName": "givenName",
        "emailAddress": "mail",
        "enabled": "accountEnabled",
        "title": "jobTitle",
    ])

    /// Names whose spelling is unified across formats, so `validate` shows one attribute,
    /// not `UserPrincipalName` in one file and `userPrincipalName` in another.
    static let wellKnownSpelling: [String: String] = {
        let names = [
            "id", "userPrincipalName", "displayName", "surname", "givenName", "mail", "jobTitle", "department",
            "accountEnabled", "userType", "usageLocation", "streetAddress", "state", "country", "officeLocation",
            "city", "postalCode", "telephoneNumber", "mobilePhone", "employeeId", "companyName", "deletedDateTime",
            "otherMails", "proxyAddresses", "businessPhones", "onPremisesImmutableId", "mailNickname",
            "alternateEmailAddress", "createdDateTime", "preferredLanguage", "employeeType",
        ]
        var table: [String: String] = [:]
        for name in names { table[name.lowercased()] = name }
        return table
    }()
}

/// Post-processing of records from directory exports (DSML, CLIXML): `cn`/`Name` become
/// `displayName` when it is absent, and `userAccountControl` bit 0x2 decides `accountEnabled`.
public enum DirectoryRecordFixups {
    /// Raw attributes the fix-ups read, which a projection must keep.
    public static let sourceKeys: Set<AttributeKey> = ["cn", "name", "useraccountcontrol"]

    static let displayNameKey: AttributeKey = "displayName"
    static let accountEnabledKey: AttributeKey = "accountEnabled"
    static let commonNameKey: AttributeKey = "cn"
    static let nameKey: AttributeKey = "name"
    static let userAccountControlKey: AttributeKey = "useraccountcontrol"

    /// Applies the fix-ups in place.
    public static func apply(to record: inout SourceRecord) {
        if record[displayNameKey] == nil {
            if let common = record[commonNameKey], !common.isMultiValued {
                record[displayNameKey] = common
            } else if let name = record[nameKey], !name.isMultiValued {
                record[displayNameKey] = name
            }
        }
        if let control = record[userAccountControlKey], let number = userAccountControl(control) {
            if number & 0x2 != 0 {
                record[accountEnabledKey] = .bool(false)
            } else if record[accountEnabledKey] == nil {
                record[accountEnabledKey] = .bool(true)
            }
        }
    }

    /// The number a `userAccountControl` value holds (an integer, or text of one).
    static func userAccountControl(_ value: AttributeValue) -> Int64? {
        switch value {
        case .int(let number): return number
        case .string(let text): return Int64(text)
        default: return nil
        }
    }
}
