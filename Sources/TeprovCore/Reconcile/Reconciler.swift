/// Decides, per SPEC §6, what must happen to each target: the heart of `teprov plan`.
///
/// Work is linear in users + targets: targets are indexed once by externalId, userName and identity
/// email; each source user is then matched with a few dictionary look-ups.
public enum Reconciler {
    public static func reconcile(_ input: ReconcileInput) -> ReconcileResult {
        let run = ReconcileRun(input)
        run.run()
        return run.result()
    }
}

/// The mutable state of one reconciliation.
final class ReconcileRun {
    let input: ReconcileInput
    let config: TeprovConfig
    let targets: [TargetUser]
    /// Each mapping's facts by slot (the position of its value in `DesiredUser`: `input.users` are built
    /// from `config.mappings`).
    let slots: MappingSlots
    let requests: RequestBuilder

    // Target indexes.
    let indexes: TargetIndexes
    var managed: [Bool] { indexes.managed }

    // Per-target state.
    var claimedBy: TargetClaims
    var protectedTargets: Set<Int> = []
    var deletedTargets: Set<Int> = []

    // Values that protect targets (from invalid, skipped and duplicated records).
    var protectedExternalIds: Set<String> = []
    var protectedUserNames: Set<String> = []
    var sourceIncomplete = false

    // Per-user state.
    var skippedUsers: [Bool]
    var matchedTarget: [Int?]
    var matchedBy: [String?]

    // Output.
    var operations: [PlanOperation] = []
    var skipped: [SkippedEntry] = []
    var summary = Plan.Summary()
    var diagnostics: [Diagnostic] = []
    var pendingWrites: [PendingWrite] = []
    var pendingDeprovisions: [PendingDeprovision] = []
    var explainUsers: [Int: String] = [:]
    var explainTargets: [Int: String] = [:]
    var explanations: [String: [String]] = [:]

    /// A create or update whose identity conflicts can only be checked once every delete is known.
    struct PendingWrite {
        var user: Int
        var target: Int?
        var operation: PlanOperation
        var newUserName: String?
        var newIdentity: String?
    }

    /// A disable or delete decided; its operation is built with the others (`settlePendingDeprovisions`).
    struct PendingDeprovision {
        var action: PlanAction
        var target: Int
        var reason: String
        var user: Int?
    }

    init(_ input: ReconcileInput) {
        self.input = input
        self.config = input.config
        self.targets = input.targets
        // `compare.ignore` as paths: sent on create, never compared.
        let ignoredPaths = Set(input.config.compareIgnore.compactMap { try? SCIMAttributePath(parsing: $0) })
        self.slots = MappingSlots(
            config: input.config, ignoredPaths: ignoredPaths, snapshotLayout: input.targets.first?.store.layout)
        self.requests = RequestBuilder(config: input.config, slots: slots)
        if let indexes = input.targetIndexes, indexes.count == input.targets.count {
            self.indexes = indexes
        } else {
            self.indexes = TargetIndexes(targets: input.targets, externalIdPattern: input.config.externalIdPattern)
        }
        self.claimedBy = TargetClaims(targets: input.targets.count)
        self.skippedUsers = Array(repeating: false, count: input.users.count)
        self.matchedTarget = Array(repeating: nil, count: input.users.count)
        self.matchedBy = Array(repeating: nil, count: input.users.count)
    }

    func run() {
        setUpExplain()
        protectFromInvalidRecords()
        dropDeletedDuplicatesOfUsers()
        skipRecordsWithoutMatchingValues()
        skipDuplicateSources()
        matchUsers()
        skipContestedTargets()
        decideUsers()
        decideOrphans()
        settlePendingDeprovisions()
        settlePendingWrites()
        applyProtectedUsers()
        applyDeletionGuard()
    }

    func result() -> ReconcileResult {
        var summary = self.summary
        summary.sourceRecords = input.users.count
        summary.invalid = input.invalidRecords.count
        // Read in place: `for operation in operations` would copy each operation, retaining all it holds.
        operations.withUnsafeBufferPointer { operations in
            for index in operations.indices {
                switch operations[index].action {
                case .create: summary.create += 1
                case .update: summary.update += 1
                case .disable: summary.disable += 1
                case .delete: summary.delete += 1
                }
                if operations[index].held { summary.held += 1 }
            }
        }
        for entry in skipped { summary.skipped[entry.reason, default: 0] += 1 }
        var rendered: [String: [String]] = [:]
        for name in input.explain {
            rendered[name] = explanations[name] ?? ["\(name): no source record or target user has this name or id"]
        }
        return ReconcileResult(
            operations: operations, skipped: skipped, summary: summary, managedTargets: managed.filter { $0 }.count,
            diagnostics: diagnostics, explanations: rendered)
    }

    // MARK: targets

    func isProtected(_ target: Int) -> Bool {
        if protectedTargets.contains(target) { return true }
        if let externalId = targets[target].externalId, protectedExternalIds.contains(externalId) { return true }
        if let userName = targets[target].userName, protectedUserNames.contains(ValueComparison.folded(userName)) {
            return true
        }
        return false
    }

    func protect(values: [String]) {
        for value in values {
            protectedExternalIds.insert(value)
            protectedUserNames.insert(ValueComparison.folded(value))
        }
    }

    // MARK: references

    func sourceReference(_ user: Int) -> SourceReference {
        withUser(user) { desired in
            SourceReference(
                id: desired.pointee.sourceId, userPrincipalName: desired.pointee.userPrincipalName,
                file: desired.pointee.origin.file, line: desired.pointee.origin.line)
        }
    }

    func targetReference(_ target: Int) -> TargetReference {
        TargetReference(id: targets[target].id, userName: targets[target].userName)
    }

    func skip(_ user: Int?, target: Int?, _ reason: String, _ detail: String) {
        if let user { skippedUsers[user] = true }
        skipped.append(
            SkippedEntry(
                reason: reason, source: user.map(sourceReference), target: target.map(targetReference), detail: detail))
        if let user { trace(user: user, "decision: skip \(reason): \(detail)") }
        if let target { trace(target: target, "decision: skip \(reason): \(detail)") }
    }
}
