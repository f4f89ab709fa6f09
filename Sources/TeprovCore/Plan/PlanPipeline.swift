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
        /// `createdAt`; tests pass a fixed time.
        public var now = Date()

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
        let inputs = try options.directory.load()
        let normalization = try Normalization(config: config, inputs: inputs)
        var projectionKeys = normalization.projection.keys
        projectionKeys.formUnion(["mail", "displayName", "givenName", "surname"])
        let projection = AttributeProjection(projectionKeys)

        var users: [DesiredUser] = []
        var invalid: [InvalidRecord] = []
        var diagnostics = inputs.diagnostics
        var liveRecords = 0
        let explainer =
            options.explain.isEmpty ? nil : ImportExplanation(names: options.explain, scope: normalization.scope)
        var explainDetails: [RecordOrigin: [String]] = [:]
        /// Reads `--users` (deleted: false) or `--deleted` files; returns their `inputs` entries.
        func readAll(_ paths: [String], deleted: Bool) throws -> [JSONValue] {
            try paths.map { path in
                let summary = try readExport(
                    path, projection, normalization, deleted: deleted, explainer: explainer, into: &users,
                    explainDetails: &explainDetails)
                if !deleted { liveRecords += summary.records }
                invalid += summary.invalidRecords
                diagnostics += summary.diagnostics
                return try fileInput(summary)
            }
        }
        let userInputs = try readAll(options.users, deleted: false)
        let deletedInputs = try readAll(options.deleted, deleted: true)
        for user in users { diagnostics += user.diagnostics }
        if let entitlements = normalization.entitlements {
            diagnostics += entitlements.diagnostics
            let resolved = users.reduce(0) { count, user in
                guard !user.fromDeletedExport, let id = user.sourceId else { return count }
                return count + (entitlements.entitlement(forUserId: id).hasUserAssignment ? 1 : 0)
            }
            if let file = options.directory.assignments,
                let warning = entitlements.identifierMismatchWarning(resolved: resolved, file: file)
            {
                diagnostics.append(warning)
            }
        }
        try checkInvalidLimits(invalid: invalid.count, valid: users.count, config: config)

        let snapshotPaths = Set(config.mappings.map(\.target))
        let (info, targets) = try SnapshotReader.read(
            path: options.snapshot,
            options: SnapshotReader.Options(
                paths: snapshotPaths, keepRawResources: config.updateMethod == .put,
                allowIncomplete: options.allowIncompleteSnapshot))
        let ownership = OwnershipRule(pattern: config.externalIdPattern)
        let managedCount = targets.reduce(0) { $0 + (($1.externalId.map(ownership.isManaged) ?? false) ? 1 : 0) }
        if liveRecords == 0, managedCount > 0, !options.allowEmptySource {
            throw TeprovError(
                .input,
                "the exports hold no valid user while the snapshot has \(managedCount) managed users; a plan would "
                    + "deprovision everyone — check the export, or pass --allow-empty-source if that is really intended",
                file: options.users.first)
        }

        var reconcileInput = ReconcileInput(
            config: config, users: users, invalidRecords: invalid, targets: targets, snapshotComplete: info.complete,
            explain: options.explain)
        reconcileInput.explainDetails = explainDetails
        let result = Reconciler.reconcile(reconcileInput)
        diagnostics += result.diagnostics
        if result.summary.create > 0 {
            diagnostics.append(
                Diagnostic(
                    .info, file: "", line: nil,
                    "ThousandEyes gives new SCIM users the organisation's default SCIM role in all account groups "
                        + "(roles cannot be set over SCIM)"))
        }

        let operations = PlanOrdering.ordered(result.operations)
        var summary = result.summary
        summary.sourceRecords = users.count
        summary.estimatedRequests = operations.reduce(0) { $0 + PlanOrdering.estimatedRequests($1) }
        summary.estimatedDuration = PlanOrdering.isoDuration(
            seconds: Int((Double(summary.estimatedRequests) * 60 / Double(defaultRateLimit)).rounded(.up)))
        let deletions = operations.filter { $0.action == .disable || $0.action == .delete }.count
        let safety = Plan.Safety(
            deletionThreshold: config.safety.deletionThreshold,
            deletionThresholdPercent: config.safety.deletionThresholdPercent, managedTargets: result.managedTargets,
            deletions: deletions, held: operations.contains { $0.held })

        var inputMembers: [(String, JSONValue)] = [("users", .array(userInputs))]
        if let path = options.directory.assignments {
            inputMembers.append(
                ("assignments", try hashedInput(path, [("records", .int(Int64(inputs.assignments?.count ?? 0)))])))
        }
        if let path = options.directory.appRoles {
            inputMembers.append(
                ("appRoles", try hashedInput(path, [("roles", .int(Int64(inputs.appRoles?.count ?? 0)))])))
        }
        if let path = options.directory.groupMembers {
            inputMembers.append(("groupMembers", try hashedInput(path, [("groups", .int(Int64(inputs.groups.count)))])))
        }
        if !deletedInputs.isEmpty { inputMembers.append(("deleted", .array(deletedInputs))) }
        var snapshotMembers: [(String, JSONValue)] = [
            ("users", .int(Int64(info.users))), ("format", .string(info.format)), ("complete", .bool(info.complete)),
        ]
        if let source = info.source { snapshotMembers.append(("source", .string(source))) }
        inputMembers.append(("snapshot", try hashedInput(options.snapshot, snapshotMembers)))
        var configMembers: [(String, JSONValue)] = []
        if let path = options.configPath {
            configMembers.append(("path", .string(path)))
            configMembers.append(("sha256", .string(try SHA256Digest.hex(ofFile: path))))
        }
        configMembers.append(("effective", config.effectiveJSON))
        inputMembers.append(("config", .object(configMembers)))

        let plan = Plan(
            createdAt: Self.timestamp(options.now), targetURL: info.source, snapshotCapturedAt: info.capturedAt,
            inputs: .object(inputMembers), summary: summary, safety: safety, operations: operations,
            skipped: result.skipped, diagnostics: diagnostics
        ).sealed()
        let explanations = options.explain.map { ($0, result.explanations[$0] ?? []) }
        return Outcome(plan: plan, explanations: explanations)
    }

    static func readExport(
        _ path: String, _ projection: AttributeProjection, _ normalization: Normalization, deleted: Bool,
        explainer: ImportExplanation?, into users: inout [DesiredUser], explainDetails: inout [RecordOrigin: [String]]
    ) throws -> ReadSummary {
        var collected: [DesiredUser] = []
        var details: [RecordOrigin: [String]] = [:]
        let context = ReadContext(path: path, projection: projection) { record in
            collected.append(normalization.normalize(record, fromDeletedExport: deleted))
            if let explainer, explainer.concerns(record) {
                details[record.origin] = explainer.lines(for: record, fromDeletedExport: deleted)
            }
        }
        let summary = try ExportReader.read(path: path, context: context)
        users += collected
        explainDetails.merge(details) { first, _ in first }
        return summary
    }

    static func fileInput(_ summary: ReadSummary) throws -> JSONValue {
        .object([
            ("path", .string(summary.path)), ("sha256", .string(try SHA256Digest.hex(ofFile: summary.path))),
            ("format", .string(summary.format.description)), ("records", .int(Int64(summary.records))),
            ("invalid", .int(Int64(summary.invalid))),
        ])
    }

    static func hashedInput(_ path: String, _ extra: [(String, JSONValue)]) throws -> JSONValue {
        .object([("path", .string(path)), ("sha256", .string(try SHA256Digest.hex(ofFile: path)))] + extra)
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
