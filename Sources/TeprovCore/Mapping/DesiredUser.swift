/// A source user as the target should see it: the mapped SCIM values, the scope decision, and
/// where the record came from. Produced by `DesiredUserBuilder`; the reconciler consumes it.
///
/// Kept small because a plan holds a million of them: the mapped values are stored by mapping position
/// ("slot"), and what every user shares (targets, defaults, `apply`, `caseExact`, precedence) lives once
/// in a `MappingLayout`.
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
    public var diagnostics: [Diagnostic]
    /// What every user of the run shares about the mappings.
    let layout: MappingLayout
    /// The value of each mapping, by slot (position in the config).
    private(set) var mapped: [AttributeValue?]
    /// Slots whose expression met IgnoreFlowIfNullOrEmpty: their `default` does not apply (usually empty).
    private var ignoredFlowSlots: [Int]
    /// `rawMatchingValues` when they cannot be told from `sourceId` and `userPrincipalName` (usually empty).
    private var storedRawMatchingValues: [String]
    private var rawMatchingValuesAreStored: Bool

    /// A desired user. Goes through the memberwise initializer: the explicit one built the value in a
    /// temporary and copied it (a retain and a release of every reference it holds) into the result.
    static func make(
        origin: RecordOrigin, sourceId: String?, userPrincipalName: String?, scope: ScopeDecision,
        fromDeletedExport: Bool, diagnostics: [Diagnostic], layout: MappingLayout, mapped: [AttributeValue?],
        ignoredFlowSlots: [Int], storedRawMatchingValues: [String]?
    ) -> DesiredUser {
        DesiredUser(
            origin: origin, sourceId: sourceId, userPrincipalName: userPrincipalName, scope: scope,
            fromDeletedExport: fromDeletedExport, diagnostics: diagnostics, layout: layout, mapped: mapped,
            ignoredFlowSlots: ignoredFlowSlots, storedRawMatchingValues: storedRawMatchingValues ?? [],
            rawMatchingValuesAreStored: storedRawMatchingValues != nil)
    }

    /// The mapped value of slot `slot` (`nil` = not sent).
    @inline(__always)
    func value(at slot: Int) -> AttributeValue? { mapped[slot] }

    /// The value slot `slot` sends on create: its value, else the mapping's typed `default` (unless
    /// IgnoreFlowIfNullOrEmpty dropped the attribute).
    @inline(__always)
    func valueOnCreate(at slot: Int) -> AttributeValue? {
        if let value = mapped[slot] { return value }
        guard let fallback = layout.typedDefaults[slot], !ignoredFlowSlots.contains(slot) else { return nil }
        return fallback
    }

    /// One entry per mapping, in config order.
    public var values: [MappedValue] {
        layout.mappings.indices.map { slot in
            let mapping = layout.mappings[slot]
            let ignored = ignoredFlowSlots.contains(slot)
            return MappedValue(
                target: mapping.target, value: mapped[slot], createDefault: ignored ? nil : layout.typedDefaults[slot],
                apply: mapping.apply, caseExact: mapping.caseExact, matchingPrecedence: mapping.matchingPrecedence)
        }
    }

    /// `true` when both users map every slot to the same value and default (`values == other.values`).
    func hasSameValues(as other: DesiredUser) -> Bool {
        layout === other.layout
            ? mapped == other.mapped && ignoredFlowSlots == other.ignoredFlowSlots
            : values == other.values
    }

    /// Raw values of the source attributes that feed a matching mapping (`[id]`, `[userPrincipalName]`, ...),
    /// with a guest UPN also in its `alias@domain` form: a target holding one of them is protected when this
    /// record is skipped (SPEC §6 safety rules).
    public var rawMatchingValues: [String] {
        if rawMatchingValuesAreStored { return storedRawMatchingValues }
        var raw: [String] = []
        for key in layout.matchingSourceKeys {
            let text = key == ScopeEvaluator.idKey ? sourceId : userPrincipalName
            guard let text else { continue }
            raw.append(text)
            if GuestUserPrincipalName.isGuest(text) { raw.append(GuestUserPrincipalName.externalForm(of: text)) }
        }
        return raw
    }

    /// The mapped value of a target, if mapped and non-null.
    public func value(for target: SCIMAttributePath) -> AttributeValue? {
        layout.firstSlot(for: target).flatMap { mapped[$0] }
    }

    /// Matching attributes in precedence order (1 first), with their values (possibly `nil`).
    public var matchingValues: [MappedValue] {
        values.filter { $0.matchingPrecedence != nil }.sorted {
            ($0.matchingPrecedence ?? 0) < ($1.matchingPrecedence ?? 0)
        }
    }
}

/// What the users of one run share about the mappings: by slot (position in the config), each mapping
/// and its typed `default`; and the slots the reconciler looks up most.
public final class MappingLayout: Sendable {
    public let mappings: [AttributeMapping]
    /// Each mapping's `default` typed for its target.
    let typedDefaults: [AttributeValue?]
    /// The record attributes that feed matching mappings, sorted.
    let matchingSourceKeys: [AttributeKey]
    /// `true` when every matching source attribute is `[id]` or `[userPrincipalName]`, whose raw values each
    /// user keeps anyway (`sourceId`, `userPrincipalName`).
    let matchingSourcesAreKept: Bool
    /// The first slot whose target is the work e-mail, `userName`, `externalId`.
    let workEmailSlot: Int?
    let userNameSlot: Int?
    let externalIdSlot: Int?

    init(mappings: [AttributeMapping]) {
        self.mappings = mappings
        matchingSourceKeys = mappings.filter { $0.matchingPrecedence != nil }
            .reduce(into: Set<AttributeKey>()) { $0.formUnion($1.source.referencedAttributes) }.sorted()
        matchingSourcesAreKept = matchingSourceKeys.allSatisfy {
            $0 == ScopeEvaluator.idKey || $0 == ScopeEvaluator.userPrincipalNameKey
        }
        typedDefaults = mappings.map { mapping in
            var ignored: [String] = []
            return mapping.defaultValue.flatMap { mapping.valueType.convert(.string($0), diagnostics: &ignored) }
        }
        workEmailSlot = mappings.firstIndex { $0.target == .workEmail }
        userNameSlot = mappings.firstIndex { $0.target.attribute == "userName" }
        externalIdSlot = mappings.firstIndex { $0.target.attribute == "externalId" }
    }

    /// The first slot mapping `target`.
    func firstSlot(for target: SCIMAttributePath) -> Int? {
        mappings.firstIndex { $0.target == target }
    }
}
