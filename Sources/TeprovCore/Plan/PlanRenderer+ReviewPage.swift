/// What the Markdown and HTML review pages share: the summary's words and the grouping of operations.
extension PlanPage {
    /// `1 to create, 1 to update, 1 to disable, 1 to delete; 1 held; 2 unchanged.` for the whole plan.
    var summarySentence: String {
        let summary = selection.plan.summary
        let grouped = PlanValueText.grouped
        return "\(grouped(summary.create)) to create, \(grouped(summary.update)) to update, "
            + "\(grouped(summary.disable)) to disable, \(grouped(summary.delete)) to delete; "
            + "\(grouped(summary.held)) held; \(grouped(summary.noop)) unchanged."
    }

    /// Label and value of each summary count, whole plan.
    var summaryRows: [(label: String, value: String)] {
        let summary = selection.plan.summary
        let grouped = PlanValueText.grouped
        return [
            ("to create", grouped(summary.create)),
            ("to update", grouped(summary.update)),
            ("to disable", grouped(summary.disable)),
            ("to delete", grouped(summary.delete)),
            ("held", grouped(summary.held)),
            ("unchanged", grouped(summary.noop)),
            ("skipped", grouped(summary.skipped.values.reduce(0, +))),
            ("unmanaged (left alone)", grouped(summary.unmanaged)),
            ("out of scope, not in ThousandEyes", grouped(summary.outOfScope)),
            ("source records", grouped(summary.sourceRecords)),
            ("invalid source records", grouped(summary.invalid)),
            ("in scope", grouped(summary.inScope)),
            ("estimated requests", grouped(summary.estimatedRequests)),
            (
                "estimated duration",
                "\(PlanValueText.duration(summary.estimatedDuration)) (\(summary.estimatedDuration))"
            ),
        ]
    }

    /// Skips by reason, sorted by reason.
    var skippedByReason: [(reason: String, count: Int)] {
        selection.plan.summary.skipped.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// This page's operations grouped by action, in plan order (delete, disable, update, create).
    var operationGroups: [(action: PlanAction, operations: [PlanOperation])] {
        var groups: [(action: PlanAction, operations: [PlanOperation])] = []
        for operation in operations {
            if let last = groups.indices.last, groups[last].action == operation.action {
                groups[last].operations.append(operation)
            } else {
                groups.append((operation.action, [operation]))
            }
        }
        return groups
    }

    /// The title of an action's section: "Delete (3)".
    static func heading(_ action: PlanAction, count: Int) -> String {
        let name = action.rawValue.prefix(1).uppercased() + action.rawValue.dropFirst()
        return "\(name) (\(PlanValueText.grouped(count)))"
    }
}
