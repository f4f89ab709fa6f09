import Foundation

/// `teprov plan` end to end (SPEC §6, §7): read, normalize, scope, reconcile, order, seal.
public struct PlanPipeline: Sendable {
    /// What `teprov plan` was asked to do.
    public struct Options: Sendable {
        public var users: [String]
        public var deleted: [String] = []
        public var directory = DirectoryInputPaths()
        public var configPath: String?
        public var scopeOverride: TeprovConfig.ScopeMode?
        public var snapshot: String
        public var explain: [String] = []
        public var allowEmptySource = false
        public var allowIncompleteSnapshot = false
        /// Compute the digest (`Plan.sealed()`); off when the caller seals while writing the file
        /// (`PlanFile.writeSealing`), which serializes the plan once instead of twice.
        public var seal = true
        /// `createdAt`; tests pass a fixed time.
        public var now = Date()
        /// Free the users, targets and indexes once reconciled (on another thread); off for a command that exits
        /// right after writing the plan, which then never frees them (`RetiredState.keepUntilExit`).
        public var freesReconciledState = true

        public init(users: [String], snapshot: String) {
            self.users = users
            self.snapshot = snapshot
        }
    }

    /// The plan and the `--explain` blocks.
    public struct Outcome: Sendable {
        public var plan: Plan
        public var explanations: [(String, [String])]
    }

    /// Requests per minute the estimate assumes: 75% of ThousandEyes' 240/min organisation limit.
    public static let defaultRateLimit = 180

    public static func run(_ options: Options) throws -> Outcome {
        var config = try options.configPath.map { try ConfigLoader.load(path: $0) } ?? TeprovConfig()
        if let scope = options.scopeOverride { config.scope = scope }
        if config.scope == .assigned, options.directory.assignments == nil {
            throw TeprovError(
                .usage, "scope \"assigned\" needs --assignments; give the assignments export or use --scope all")
        }
        // The million users and targets are freed on the second core while this one orders and seals the plan.
        let retired = RetiredState()
        var stage = try reconcile(options, config: config, retiring: retired)
        if options.freesReconciledState { retired.releaseInBackground() } else { retired.keepUntilExit() }
        let unordered = takeOperations(&stage)
        let result = stage.result
        var diagnostics = stage.diagnostics
        if result.summary.create > 0 {
            diagnostics.append(
                Diagnostic(
                    .info, file: "", line: nil,
                    "ThousandEyes gives new SCIM users the organisation's default SCIM role in all account groups "
                        + "(roles cannot be set over SCIM)"))
        }

        let operations = PlanOrdering.ordered(unordered)
        var summary = result.summary
        summary.sourceRecords = stage.sourceRecords
        // Read in place: iterating the array (`reduce`, `filter`) would copy each operation out of it.
        var requests = 0
        var deletions = 0
        var held = false
        operations.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                requests += PlanOrdering.estimatedRequests(
                    buffer[index].action, precondition: buffer[index].precondition != nil,
                    version: buffer[index].precondition?.version != nil)
                let action = buffer[index].action
                if action == .disable || action == .delete { deletions += 1 }
                if buffer[index].held { held = true }
            }
        }
        summary.estimatedRequests = requests
        summary.estimatedDuration = PlanOrdering.isoDuration(
            seconds: Int((Double(summary.estimatedRequests) * 60 / Double(defaultRateLimit)).rounded(.up)))
        let safety = Plan.Safety(
            deletionThreshold: config.safety.deletionThreshold,
            deletionThresholdPercent: config.safety.deletionThresholdPercent, managedTargets: result.managedTargets,
            deletions: deletions, held: held)

        // The inputs' hashes are needed only now: the idle-priority hashing had the whole run to work them out.
        let inputMembers = try stage.inputMembers()
        let plan = Plan(
            createdAt: Self.timestamp(options.now), targetURL: stage.snapshotInfo.source,
            snapshotCapturedAt: stage.snapshotInfo.capturedAt, inputs: .object(inputMembers), summary: summary,
            safety: safety, operations: operations, skipped: result.skipped, diagnostics: diagnostics)
        let explanations = options.explain.map { ($0, result.explanations[$0] ?? []) }
        return Outcome(plan: options.seal ? plan.sealed() : plan, explanations: explanations)
    }

    /// What the read-and-reconcile stage hands to the assembly of the plan.
    struct ReconciledStage {
        var result: ReconcileResult
        var diagnostics: [Diagnostic]
        var sourceRecords: Int
        var snapshotInfo: SnapshotInfo
        /// The plan's `inputs` members; works out (or waits for) the files' hashes.
        var inputMembers: () throws -> [(String, JSONValue)]
    }

    /// The operations of the stage, moved out (so that ordering them copies none).
    private static func takeOperations(_ stage: inout ReconciledStage) -> [PlanOperation] {
        var operations: [PlanOperation] = []
        swap(&operations, &stage.result.operations)
        return operations
    }

    /// Reads every input (the snapshot on the second core), scopes, maps and reconciles. The big structures
    /// (users, targets, indexes) end up in `retiring`, the only place still holding them when this returns.
    static func reconcile(_ options: Options, config: TeprovConfig, retiring: RetiredState) throws
        -> ReconciledStage
    {
        // The second core reads the snapshot and indexes its users meanwhile; the inputs are hashed at idle
        // priority in the time left over (`InputHashes`).
        let preparation = startPreparation(options, config: config)
        var reconciled = false
        defer { if !reconciled { preparation.hashes.stop() } }
        let sources = try readSources(options, config: config)
        let users = sources.users
        let invalid = sources.invalid
        var diagnostics = sources.diagnostics
        let prepared = try preparation.work.value()
        // Read in place: `for user in users` would copy each user, retaining and releasing all it holds.
        users.withUnsafeBufferPointer { users in
            for index in users.indices where !users[index].diagnostics.isEmpty {
                diagnostics += users[index].diagnostics
            }
        }
        diagnostics += sources.entitlementDiagnostics
        try checkInvalidLimits(invalid: invalid.count, valid: users.count, config: config)
        let liveRecords = sources.liveRecords
        let explainDetails = sources.explainDetails

        let snapshot = try prepared.snapshot.get()
        let (info, targets) = (snapshot.info, snapshot.targets)
        let managedCount = snapshot.indexes.managed.reduce(0) { $0 + ($1 ? 1 : 0) }
        if liveRecords == 0, managedCount > 0, !options.allowEmptySource {
            throw TeprovError(
                .input,
                "the exports hold no valid user while the snapshot has \(managedCount) managed users; a plan would "
                    + "deprovision everyone — check the export, or pass --allow-empty-source if that is really intended",
                file: options.users.first)
        }
        let described = DescribedInputs(
            userSummaries: sources.userSummaries, deletedSummaries: sources.deletedSummaries,
            assignmentCount: sources.assignmentCount, appRoleCount: sources.inputs.appRoles?.count ?? 0,
            groupCount: sources.inputs.groups.count, snapshot: info)
        let hashes = prepared.hashes

        var reconcileInput = ReconcileInput(
            config: config, users: users, invalidRecords: invalid, targets: targets, snapshotComplete: info.complete,
            explain: options.explain)
        reconcileInput.explainDetails = explainDetails
        reconcileInput.targetIndexes = snapshot.indexes
        let result = Reconciler.reconcile(reconcileInput)
        retiring.keep(reconcileInput, users, prepared, snapshot)
        reconciled = true
        return ReconciledStage(
            result: result, diagnostics: diagnostics + result.diagnostics, sourceRecords: users.count,
            snapshotInfo: info,
            inputMembers: {
                defer { hashes.stop() }
                return try described.members(options, config: config, sha256: hashes.sha256)
            })
    }

    /// What the plan's `inputs` says besides the hashes.
    struct DescribedInputs {
        var userSummaries: [ReadSummary]
        var deletedSummaries: [ReadSummary]
        var assignmentCount: Int
        var appRoleCount: Int
        var groupCount: Int
        var snapshot: SnapshotInfo

        /// The plan's `inputs` members (SPEC §7).
        func members(_ options: Options, config: TeprovConfig, sha256: (String) throws -> String) throws
            -> [(String, JSONValue)]
        {
            let userInputs = try userSummaries.map { try fileInput($0, sha256: sha256($0.path)) }
            let deletedInputs = try deletedSummaries.map { try fileInput($0, sha256: sha256($0.path)) }
            var inputMembers: [(String, JSONValue)] = [("users", .array(userInputs))]
            if let path = options.directory.assignments {
                inputMembers.append(
                    ("assignments", try hashedInput(path, sha256: sha256(path), [("records", count(assignmentCount))])))
            }
            if let path = options.directory.appRoles {
                inputMembers.append(
                    ("appRoles", try hashedInput(path, sha256: sha256(path), [("roles", count(appRoleCount))])))
            }
            if let path = options.directory.groupMembers {
                inputMembers.append(
                    ("groupMembers", try hashedInput(path, sha256: sha256(path), [("groups", count(groupCount))])))
            }
            if !deletedInputs.isEmpty { inputMembers.append(("deleted", .array(deletedInputs))) }
            var snapshotMembers: [(String, JSONValue)] = [
                ("users", .int(Int64(snapshot.users))), ("format", .string(snapshot.format)),
                ("complete", .bool(snapshot.complete)),
            ]
            if let source = snapshot.source { snapshotMembers.append(("source", .string(source))) }
            inputMembers.append(
                ("snapshot", try hashedInput(options.snapshot, sha256: sha256(options.snapshot), snapshotMembers)))
            var configMembers: [(String, JSONValue)] = []
            if let path = options.configPath {
                configMembers.append(("path", .string(path)))
                configMembers.append(("sha256", .string(try sha256(path))))
            }
            configMembers.append(("effective", config.effectiveJSON))
            inputMembers.append(("config", .object(configMembers)))
            return inputMembers
        }
    }

    /// What `readSources` read: the desired users and what the plan says about the inputs.
    struct SourceRead {
        var inputs: DirectoryInputs
        var assignmentCount: Int
        var users: [DesiredUser] = []
        var invalid: [InvalidRecord] = []
        /// The directory inputs' and the exports' diagnostics (not the users' own).
        var diagnostics: [Diagnostic]
        /// The entitlement index's diagnostics and the SPEC §3 "different identifiers" warning.
        var entitlementDiagnostics: [Diagnostic] = []
        var liveRecords = 0
        var userSummaries: [ReadSummary] = []
        var deletedSummaries: [ReadSummary] = []
        var explainDetails: [RecordOrigin: [String]] = [:]
    }

    /// Reads the directory inputs and the exports, and normalizes and scopes every record. The entitlement
    /// index (about 80 MB at a million users) is needed only here, so it is freed when this returns instead
    /// of staying alive through reconciling, where the plan's memory peaks.
    static func readSources(_ options: Options, config: TeprovConfig) throws -> SourceRead {
        let (inputs, assignmentCount, entitlements) = try options.directory.loadIndexed(
            skipDefaultAccess: config.skipDefaultAccess)
        let normalization = try Normalization(config: config, entitlements: entitlements)
        var projectionKeys = normalization.projection.keys
        projectionKeys.formUnion(["mail", "displayName", "givenName", "surname"])
        let projection = AttributeProjection(projectionKeys)

        var read = SourceRead(inputs: inputs, assignmentCount: assignmentCount, diagnostics: inputs.diagnostics)
        // Separate variables: two `inout` accesses to members of `read` from the closure would conflict.
        var users: [DesiredUser] = []
        var explainDetails: [RecordOrigin: [String]] = [:]
        var resolvedAssignees = 0
        let explainer =
            options.explain.isEmpty ? nil : ImportExplanation(names: options.explain, scope: normalization.scope)
        /// Reads `--users` (deleted: false) or `--deleted` files; returns their summaries.
        func readAll(_ paths: [String], deleted: Bool) throws -> [ReadSummary] {
            try paths.map { path in
                let summary = try readExport(
                    path, projection, normalization, deleted: deleted, explainer: explainer, into: &users,
                    explainDetails: &explainDetails, resolvedAssignees: &resolvedAssignees)
                if !deleted { read.liveRecords += summary.records }
                read.invalid += summary.invalidRecords
                read.diagnostics += summary.diagnostics
                return summary
            }
        }
        read.userSummaries = try readAll(options.users, deleted: false)
        read.deletedSummaries = try readAll(options.deleted, deleted: true)
        swap(&read.users, &users)
        swap(&read.explainDetails, &explainDetails)
        if let entitlements = normalization.entitlements {
            read.entitlementDiagnostics += entitlements.diagnostics
            // Records named directly by a `User` assignment, counted while scoping (SPEC §3 warning).
            if let file = options.directory.assignments,
                let warning = entitlements.identifierMismatchWarning(resolved: resolvedAssignees, file: file)
            {
                read.entitlementDiagnostics.append(warning)
            }
        }
        return read
    }

    private static func count(_ value: Int) -> JSONValue { .int(Int64(value)) }

    static func readExport(
        _ path: String, _ projection: AttributeProjection, _ normalization: Normalization, deleted: Bool,
        explainer: ImportExplanation?, into users: inout [DesiredUser], explainDetails: inout [RecordOrigin: [String]],
        resolvedAssignees: inout Int
    ) throws -> ReadSummary {
        var collected: [DesiredUser] = []
        // Room for the records a file of this size may hold (a CSV row of the Entra download is about 300
        // bytes, a JSON or XML record more): growing the array step by step copies every user again and
        // again, and touches fresh memory each time. Room that stays unused is never touched, so it costs
        // address space, not memory.
        collected.reserveCapacity(min(ExportReader.fileSize(path) / 256, 50_000_000))
        var details: [RecordOrigin: [String]] = [:]
        var resolved = 0
        var hint = -1
        let context = ReadContext(path: path, projection: projection) { record in
            var hasUserAssignment = false
            collected.append(
                normalization.normalize(
                    record, fromDeletedExport: deleted, hint: &hint, hasUserAssignment: &hasUserAssignment))
            if hasUserAssignment, !deleted { resolved += 1 }
            if let explainer, explainer.concerns(record) {
                details[record.origin] = explainer.lines(for: record, fromDeletedExport: deleted)
            }
        }
        let summary = try ExportReader.read(path: path, context: context)
        if users.isEmpty { swap(&users, &collected) } else { users += collected }
        resolvedAssignees += resolved
        explainDetails.merge(details) { first, _ in first }
        return summary
    }

    static func fileInput(_ summary: ReadSummary, sha256: String) throws -> JSONValue {
        .object([
            ("path", .string(summary.path)), ("sha256", .string(sha256)),
            ("format", .string(summary.format.description)), ("records", .int(Int64(summary.records))),
            ("invalid", .int(Int64(summary.invalid))),
        ])
    }

    static func hashedInput(_ path: String, sha256: String, _ extra: [(String, JSONValue)]) throws -> JSONValue {
        .object([("path", .string(path)), ("sha256", .string(sha256))] + extra)
    }

    /// SPEC §6: too many invalid records → no plan.
    static func checkInvalidLimits(invalid: Int, valid: Int, config: TeprovConfig) throws {
        guard invalid > 0 else { return }
        let total = invalid + valid
        let percent = Double(invalid) * 100 / Double(max(total, 1))
        if invalid > config.safety.maxInvalidRecords || percent > config.safety.maxInvalidPercent {
            throw TeprovError(
                .input,
                "\(invalid) of \(total) records are invalid (limits: safety.maxInvalidRecords "
                    + "\(config.safety.maxInvalidRecords), safety.maxInvalidPercent \(config.safety.maxInvalidPercent)%); "
                    + "fix the export (teprov validate lists every problem) before planning")
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
