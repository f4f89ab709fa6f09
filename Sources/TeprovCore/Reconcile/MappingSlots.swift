/// What the reconciler reads about each mapping, by slot (its position in the config, which is also the
/// position of its value in `DesiredUser`), worked out once per plan instead of once per user.
struct MappingSlots {
    let targets: [SCIMAttributePath]
    /// `targets[slot].description`, the attribute name an `AttributeChange` shows.
    let targetTexts: [String]
    /// `apply: always` and not in `compare.ignore`: compared on update.
    let compared: [Bool]
    let caseExact: [Bool]
    let isActive: [Bool]
    let isUserName: [Bool]
    let isWorkEmail: [Bool]
    /// How each target's current value is read from a snapshot user.
    let accessors: [TargetAttributeAccessor]
    /// The first slot mapping the work e-mail, `userName`, `externalId` (what `DesiredUser.value(for:)` finds).
    let workEmailSlot: Int?
    let userNameSlot: Int?
    let externalIdSlot: Int?
    /// The matching mappings in precedence order, and the slot whose value each one matches with.
    let matchers: [AttributeMapping]
    let matcherSlots: [Int?]
    let matcherIsUserName: [Bool]
    /// `matchers[i].target.description`.
    let matcherTexts: [String]

    init(config: TeprovConfig, ignoredPaths: Set<SCIMAttributePath>, snapshotLayout: SnapshotAttributeLayout?) {
        let mappings = config.mappings
        targets = mappings.map(\.target)
        targetTexts = targets.map(\.description)
        compared = mappings.map { $0.apply == .always && !ignoredPaths.contains($0.target) }
        caseExact = mappings.map(\.caseExact)
        isActive = targets.map { $0.attribute == "active" }
        isUserName = targets.map { $0.attribute == "userName" }
        isWorkEmail = targets.map { $0 == .workEmail }
        accessors = targets.map { TargetAttributeAccessor(path: $0, layout: snapshotLayout) }
        workEmailSlot = targets.firstIndex { $0 == .workEmail }
        userNameSlot = targets.firstIndex { $0.attribute == "userName" }
        externalIdSlot = targets.firstIndex { $0.attribute == "externalId" }
        let targets = self.targets
        matchers = mappings.filter { $0.matchingPrecedence != nil }
            .sorted { ($0.matchingPrecedence ?? 0) < ($1.matchingPrecedence ?? 0) }
        matcherSlots = matchers.map { matcher in targets.firstIndex { $0 == matcher.target } }
        matcherIsUserName = matchers.map { $0.target.attribute == "userName" }
        matcherTexts = matchers.map(\.target.description)
    }
}
