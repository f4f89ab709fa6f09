/// A record the readers rejected, with what could still be read of it (for protection, SPEC §6).
public struct InvalidRecord: Sendable {
    public var origin: RecordOrigin
    /// The attributes the reader could read before giving up (may be empty).
    public var partial: SourceRecord?

    public init(origin: RecordOrigin, partial: SourceRecord?) {
        self.origin = origin
        self.partial = partial
    }
}

/// Everything the reconciler decides from (SPEC §6).
public struct ReconcileInput: Sendable {
    public var config: TeprovConfig
    /// Normalized users from `--users` and `--deleted`, in reading order.
    public var users: [DesiredUser]
    public var invalidRecords: [InvalidRecord]
    public var targets: [TargetUser]
    /// `false` when the snapshot was incomplete and `--allow-incomplete-snapshot` was given: no disables or deletes.
    public var snapshotComplete: Bool
    /// Source attributes that feed a matching mapping (their raw values protect targets).
    public var matchingSourceAttributes: Set<AttributeKey>
    /// Users to explain (`--explain`), matched case-insensitively against UPN, id, mail and target userName.
    public var explain: [String]
    /// `--explain` lines of the import and scope steps (raw values, each scoping check), per record origin.
    public var explainDetails: [RecordOrigin: [String]] = [:]
    /// `targets` already indexed (built while the exports were read); built by the reconciler when `nil`.
    var targetIndexes: TargetIndexes?

    public init(
        config: TeprovConfig, users: [DesiredUser], invalidRecords: [InvalidRecord], targets: [TargetUser],
        snapshotComplete: Bool, explain: [String] = []
    ) {
        self.config = config
        self.users = users
        self.invalidRecords = invalidRecords
        self.targets = targets
        self.snapshotComplete = snapshotComplete
        self.explain = explain
        self.matchingSourceAttributes = config.mappings.filter { $0.matchingPrecedence != nil }
            .reduce(into: Set<AttributeKey>()) { $0.formUnion($1.source.referencedAttributes) }
    }
}

/// What the reconciler decided: operations (unordered, without ids), skips, counts, explanations.
public struct ReconcileResult: Sendable {
    public var operations: [PlanOperation]
    public var skipped: [SkippedEntry]
    public var summary: Plan.Summary
    public var managedTargets: Int
    public var diagnostics: [Diagnostic]
    /// One block of lines per `--explain` name.
    public var explanations: [String: [String]]
}
