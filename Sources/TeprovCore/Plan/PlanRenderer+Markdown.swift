extension PlanRenderer {
    /// A shareable Markdown review page: title, summary table, operations grouped by action, skipped entries,
    /// diagnostics. Every value is escaped for a table cell.
    func renderMarkdown(_ page: PlanPage) -> String {
        let plan = page.selection.plan
        let cell = MarkdownEscaping.cell
        let command = options.showCommand
        var out: [String] = ["# teprov plan review", ""]
        var meta =
            "Plan \(MarkdownEscaping.code(plan.digest)), created \(cell(plan.createdAt)) by teprov \(cell(plan.toolVersion))"
        if let url = plan.targetURL { meta += ", for \(cell(url))" }
        if let captured = plan.snapshotCapturedAt { meta += " (snapshot captured \(cell(captured)))" }
        out += [meta + ".", ""]
        if page.isPaginated { out += ["Page \(page.number) of \(page.pageCount).", ""] }
        if let held = PlanValueText.heldNotice(plan, planName: options.planName) {
            out += ["> **\(cell(held.headline))** \(cell(held.detail))", ">", "> \(cell(held.instruction))", ">"]
            for release in held.releases {
                out.append("> - \(cell(release.effect)): \(MarkdownEscaping.code(release.command))")
            }
            out.append("")
        }
        out += ["## Summary", "", "**\(page.summarySentence)**", "", "| | count |", "|:--|--:|"]
        out += page.summaryRows.map { "| \($0.label) | \($0.value) |" }
        out.append("")
        if !page.skippedByReason.isEmpty {
            out += ["| skipped because | count |", "|:--|--:|"]
            out += page.skippedByReason.map { "| \(cell($0.reason)) | \(PlanValueText.grouped($0.count)) |" }
            out.append("")
        }
        if plan.summary.create > 0 { out += ["> **Note:** \(PlanValueText.defaultRoleNote)", ""] }
        if let note = page.selection.filterNote(options) { out += ["*\(cell(note))*", ""] }
        out += ["## Operations", ""]
        if let note = page.operationsNote(command: command) { out += [cell(note), ""] }
        if page.selection.operations.isEmpty {
            out += [page.selection.isFiltered ? "No operations match the filter." : "No changes.", ""]
        }
        for group in page.operationGroups {
            out += ["### \(PlanPage.heading(group.action, count: group.operations.count))", ""]
            out += ["| id | user | reason | held | source | changes |", "|---|---|---|---|---|---|"]
            for operation in group.operations {
                let changes = operation.changes.map { cell(PlanValueText.change($0, action: operation.action)) }
                out.append(
                    "| \(operation.id) | \(cell(operation.displayUserName)) | \(cell(operation.reason)) | "
                        + "\(operation.held ? "**held**" : "") | \(cell(PlanValueText.origin(operation))) | "
                        + "\(changes.joined(separator: "<br>")) |")
            }
            out.append("")
        }
        if !page.selection.skipped.isEmpty {
            out += ["## Skipped (\(PlanValueText.grouped(page.selection.skipped.count)))", ""]
            if let note = page.skippedNote(command: command) { out += [cell(note), ""] }
            if !page.skipped.isEmpty {
                out += ["| reason | who | source | target | detail |", "|---|---|---|---|---|"]
                for entry in page.skipped {
                    out.append(
                        "| \(cell(entry.reason)) | \(cell(entry.who)) | \(cell(entry.source?.location ?? "")) | "
                            + "\(cell(entry.target?.id ?? "")) | \(cell(entry.detail)) |")
                }
                out.append("")
            }
        }
        if !page.selection.diagnostics.isEmpty {
            out += ["## Diagnostics (\(PlanValueText.grouped(page.selection.diagnostics.count)))", ""]
            if let note = page.diagnosticsNote(command: command) { out += [cell(note), ""] }
            if !page.diagnostics.isEmpty {
                out += ["| severity | location | message |", "|---|---|---|"]
                for diagnostic in page.diagnostics {
                    let location = diagnostic.line.map { "\(diagnostic.file):\($0)" } ?? diagnostic.file
                    out.append("| \(diagnostic.severity.rawValue) | \(cell(location)) | \(cell(diagnostic.message)) |")
                }
                out.append("")
            }
        }
        return out.joined(separator: "\n")
    }
}

/// Escaping for values placed in Markdown (GitHub Flavored) text and table cells.
enum MarkdownEscaping {
    /// The value as inert cell text: Markdown punctuation backslash-escaped, `|` escaped so it cannot end the
    /// cell, `<`, `>` and `&` as entities so no HTML gets through, line breaks as `<br>`.
    static func cell(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for character in text.unicodeScalars {
            defer { previousWasCR = character == "\r" }
            switch character {
            case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "!":
                out.append("\\")
                out.unicodeScalars.append(character)
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\r": out += "<br>"
            case "\n": if !previousWasCR { out += "<br>" }
            case "\t": out += " "
            default:
                if character.value < 0x20 || character.value == 0x7F {
                    out += "&#\(character.value);"
                } else {
                    out.unicodeScalars.append(character)
                }
            }
        }
        return out
    }

    /// A code span that holds `text` whatever backticks it contains (for commands and digests). Pipes still
    /// end a table cell inside code spans, so this is for running text, not cells.
    static func code(_ text: String) -> String {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = text.hasPrefix("`") || text.hasSuffix("`") ? " \(text) " : text
        return fence + padded + fence
    }
}
