import Foundation

extension DiffRenderer {
    /// A page: title, summary, notes, then Added, Removed and Changed sections (tables), each
    /// sorted by userName; every changed user gets a table of `attribute | old | new`.
    func renderMarkdown(_ result: SnapshotDiffResult) -> String {
        var text = "# Snapshot diff: \(Self.code(options.oldName)) → \(Self.code(options.newName))\n\n"
        let summary = Self.summary(result)
        text += summary.prefix(1).uppercased() + summary.dropFirst() + ".\n"
        for note in result.notes {
            let place = Self.code(note.file) + (note.line.map { ", line \($0)" } ?? "")
            text += "\n> **Warning:** \(place): \(note.message)\n"
        }
        if !result.added.isEmpty {
            text += "\n## Added (\(result.added.count))\n\n" + userTable(result.added)
        }
        if !result.removed.isEmpty {
            text += "\n## Removed (\(result.removed.count))\n\n" + userTable(result.removed)
        }
        if !result.changed.isEmpty {
            text += "\n## Changed (\(result.changed.count))\n"
            for user in result.changed {
                text += "\n### \(user.userName.map(Self.code) ?? "(no userName)") (id \(Self.code(user.id)))\n\n"
                text += "| attribute | old | new |\n| --- | --- | --- |\n"
                for change in user.changes {
                    text +=
                        "| \(Self.code(change.attribute)) | \(Self.code(Self.shown(change.old))) | \(Self.code(Self.shown(change.new))) |\n"
                }
            }
        }
        return text
    }

    private func userTable(_ users: [DiffUser]) -> String {
        var text = "| userName | id |\n| --- | --- |\n"
        for user in users {
            text += "| \(user.userName.map(Self.code) ?? "(none)") | \(Self.code(user.id)) |\n"
        }
        return text
    }

    /// `text` as a Markdown code span that survives a table cell: a fence longer than any run of
    /// backticks inside, `|` escaped, line breaks shown as `\n`.
    static func code(_ text: String) -> String {
        var longestRun = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longestRun = max(longestRun, run)
        }
        let fence = String(repeating: "`", count: longestRun + 1)
        var body = text.replacingOccurrences(of: "|", with: "\\|")
        body = body.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
        let padded = body.hasPrefix("`") || body.hasSuffix("`") ? " \(body) " : body
        return fence + padded + fence
    }
}
