/// A user present in only one of the two snapshots.
public struct DiffUser: Sendable, Hashable {
    /// The SCIM `id` (a ThousandEyes v7 user's `uid`).
    public var id: String
    /// The userName (a ThousandEyes v7 user's `email`), or `nil` when the user has none.
    public var userName: String?

    public init(id: String, userName: String?) {
        self.id = id
        self.userName = userName
    }
}

/// One attribute path whose value differs, e.g. `name.formatted: "Ann" → "Anne"`.
public struct DiffAttributeChange: Sendable, Hashable {
    /// The attribute path: `displayName`, `name.formatted`, `emails[type eq "work"].value`, ...
    public var attribute: String
    /// The value in the old snapshot, `nil` when absent (or null, empty array or empty object, which
    /// SCIM treats as unassigned).
    public var old: JSONValue?
    /// The value in the new snapshot, `nil` when absent.
    public var new: JSONValue?

    public init(attribute: String, old: JSONValue?, new: JSONValue?) {
        self.attribute = attribute
        self.old = old
        self.new = new
    }
}

/// A user present in both snapshots whose attributes differ.
public struct DiffChangedUser: Sendable, Hashable {
    /// The `id` in the new snapshot.
    public var id: String
    /// The userName in the new snapshot (after a rename, the new one).
    public var userName: String?
    /// Every differing attribute path: `id` and `userName` first, then the others by path.
    public var changes: [DiffAttributeChange]

    public init(id: String, userName: String?, changes: [DiffAttributeChange]) {
        self.id = id
        self.userName = userName
        self.changes = changes
    }
}

/// Something the reader of a diff must know, e.g. that a snapshot misses users.
public struct DiffNote: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file, line N: message`.
    public var description: String {
        guard let line else { return "\(file): \(message)" }
        return "\(file), line \(line): \(message)"
    }
}

/// What `teprov diff OLD NEW` found (SPEC §9): users added, removed and changed, each list sorted by
/// userName, and how many are unchanged.
public struct SnapshotDiffResult: Sendable, Hashable {
    public var added: [DiffUser]
    public var removed: [DiffUser]
    public var changed: [DiffChangedUser]
    public var unchanged: Int
    /// Warnings about the inputs (a snapshot that misses users).
    public var notes: [DiffNote]
    /// `SnapshotInfo.format` of each file, and how many users each holds.
    public var oldFormat: String
    public var newFormat: String
    public var oldUsers: Int
    public var newUsers: Int

    public init(
        added: [DiffUser], removed: [DiffUser], changed: [DiffChangedUser], unchanged: Int, notes: [DiffNote] = [],
        oldFormat: String = SnapshotInfo.teprovSnapshot, newFormat: String = SnapshotInfo.teprovSnapshot,
        oldUsers: Int = 0, newUsers: Int = 0
    ) {
        self.added = added
        self.removed = removed
        self.changed = changed
        self.unchanged = unchanged
        self.notes = notes
        self.oldFormat = oldFormat
        self.newFormat = newFormat
        self.oldUsers = oldUsers
        self.newUsers = newUsers
    }

    /// `true` when any user was added, removed or changed (exit status 1).
    public var hasDifferences: Bool { !added.isEmpty || !removed.isEmpty || !changed.isEmpty }
}
