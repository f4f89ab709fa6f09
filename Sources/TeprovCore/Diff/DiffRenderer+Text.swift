extension DiffRenderer {
    /// One list, sorted by userName: `+ name (id X)` added, `- name (id X)` removed, `~ name (id X)`
    /// changed with an indented `attribute: old → new` line per differing path; then the summary.
    func renderText(_ result: SnapshotDiffResult) -> String {
        enum Entry {
            case added(DiffUser), removed(DiffUser), changed(DiffChangedUser)
        }
        var entries: [(DiffOrdering.Key, Int, Entry)] = []
        entries.reserveCapacity(result.added.count + result.removed.count + result.changed.count)
        // Removed before added at the same userName (a user deleted and created again).
        for user in result.removed {
            entries.append((DiffOrdering.Key(userName: user.userName, id: user.id), 0, .removed(user)))
        }
        for user in result.added {
            entries.append((DiffOrdering.Key(userName: user.userName, id: user.id), 1, .added(user)))
        }
        for user in result.changed {
            entries.append((DiffOrdering.Key(userName: user.userName, id: user.id), 2, .changed(user)))
        }
        entries.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }

        var text = ""
        for (_, _, entry) in entries {
            switch entry {
            case .added(let user):
                text += marker("+", color: "32") + " " + heading(user.userName, user.id) + "\n"
            case .removed(let user):
                text += marker("-", color: "31") + " " + heading(user.userName, user.id) + "\n"
            case .changed(let user):
                text += marker("~", color: "33") + " " + heading(user.userName, user.id) + "\n"
                for change in user.changes {
                    text += "    \(change.attribute): \(Self.shown(change.old)) → \(Self.shown(change.new))\n"
                }
            }
        }
        return text + Self.summary(result) + "\n"
    }

    private func marker(_ symbol: String, color: String) -> String {
        options.color ? "\u{1B}[\(color)m\(symbol)\u{1B}[0m" : symbol
    }

    /// `alice@contoso.com (id 1001)`, or `(no userName) (id 1001)`.
    private func heading(_ userName: String?, _ id: String) -> String {
        "\(userName.map(Self.printable) ?? "(no userName)") (id \(Self.printable(id)))"
    }

    /// The text as is, or JSON-quoted when it holds control characters (a terminal must not obey them).
    static func printable(_ text: String) -> String {
        text.utf8.contains { $0 < 0x20 || $0 == 0x7F } ? shown(.string(text)) : text
    }
}
