import Dispatch
import Synchronization

/// Reads the snapshot of an offline apply: checks its SHA-256 against the plan's while
/// `SnapshotReader` reads it (the two run on separate cores), then builds the `OfflineUserStore`
/// over the reader's text without copying a user.
enum OfflineSnapshotLoader {
    struct Loaded {
        var info: SnapshotInfo
        var store: OfflineUserStore
    }

    /// - Throws: `TeprovError(.safety)` when the SHA-256 differs (checked first, so a changed file
    ///   is reported as changed even when it no longer parses); else the reader's errors.
    static func load(path: String, expectedSHA256: String?) throws -> Loaded {
        let expected = expectedSHA256.map(normalizedDigest)
        let digest = Mutex<Result<String, any Error>?>(nil)
        let read = Mutex<Result<(SnapshotInfo, [TargetUser]), any Error>?>(nil)
        let options = SnapshotReader.Options(keepRawResources: true, allowIncomplete: true)
        DispatchQueue.concurrentPerform(iterations: expected == nil ? 1 : 2) { task in
            if task == 0 {
                let result = Result { try SnapshotReader.read(path: path, options: options) }
                read.withLock { $0 = result }
            } else {
                let result = Result { try SHA256Digest.hex(ofFile: path) }
                digest.withLock { $0 = result }
            }
        }
        if let expected, let actual = try digest.withLock({ $0 })?.get(), actual != expected {
            throw TeprovError(
                .safety,
                "has changed since the plan was made (its SHA-256 is \(actual), the plan recorded \(expected)); make a new plan against the current snapshot",
                file: path)
        }
        guard let (info, users) = try read.withLock({ $0 })?.get() else {
            throw TeprovError(.io, "could not be read; check the file", file: path)
        }
        let text = users.first?.store.rawInput ?? []
        let ranges = users.first?.store.rawTextRanges ?? []
        guard ranges.count == users.count else {
            throw TeprovError(.input, "could not be indexed user by user; capture the snapshot again", file: path)
        }
        let store = OfflineUserStore(text: text, users: users, ranges: ranges, locationBase: info.source)
        return Loaded(info: info, store: store)
    }

    /// Lower-case hex without a `sha256:` prefix.
    private static func normalizedDigest(_ digest: String) -> String {
        let trimmed = digest.trimmingWhitespace().lowercased()
        return trimmed.hasPrefix("sha256:") ? String(trimmed.dropFirst(7)) : trimmed
    }
}
