extension DiffRenderer {
    /// `{"added": [...], "removed": [...], "changed": [{"id", "userName", "changes": [{"attribute",
    /// "old", "new"}]}], "unchanged": N}` (SPEC §9), pretty-printed; absent values and userNames are `null`.
    func renderJSON(_ result: SnapshotDiffResult) -> String {
        Self.document(result).serialized(style: .pretty)
    }

    /// The JSON document of a diff.
    static func document(_ result: SnapshotDiffResult) -> JSONValue {
        func user(_ user: DiffUser) -> JSONValue {
            .object([("id", .string(user.id)), ("userName", user.userName.map(JSONValue.string) ?? .null)])
        }
        let changed = result.changed.map { user -> JSONValue in
            let changes = user.changes.map { change -> JSONValue in
                .object([
                    ("attribute", .string(change.attribute)), ("old", change.old ?? .null),
                    ("new", change.new ?? .null),
                ])
            }
            return .object([
                ("id", .string(user.id)), ("userName", user.userName.map(JSONValue.string) ?? .null),
                ("changes", .array(changes)),
            ])
        }
        return .object([
            ("added", .array(result.added.map(user))), ("removed", .array(result.removed.map(user))),
            ("changed", .array(changed)), ("unchanged", .int(Int64(result.unchanged))),
        ])
    }
}
