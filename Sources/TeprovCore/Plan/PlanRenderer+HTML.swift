extension PlanRenderer {
    /// One self-contained HTML review page (inline CSS, no scripts, no external resources): summary with the
    /// counts as text, operations grouped by action, skipped entries, diagnostics. Every value is escaped.
    func renderHTML(_ page: PlanPage) -> String {
        let plan = page.selection.plan
        let html = HTMLEscaping.text
        let command = options.showCommand
        var out: [String] = [
            "<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>teprov plan review \(html(plan.digest))</title>", "<style>", HTMLEscaping.styleSheet, "</style>",
            "</head>", "<body>", "<header>", "<h1>teprov plan review</h1>",
        ]
        var meta =
            "Plan <code>\(html(plan.digest))</code>, created \(html(plan.createdAt)) by teprov \(html(plan.toolVersion))"
        if let url = plan.targetURL { meta += ", for \(html(url))" }
        if let captured = plan.snapshotCapturedAt { meta += " (snapshot captured \(html(captured)))" }
        out.append(
            "<p class=\"meta\">\(meta).\(page.isPaginated ? " Page \(page.number) of \(page.pageCount)." : "")</p>")
        out.append("</header>")
        if let held = PlanValueText.heldNotice(plan, planName: options.planName) {
            out.append(
                "<div class=\"held\" id=\"held\"><p><strong>\(html(held.headline))</strong> \(html(held.detail))</p>")
            out.append("<p>\(html(held.instruction))</p><ul>")
            for release in held.releases {
                out.append("<li>\(html(release.effect)): <code>\(html(release.command))</code></li>")
            }
            out.append("</ul></div>")
        }
        out += ["<section id=\"summary\">", "<h2>Summary</h2>"]
        out.append("<p id=\"summary-counts\"><strong>\(html(page.summarySentence))</strong></p>")
        out.append("<table class=\"counts\"><tbody>")
        out += page.summaryRows.map {
            "<tr><th scope=\"row\">\(html($0.label))</th><td class=\"n\">\(html($0.value))</td></tr>"
        }
        out.append("</tbody></table>")
        if !page.skippedByReason.isEmpty {
            out.append("<table class=\"counts\"><thead><tr><th>skipped because</th><th>count</th></tr></thead><tbody>")
            out += page.skippedByReason.map {
                "<tr><td>\(html($0.reason))</td><td class=\"n\">\(PlanValueText.grouped($0.count))</td></tr>"
            }
            out.append("</tbody></table>")
        }
        if plan.summary.create > 0 {
            out.append("<p class=\"note\"><strong>Note:</strong> \(html(PlanValueText.defaultRoleNote))</p>")
        }
        if let note = page.selection.filterNote(options) { out.append("<p class=\"filter\">\(html(note))</p>") }
        out += ["</section>", "<section id=\"operations\">", "<h2>Operations</h2>"]
        if let note = page.operationsNote(command: command) { out.append("<p class=\"page\">\(html(note))</p>") }
        if page.selection.operations.isEmpty {
            out.append("<p>\(page.selection.isFiltered ? "No operations match the filter." : "No changes.")</p>")
        }
        for group in page.operationGroups {
            out.append(
                "<h3 class=\"a-\(group.action.rawValue)\">\(PlanPage.heading(group.action, count: group.operations.count))</h3>"
            )
            out.append(
                "<table class=\"ops\"><thead><tr><th>id</th><th>user</th><th>reason</th><th>held</th><th>source</th>"
                    + "<th>changes</th></tr></thead><tbody>")
            for operation in group.operations { out.append(operationRow(operation)) }
            out.append("</tbody></table>")
        }
        out.append("</section>")
        if !page.selection.skipped.isEmpty {
            out += [
                "<section id=\"skipped\">", "<h2>Skipped (\(PlanValueText.grouped(page.selection.skipped.count)))</h2>",
            ]
            if let note = page.skippedNote(command: command) { out.append("<p class=\"page\">\(html(note))</p>") }
            if !page.skipped.isEmpty {
                out.append(
                    "<table><thead><tr><th>reason</th><th>who</th><th>source</th><th>target</th><th>detail</th></tr></thead><tbody>"
                )
                for entry in page.skipped {
                    out.append(
                        "<tr><td>\(html(entry.reason))</td><td>\(html(entry.who))</td><td>\(html(entry.source?.location ?? ""))</td>"
                            + "<td>\(html(entry.target?.id ?? ""))</td><td>\(html(entry.detail))</td></tr>")
                }
                out.append("</tbody></table>")
            }
            out.append("</section>")
        }
        if !page.selection.diagnostics.isEmpty {
            out += [
                "<section id=\"diagnostics\">",
                "<h2>Diagnostics (\(PlanValueText.grouped(page.selection.diagnostics.count)))</h2>",
            ]
            if let note = page.diagnosticsNote(command: command) { out.append("<p class=\"page\">\(html(note))</p>") }
            if !page.diagnostics.isEmpty {
                out.append("<table><thead><tr><th>severity</th><th>location</th><th>message</th></tr></thead><tbody>")
                for diagnostic in page.diagnostics {
                    let location = diagnostic.line.map { "\(diagnostic.file):\($0)" } ?? diagnostic.file
                    out.append(
                        "<tr><td class=\"s-\(diagnostic.severity.rawValue)\">\(diagnostic.severity.rawValue)</td>"
                            + "<td>\(html(location))</td><td>\(html(diagnostic.message))</td></tr>")
                }
                out.append("</tbody></table>")
            }
            out.append("</section>")
        }
        out += [
            "<footer class=\"meta\">Rendered by teprov show; the summary covers the whole plan.</footer>", "</body>",
            "</html>", "",
        ]
        return out.joined(separator: "\n")
    }

    func operationRow(_ operation: PlanOperation) -> String {
        let html = HTMLEscaping.text
        var changes = ""
        for change in operation.changes {
            changes += "<div><code>\(html(change.attribute))</code>: "
            if operation.action != .create {
                changes += "<span class=\"old\">\(html(PlanValueText.value(change.old)))</span> → "
            }
            changes += "<span class=\"new\">\(html(PlanValueText.value(change.new)))</span></div>"
        }
        return "<tr id=\"\(html(operation.id))\"><td><code>\(html(operation.id))</code></td>"
            + "<td>\(html(operation.displayUserName))</td><td>\(html(operation.reason))</td>"
            + "<td>\(operation.held ? "<span class=\"tag\">held</span>" : "")</td>"
            + "<td>\(html(PlanValueText.origin(operation)))</td><td class=\"ch\">\(changes)</td></tr>"
    }
}

/// Escaping for values placed in HTML text and attribute values.
enum HTMLEscaping {
    /// `&`, `<`, `>`, `"` and `'` as entities; control characters (other than tab and line breaks), which HTML
    /// does not allow, as U+FFFD.
    static func text(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// The page's whole style sheet: readable on screen and on paper, no external fonts or images.
    static let styleSheet = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;\
        margin:2rem auto;max-width:90rem;padding:0 1rem;color:#1f2328;background:#fff}
        h1{font-size:1.6rem;margin:0 0 .3rem}
        h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
        h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
        .meta{color:#57606a}
        code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f6f8fa;\
        padding:.1em .3em;border-radius:4px}
        table{border-collapse:collapse;margin:.5rem 0 1rem}
        table.ops{width:100%}
        th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top;\
        white-space:pre-wrap;overflow-wrap:anywhere}
        th{background:#f6f8fa;font-weight:600}
        td.n{text-align:right;font-variant-numeric:tabular-nums}
        .held{border:2px solid #cf222e;background:#ffebe9;padding:.6rem 1rem;border-radius:6px;margin:1rem 0}
        .note{border-left:4px solid #0969da;background:#ddf4ff;padding:.6rem 1rem}
        .page,.filter{border:1px solid #d4a72c;background:#fff8c5;padding:.6rem 1rem;border-radius:6px}
        .a-create{color:#1a7f37}.a-update{color:#9a6700}.a-disable,.a-delete{color:#cf222e}
        .tag{display:inline-block;padding:0 .45em;border-radius:3px;background:#cf222e;color:#fff;font-weight:600}
        .ch div+div{margin-top:.2rem}
        .old{color:#cf222e}.new{color:#1a7f37}
        .s-error{color:#cf222e;font-weight:600}.s-warning{color:#9a6700}
        @media print{body{margin:0;max-width:none}.held,.note,.page,.filter{break-inside:avoid}}
        """
}
