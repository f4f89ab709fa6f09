/// `teprov validate --config ...`: the effective config and, with exports, per-user scope counts.
public struct ScopeValidation: Sendable {
    public var config: TeprovConfig
    /// Present when exports were given.
    public var counts: ScopeCounts?
    /// Diagnostics from the directory inputs, the scoping and the mappings.
    public var diagnostics: [Diagnostic]

    /// Scopes records as they are read, so `validate --config` never holds the exports in memory.
    public final class Counter {
        public let config: TeprovConfig
        /// `nil` when no export is checked (a config alone).
        public let normalization: Normalization?
        private let assignmentsFile: String?
        private var counts = ScopeCounts()
        private var diagnostics: [Diagnostic]
        /// Records named directly by a `User` assignment (for the "different identifiers" warning).
        private var resolvedAssignees = 0
        /// Where the last record's entitlement was found (the next record's is usually just after it).
        private var entitlementHint = -1
        /// Build every record's desired user as `plan` does, instead of scoping and diagnosing the mappings
        /// only: same counts and diagnostics, slower; `bin/bench scope` measures the full normalization so.
        public var buildsDesiredUsers = false

        /// Loads the config (defaults when `configPath` is nil) and, when exports will be scoped, the directory inputs.
        /// - Parameter scopeOverride: `--scope`, which wins over the config's `scope`.
        public init(
            configPath: String?, scopeOverride: TeprovConfig.ScopeMode?, directory: DirectoryInputPaths,
            scopesExports: Bool
        ) throws {
            var config = try configPath.map { try ConfigLoader.load(path: $0) } ?? TeprovConfig()
            if let scopeOverride { config.scope = scopeOverride }
            self.config = config
            assignmentsFile = directory.assignments
            if scopesExports {
                let (inputs, _, entitlements) = try directory.loadIndexed(skipDefaultAccess: config.skipDefaultAccess)
                normalization = try Normalization(config: config, entitlements: entitlements)
                diagnostics = inputs.diagnostics
            } else {
                normalization = nil
                diagnostics = []
            }
        }

        /// The attributes the config reads (what the readers need to keep).
        public var projection: AttributeProjection? { normalization?.projection }

        /// Scopes and maps one record.
        public func add(_ record: SourceRecord, fromDeletedExport: Bool) {
            guard let normalization else { return }
            if buildsDesiredUsers {
                var hasUserAssignment = false
                let user = normalization.normalize(
                    record, fromDeletedExport: fromDeletedExport, hint: &entitlementHint,
                    hasUserAssignment: &hasUserAssignment)
                counts.add(user.scope)
                if !fromDeletedExport {
                    diagnostics += user.diagnostics
                    if hasUserAssignment { resolvedAssignees += 1 }
                }
                return
            }
            // What `normalize` would say, without building the desired user nobody reads here.
            let outcome = normalization.scopeOnly(record, fromDeletedExport: fromDeletedExport, hint: &entitlementHint)
            counts.add(outcome.decision)
            if !fromDeletedExport {
                diagnostics += outcome.diagnostics
                if outcome.hasUserAssignment { resolvedAssignees += 1 }
            }
        }

        /// The result once every file has been read.
        public func finish() -> ScopeValidation {
            guard let normalization else { return ScopeValidation(config: config, counts: nil, diagnostics: []) }
            var all = diagnostics
            if let entitlements = normalization.entitlements {
                if let file = assignmentsFile,
                    let warning = entitlements.identifierMismatchWarning(resolved: resolvedAssignees, file: file)
                {
                    all.append(warning)
                }
                all += entitlements.diagnostics
            }
            return ScopeValidation(config: config, counts: counts, diagnostics: all)
        }
    }

    public func renderText() -> String {
        var lines = ["effective config:"]
        lines += config.effectiveJSON.serialized(style: .pretty).split(separator: "\n").map { "  " + $0 }
        if let counts {
            let out = OutOfScopeReason.allCases.compactMap { reason in
                counts.outOfScope[reason].map { "\(reason.rawValue) \($0)" }
            }
            lines.append(
                "scope: \(counts.inScope) in scope; out of scope: "
                    + (out.isEmpty ? "none" : out.joined(separator: ", ")))
        }
        for diagnostic in diagnostics { lines.append("  \(diagnostic.severity.rawValue): \(diagnostic.rendered)") }
        return lines.joined(separator: "\n") + "\n"
    }

    public var jsonMembers: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [("config", config.effectiveJSON)]
        if let counts { members.append(("scope", counts.jsonValue)) }
        members.append(("scopeDiagnostics", .array(diagnostics.map(\.jsonValue))))
        return members
    }
}
