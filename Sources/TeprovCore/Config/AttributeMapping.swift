/// One attribute mapping (SPEC §4 "Mappings"): how a SCIM target attribute gets its value.
public struct AttributeMapping: Sendable {
    /// When the mapping applies.
    public enum Apply: String, Sendable, CaseIterable {
        /// On create and on update (compared and patched).
        case always
        /// Only when the user is created; never compared.
        case onCreate
    }

    public var target: SCIMAttributePath
    /// The expression text as configured (shown by `--explain` and recorded in the plan).
    public var sourceText: String
    public var source: Expression
    /// 1 = tried first; `nil` = not a matching attribute.
    public var matchingPrecedence: Int?
    /// Used only on create, when the expression gives null.
    public var defaultValue: String?
    public var apply: Apply
    /// Compare values case-sensitively (default false, except `externalId`).
    public var caseExact: Bool

    public init(
        target: SCIMAttributePath, source: String, matchingPrecedence: Int? = nil, defaultValue: String? = nil,
        apply: Apply = .always, caseExact: Bool? = nil
    ) throws(ExpressionSyntaxError) {
        self.target = target
        self.sourceText = source
        self.source = try ExpressionParser.parse(source)
        self.matchingPrecedence = matchingPrecedence
        self.defaultValue = defaultValue
        self.apply = apply
        self.caseExact = caseExact ?? (target.attribute == "externalId")
    }

    /// The value type the target holds.
    public var valueType: TargetValueType {
        target.valueType == .boolean ? .boolean : .string
    }

    /// The default ThousandEyes table of SPEC §4 (the tutorial's mappings).
    public static let defaultTable: [AttributeMapping] = {
        let rows: [(String, String, Int?)] = [
            ("externalId", "[id]", 1),
            ("userName", "[userPrincipalName]", 2),
            ("active", "Not([IsSoftDeleted])", nil),
            ("displayName", "[displayName]", nil),
            ("emails[type eq \"work\"].value", "[mail]", nil),
            ("name.formatted", "Join(\" \", [givenName], [surname])", nil),
        ]
        return rows.compactMap { target, source, precedence in
            guard let path = try? SCIMAttributePath(parsing: target),
                let mapping = try? AttributeMapping(target: path, source: source, matchingPrecedence: precedence)
            else {
                assertionFailure("the default mapping table must parse")
                return nil
            }
            return mapping
        }
    }()
}
