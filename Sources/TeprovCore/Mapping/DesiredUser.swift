/// A source user as the target should see it: the mapped SCIM values, the scope decision, and
/// where the record came from. Produced by `DesiredUserBuilder`; the reconciler consumes it.
public struct DesiredUser: Sendable {
    /// One mapped target attribute.
    public struct MappedValue: Sendable, Hashable {
        public var target: SCIMAttributePath
        /// The value typed for the target; `nil` = not sent (null, empty, or IgnoreFlowIfNullOrEmpty).
        public var value: AttributeValue?
        /// The mapping's `default`, used only on create when `value` is `nil`.
        public var createDefault: AttributeValue?
        public var apply: AttributeMapping.Apply
        public var caseExact: Bool
        public var matchingPrecedence: Int?

        /// The value a create sends.
        public var valueOnCreate: AttributeValue? { value ?? createDefault }
    }

    public var origin: RecordOrigin
    /// The record's `[id]` as text (the directory's immutable id), if any.
    public var sourceId: String?
    /// The record's raw `userPrincipalName`, for display.
    public var userPrincipalName: String?
    public var scope: ScopeDecision
    /// `true` for records read from `--deleted`.
    public var fromDeletedExport: Bool
    /// One entry per mapping, in config order.
    public var values: [MappedValue]
    /// Raw values of the source attributes that feed a matching mapping (`[id]`, `[userPrincipalName]`, ...),
    /// with a guest UPN also in its `alias@domain` form: a target holding one of them is protected when this
    /// record is skipped (SPEC §6 safety rules).
    public var rawMatchingValues: [String] = []
    public var diagnostics: [Diagnostic]

    /// The mapped value of a target, if mapped and non-null.
    public func value(for target: SCIMAttributePath) -> AttributeValue? {
        values.first(where: { $0.target == target })?.value
    }

    /// Matching attributes in precedence order (1 first), with their values (possibly `nil`).
    public var matchingValues: [MappedValue] {
        values.filter { $0.matchingPrecedence != nil }.sorted {
            ($0.matchingPrecedence ?? 0) < ($1.matchingPrecedence ?? 0)
        }
    }
}

/// Evaluates the configured mappings for each record (SPEC §4 "Mappings").
public struct DesiredUserBuilder: Sendable {
    public let mappings: [AttributeMapping]
    private let typedDefaults: [AttributeValue?]
    private let matchingSourceKeys: [AttributeKey]

    public init(mappings: [AttributeMapping]) {
        self.mappings = mappings
        self.matchingSourceKeys = mappings.filter { $0.matchingPrecedence != nil }
            .reduce(into: Set<AttributeKey>()) { $0.formUnion($1.source.referencedAttributes) }.sorted()
        self.typedDefaults = mappings.map { mapping in
            var ignored: [String] = []
            return mapping.defaultValue.flatMap { mapping.valueType.convert(.string($0), diagnostics: &ignored) }
        }
    }

    /// The record attributes the mappings read (for projection).
    public var referencedAttributes: Set<AttributeKey> {
        mappings.reduce(into: Set<AttributeKey>()) { $0.formUnion($1.source.referencedAttributes) }
    }

    /// Maps one record. `[IsSoftDeleted]` is "not in scope".
    public func build(_ record: SourceRecord, scope: ScopeDecision, fromDeletedExport: Bool) -> DesiredUser {
        let context = ExpressionContext(record: record, isSoftDeleted: !scope.inScope, appRoleValues: scope.roleValues)
        var values: [DesiredUser.MappedValue] = []
        values.reserveCapacity(mappings.count)
        var diagnostics: [Diagnostic] = []
        for (index, mapping) in mappings.enumerated() {
            let result = mapping.valueType.convert(mapping.source.evaluate(in: context))
            for message in result.diagnostics {
                diagnostics.append(
                    Diagnostic(
                        .warning, file: record.origin.file, line: record.origin.line, "\(mapping.target): \(message)"))
            }
            values.append(
                DesiredUser.MappedValue(
                    target: mapping.target, value: result.ignoreFlow ? nil : result.value,
                    createDefault: result.ignoreFlow ? nil : typedDefaults[index], apply: mapping.apply,
                    caseExact: mapping.caseExact, matchingPrecedence: mapping.matchingPrecedence))
        }
        var user = DesiredUser(
            origin: record.origin, sourceId: record[ScopeEvaluator.idKey]?.scalarText,
            userPrincipalName: record[ScopeEvaluator.userPrincipalNameKey]?.scalarText, scope: scope,
            fromDeletedExport: fromDeletedExport, values: values, diagnostics: diagnostics)
        user.rawMatchingValues = rawMatchingValues(of: record)
        return user
    }

    /// The raw values of the attributes that feed matching mappings (see `DesiredUser.rawMatchingValues`).
    public func rawMatchingValues(of record: SourceRecord) -> [String] {
        var raw: [String] = []
        for key in matchingSourceKeys {
            guard let value = record[key] else { continue }
            let texts: [String]
            if case .multi(let items) = value {
                texts = items.compactMap(\.scalarText)
            } else {
                texts = value.scalarText.map { [$0] } ?? []
            }
            for text in texts {
                raw.append(text)
                if GuestUserPrincipalName.isGuest(text) { raw.append(GuestUserPrincipalName.externalForm(of: text)) }
            }
        }
        return raw
    }
}
