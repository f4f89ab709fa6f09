/// `teprov validate --config ...`: the effective config and, with exports, per-user scope counts.
public struct ScopeValidation: Sendable {
    public var config: TeprovConfig
    /// Present when exports were given.
    public var counts: ScopeCounts?
    /// Diagnostics from the directory inputs, the scoping and the mappings.
    public var diagnostics: [Diagnostic]

    /// Loads the config (defaults when `configPath` is nil), the directory inputs, and scopes the records.
    /// - Parameters:
    ///   - scopeOverride: `--scope`, which wins over the config's `scope`.
    ///   - users: records from `--users` files (already read).
    ///   - deleted: records from `--deleted` files.
    public static func run(
        configPath: String?, scopeOverride: TeprovConfig.ScopeMode?, directory: DirectoryInputPaths,
        users: [SourceRecord]?, deleted: [SourceRecord]
    ) throws -> ScopeValidation {
        var config = try configPath.map { try ConfigLoader.load(path: $0) } ?? TeprovConfig()
        if let scopeOverride { config.scope = scopeOverride }
        guard let users else { return ScopeValidation(config: config, counts: nil, diagnostics: []) }
        let inputs = try directory.load()
        let normalization = try Normalization(config: config, inputs: inputs)
        var counts = ScopeCounts()
        var diagnostics = inputs.diagnostics
        var sourceIds: Set<String> = []
        for record in users {
            let user = normalization.normalize(record, fromDeletedExport: false)
            counts.add(user.scope)
            diagnostics += user.diagnostics
            if let id = user.sourceId { sourceIds.insert(id.lowercased()) }
        }
        for record in deleted {
            let user = normalization.normalize(record, fromDeletedExport: true)
            counts.add(user.scope)
        }
        if let entitlements = normalization.entitlements, let file = directory.assignments,
            let warning = entitlements.identifierMismatchWarning(sourceIds: sourceIds, file: file)
        {
            diagnostics.append(warning)
        }
        if let entitlements = normalization.entitlements { diagnostics += entitlements.diagnostics }
        return ScopeValidation(config: config, counts: counts, diagnostics: diagnostics)
    }

    public func renderText() -> String {
        var lines = ["effective config:"]
        lines += config.effectiveJSON.serialized(style: .pretty).split(separator: "\n").map { "  " + $0 }
        if let counts {
            let out = OutOfScopeReason.allCases.compactMap { reason in
                counts.outOfScope[reason].map { "\(reason.rawValue) \($0)" }
            }
            lines.append(
                "scope: \(counts.inScope) in scope; out of scope: " + (out.isEmpty ? "none" : out.joined(separator: ", ")))
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
