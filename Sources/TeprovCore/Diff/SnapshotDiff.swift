import Foundation

/// `teprov diff OLD NEW` (SPEC §9): pairs the users of two snapshots by `id` or userName and lists
/// who was added, removed and changed, attribute path by attribute path.
///
/// Built for million-user snapshots: both files are read at once (one per core), each into its
/// text and a small record per user; a user whose JSON text is byte-identical to its counterpart's
/// is unchanged without being parsed, and only the others are flattened into attribute paths.
public enum SnapshotDiff {
    /// What to pair by and what to leave out.
    public struct Options: Sendable {
        /// `--key`: how users are paired.
        public var key: DiffKey
        /// `--ignore`: attribute paths (and everything below them) to leave out, besides `meta`.
        public var ignore: [String]
        /// Leave out `meta.*` (on by default: the server's bookkeeping changes on every write).
        public var ignoresMeta: Bool

        public init(key: DiffKey = .id, ignore: [String] = [], ignoresMeta: Bool = true) {
            self.key = key
            self.ignore = ignore
            self.ignoresMeta = ignoresMeta
        }
    }

    /// Compares the snapshot files at `oldPath` and `newPath`.
    /// - Throws: `TeprovError(.io)` when a file cannot be read; `TeprovError(.input)` when a file is
    ///   not a snapshot, or two of its users share the key (or, with `--key userName`, one has no userName).
    public static func compare(oldPath: String, newPath: String, options: Options = Options()) async throws
        -> SnapshotDiffResult
    {
        async let oldSide = DiffSide.read(path: oldPath, key: options.key)
        async let newSide = DiffSide.read(path: newPath, key: options.key)
        let old = try await oldSide
        let new = try await newSide
        return try await compare(old, new, options: options)
    }

    /// The two snapshots read, compared.
    static func compare(_ old: DiffSide, _ new: DiffSide, options: Options) async throws -> SnapshotDiffResult {
        let comparison = DiffUserComparison(
            flattener: DiffAttributeFlattener(
                ignoreList: DiffIgnoreList(options.ignore, ignoresMeta: options.ignoresMeta)))
        let count = new.snapshot.users.count
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / 20_000 + 1))
        let parts = try await withThrowingTaskGroup(of: DiffPart.self) { group in
            for worker in 0..<workers {
                let range = (count * worker / workers)..<(count * (worker + 1) / workers)
                group.addTask { try DiffPart.compare(range, old: old, new: new, comparison: comparison) }
            }
            var parts: [DiffPart] = []
            for try await part in group { parts.append(part) }
            return parts.sorted { $0.range.lowerBound < $1.range.lowerBound }
        }
        var matched = [Bool](repeating: false, count: old.snapshot.users.count)
        for part in parts {
            for index in part.matchedOld { matched[Int(index)] = true }
        }
        let added = parts.flatMap(\.added).map {
            DiffUser(id: new.snapshot.id(ofUser: $0), userName: new.snapshot.userName(ofUser: $0))
        }
        let removed = matched.indices.filter { !matched[$0] }.map {
            DiffUser(id: old.snapshot.id(ofUser: $0), userName: old.snapshot.userName(ofUser: $0))
        }
        let changed = parts.flatMap(\.changed)
        return SnapshotDiffResult(
            added: DiffOrdering.sorted(added, userName: \.userName, id: \.id),
            removed: DiffOrdering.sorted(removed, userName: \.userName, id: \.id),
            changed: DiffOrdering.sorted(changed, userName: \.userName, id: \.id),
            unchanged: parts.reduce(0) { $0 + $1.unchanged },
            notes: [old.snapshot.incompleteness, new.snapshot.incompleteness].compactMap { $0 },
            oldFormat: old.snapshot.format, newFormat: new.snapshot.format, oldUsers: old.snapshot.users.count,
            newUsers: count)
    }
}

/// One snapshot read and indexed by the pairing key.
struct DiffSide: Sendable {
    let snapshot: DiffSnapshot
    let keys: DiffKeyIndex

    static func read(path: String, key: DiffKey) throws -> DiffSide {
        let snapshot = try DiffSnapshot.read(path: path)
        return DiffSide(snapshot: snapshot, keys: try DiffKeyIndex(snapshot, key: key))
    }
}

/// What one worker found for a range of the new snapshot's users.
struct DiffPart: Sendable {
    let range: Range<Int>
    /// New users with no counterpart.
    var added: [Int] = []
    /// Old users that have a counterpart.
    var matchedOld: [Int32] = []
    var changed: [DiffChangedUser] = []
    var unchanged = 0

    static func compare(_ range: Range<Int>, old: DiffSide, new: DiffSide, comparison: DiffUserComparison) throws
        -> DiffPart
    {
        var part = DiffPart(range: range)
        part.matchedOld.reserveCapacity(range.count)
        for newIndex in range {
            guard let oldIndex = old.keys.find(newIndex, of: new.snapshot, keys: new.keys, in: old.snapshot) else {
                part.added.append(newIndex)
                continue
            }
            part.matchedOld.append(Int32(truncatingIfNeeded: oldIndex))
            if old.snapshot.hasSameText(oldIndex, as: newIndex, in: new.snapshot) {
                part.unchanged += 1
                continue
            }
            let changes = try comparison.changes(old: old.snapshot, oldIndex, new: new.snapshot, newIndex)
            if changes.isEmpty {
                part.unchanged += 1
            } else {
                part.changed.append(
                    DiffChangedUser(
                        id: new.snapshot.id(ofUser: newIndex), userName: new.snapshot.userName(ofUser: newIndex),
                        changes: changes))
            }
        }
        return part
    }
}
