extension PlanRenderer {
    /// Terraform-like review text: a header, the held banner, one block per operation in plan order, skipped
    /// entries, diagnostics, and the summary of `teprov plan` last.
    func renderText(_ selection: PlanSelection) -> String {
        let plan = selection.plan
        var lines: [String] = [header(plan), ""]
        if let held = PlanValueText.heldNotice(plan, planName: options.planName) {
            lines.append(paint(held.headline, .held) + " " + held.detail)
            lines.append(held.instruction)
            for release in held.releases { lines += ["  - \(release.effect):", "      \(release.command)"] }
            lines.append("")
        }
        let operations = selection.operations
        if operations.isEmpty {
            lines.append(
                selection.isFiltered
                    ? "No operations match \(options.filterWords)."
                    : "No changes: nothing to create, update, disable or delete.")
        }
        for operation in operations {
            lines.append(operationLine(operation))
            for change in operation.changes {
                lines.append("    " + PlanValueText.change(change, action: operation.action))
            }
        }
        lines.append("")
        if !selection.skipped.isEmpty {
            lines.append("Skipped (\(PlanValueText.grouped(selection.skipped.count))):")
            let width = selection.skipped.map(\.reason.count).max() ?? 0
            for entry in selection.skipped {
                var words = [entry.reason.padding(to: width), entry.who]
                if let source = entry.source { words.append(source.location) }
                if !entry.detail.isEmpty { words.append(entry.detail) }
                lines.append("  " + words.filter { !$0.isEmpty }.joined(separator: "  "))
            }
            lines.append("")
        }
        if !selection.diagnostics.isEmpty {
            lines.append("Diagnostics (\(PlanValueText.grouped(selection.diagnostics.count))):")
            for diagnostic in selection.diagnostics {
                lines.append("  \(diagnostic.severity.rawValue.padding(to: 7))  \(diagnostic.rendered)")
            }
            lines.append("")
        }
        if let note = selection.filterNote(options) { lines.append(note) }
        return lines.joined(separator: "\n") + "\n" + PlanSummaryText.render(plan, path: nil)
    }

    func header(_ plan: Plan) -> String {
        var text = "Plan \(plan.digest), created \(plan.createdAt) by teprov \(plan.toolVersion)"
        if let url = plan.targetURL { text += ", for \(url)" }
        if let captured = plan.snapshotCapturedAt { text += " (snapshot captured \(captured))" }
        return text + "."
    }

    /// `+ create  alice@contoso.com  (NotMatched)  op-000004`; held operations carry `[held]`.
    func operationLine(_ operation: PlanOperation) -> String {
        let sign: String
        let tone: Tone
        switch operation.action {
        case .create: (sign, tone) = ("+", .create)
        case .update: (sign, tone) = ("~", .update)
        case .disable, .delete: (sign, tone) = ("-", .remove)
        }
        var line = paint("\(sign) \(operation.action.rawValue.padding(to: 7))", tone)
        line += " \(operation.displayUserName)  (\(operation.reason))"
        if operation.held { line += "  " + paint("[held]", .held) }
        return line + "  \(operation.id)"
    }

    enum Tone: String {
        case create = "32"
        case update = "33"
        case remove = "31"
        case held = "1;35"
    }

    func paint(_ text: String, _ tone: Tone) -> String {
        options.color ? "\u{1B}[\(tone.rawValue)m\(text)\u{1B}[0m" : text
    }
}

extension PlanRenderer.Options {
    /// `--action create,update --user alice@contoso.com`, as the user typed the filters.
    var filterWords: String {
        var words: [String] = []
        if let actions {
            words += ["--action", PlanAction.allCases.filter(actions.contains).map(\.rawValue).joined(separator: ",")]
        }
        if let user { words += ["--user", redact ? EmailRedaction.mask(user) : user] }
        return words.joined(separator: " ")
    }
}

extension String {
    /// The string padded with spaces on the right to `width` characters (never truncated).
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
