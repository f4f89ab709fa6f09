/// The part of a plan a rendering shows once `--action` and `--user` are applied.
///
/// Operations pass when their action is selected and the user matches; skipped entries pass when no action
/// filter is given and the user matches; with any filter, diagnostics pass only when they point at the source
/// line of a selected operation or skipped entry. Summary counts always describe the whole plan.
struct PlanSelection {
    var plan: Plan
    /// Positions in `plan.operations` / `plan.skipped` / `plan.diagnostics`, for filtering the raw document.
    var operationIndices: [Int]
    var skippedIndices: [Int]
    var diagnosticIndices: [Int]
    var isFiltered: Bool

    /// The selected entries, in plan order.
    private(set) var operations: [PlanOperation] = []
    private(set) var skipped: [SkippedEntry] = []
    private(set) var diagnostics: [Diagnostic] = []

    init(plan: Plan, options: PlanRenderer.Options) {
        self.plan = plan
        isFiltered = options.isFiltered
        let wanted = options.user.map { $0.lowercased() }
        func matches(_ names: [String?]) -> Bool {
            guard let wanted else { return true }
            return names.contains { $0?.lowercased() == wanted }
        }
        operationIndices = plan.operations.indices.filter { position in
            let operation = plan.operations[position]
            if let actions = options.actions, !actions.contains(operation.action) { return false }
            return matches(operation.userNames)
        }
        skippedIndices =
            options.actions != nil
            ? [] : plan.skipped.indices.filter { matches(plan.skipped[$0].userNames) }
        if isFiltered {
            var lines = Set<String>()
            for position in operationIndices {
                if let source = plan.operations[position].source { lines.insert(source.location) }
            }
            for position in skippedIndices {
                if let source = plan.skipped[position].source { lines.insert(source.location) }
            }
            diagnosticIndices = plan.diagnostics.indices.filter { position in
                let diagnostic = plan.diagnostics[position]
                guard let line = diagnostic.line else { return false }
                return lines.contains("\(diagnostic.file):\(line)")
            }
        } else {
            diagnosticIndices = Array(plan.diagnostics.indices)
        }
        collectEntries()
    }

    private mutating func collectEntries() {
        operations = operationIndices.map { plan.operations[$0] }
        skipped = skippedIndices.map { plan.skipped[$0] }
        diagnostics = diagnosticIndices.map { plan.diagnostics[$0] }
    }

    /// The same selection over a plan whose e-mail addresses are masked, when `redact` is set.
    func redacted(_ redact: Bool) -> PlanSelection {
        guard redact else { return self }
        var copy = self
        copy.plan = EmailRedaction.redact(plan)
        copy.collectEntries()
        return copy
    }

    /// "Showing 1 of 4 operations (--action create); the summary covers the whole plan.", when filtered.
    func filterNote(_ options: PlanRenderer.Options) -> String? {
        guard isFiltered else { return nil }
        var text =
            "Showing \(PlanValueText.grouped(operations.count)) of "
            + PlanValueText.counted(plan.operations.count, "operation")
        if options.actions == nil {
            text +=
                " and \(PlanValueText.grouped(skipped.count)) of "
                + PlanValueText.counted(plan.skipped.count, "skipped entry", "skipped entries")
        }
        return text + " (\(options.filterWords)); the summary covers the whole plan."
    }
}

extension PlanOperation {
    /// The names `--user` compares with: target userName and id, a create's new userName, source UPN and id.
    var userNames: [String?] {
        var names = [target?.userName, target?.id, source?.userPrincipalName, source?.id]
        if let created = changes.first(where: { $0.attribute == "userName" }), case .string(let name) = created.new {
            names.append(name)
        }
        return names
    }
}

extension SkippedEntry {
    var userNames: [String?] { [target?.userName, target?.id, source?.userPrincipalName, source?.id] }

    /// Who the entry is about: the source UPN, else the target userName, else an id.
    var who: String {
        source?.userPrincipalName ?? target?.userName ?? source?.id ?? target?.id ?? ""
    }
}

extension SourceReference {
    /// `file:line`.
    var location: String { "\(file):\(line)" }
}
