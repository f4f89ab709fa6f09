/// A reviewable provisioning plan (SPEC §7): what must be created, updated, disabled or deleted.
public struct Plan: Sendable {
    public static let formatVersion = 1

    public struct Summary: Sendable, Hashable {
        public var sourceRecords = 0
        public var invalid = 0
        public var inScope = 0
        public var outOfScope = 0
        public var create = 0
        public var update = 0
        public var disable = 0
        public var delete = 0
        public var noop = 0
        /// Skips by reason, sorted by reason when serialized.
        public var skipped: [String: Int] = [:]
        public var unmanaged = 0
        public var held = 0
        public var estimatedRequests = 0
        /// ISO 8601 duration at the default rate limit, e.g. `PT2M30S`.
        public var estimatedDuration = "PT0S"

        public init() {}
    }

    public struct Safety: Sendable, Hashable {
        public var deletionThreshold: Int
        public var deletionThresholdPercent: Double
        public var managedTargets: Int
        public var deletions: Int
        public var held: Bool

        public init(
            deletionThreshold: Int, deletionThresholdPercent: Double, managedTargets: Int, deletions: Int, held: Bool
        ) {
            self.deletionThreshold = deletionThreshold
            self.deletionThresholdPercent = deletionThresholdPercent
            self.managedTargets = managedTargets
            self.deletions = deletions
            self.held = held
        }
    }

    public var toolVersion: String
    public var createdAt: String
    /// `sha256:<hex>` of the canonical plan without this field; empty until `sealed()`.
    public var digest: String
    public var targetURL: String?
    public var snapshotCapturedAt: String?
    /// `inputs` as SPEC §7 lays it out (paths, hashes, formats, counts, effective config).
    public var inputs: JSONValue
    public var summary: Summary
    public var safety: Safety
    public var operations: [PlanOperation]
    public var skipped: [SkippedEntry]
    public var diagnostics: [Diagnostic]

    public init(
        toolVersion: String = TeprovVersion.current, createdAt: String, targetURL: String?, snapshotCapturedAt: String?,
        inputs: JSONValue, summary: Summary, safety: Safety, operations: [PlanOperation], skipped: [SkippedEntry],
        diagnostics: [Diagnostic]
    ) {
        self.toolVersion = toolVersion
        self.createdAt = createdAt
        self.digest = ""
        self.targetURL = targetURL
        self.snapshotCapturedAt = snapshotCapturedAt
        self.inputs = inputs
        self.summary = summary
        self.safety = safety
        self.operations = operations
        self.skipped = skipped
        self.diagnostics = diagnostics
    }
}
