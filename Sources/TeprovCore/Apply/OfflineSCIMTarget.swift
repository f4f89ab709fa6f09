import Foundation
import Synchronization

/// The SCIM target of `teprov apply PLAN --offline OUT` (SPEC §8 "Offline"): the plan's snapshot
/// held in memory and answered like a SCIM 2.0 service provider (scim2-server's behaviour), so the
/// apply engine runs unchanged; `writeSnapshot(to:source:)` then writes the result.
///
/// Requests: `GET /Users/{id}`, `GET /Users` with `filter`, `startIndex`, `count`, `attributes`;
/// `POST /Users` (201; 409 `uniqueness` for a userName taken ignoring case); `PATCH /Users/{id}`
/// (204; RFC 7644 §3.5.2 operations, Entra's `Replace` and `"False"` included); `PUT /Users/{id}`
/// (200); `DELETE /Users/{id}` (204, then 404). `If-Match` against `meta.version` gives 412 when it
/// differs; each change sets a new `meta.version` (`W/"<n>"`) and `meta.lastModified`.
///
/// Built for a million users: the snapshot's text is kept once, a user is parsed only when a request
/// touches it, and untouched users are answered and written out as the snapshot's own bytes.
/// Safe to call from concurrent tasks (one lock around the store).
public final class OfflineSCIMTarget: SCIMTarget {
    /// The snapshot file (for messages).
    public let displayName: String
    /// What the snapshot file is and says about itself.
    public let snapshotInfo: SnapshotInfo
    private let store: Mutex<OfflineUserStore>
    private let now: @Sendable () -> Date

    /// Reads the plan's snapshot after checking it is the file the plan was made from.
    /// - Parameters:
    ///   - snapshotPath: the snapshot file (`inputs.snapshot.path` of the plan).
    ///   - expectedSHA256: the plan's `inputs.snapshot.sha256` (hex, with or without `sha256:`),
    ///     or `nil` to skip the check.
    /// - Throws: `TeprovError(.safety)` when the file's SHA-256 differs; `TeprovError(.io)` when it
    ///   cannot be read; `TeprovError(.input)` when it is not a snapshot `SnapshotReader` accepts.
    public convenience init(snapshotPath: String, expectedSHA256: String?) throws {
        try self.init(snapshotPath: snapshotPath, expectedSHA256: expectedSHA256, now: { Date() })
    }

    /// As `init(snapshotPath:expectedSHA256:)`, with the clock that stamps `meta.lastModified`.
    public init(snapshotPath: String, expectedSHA256: String?, now: @escaping @Sendable () -> Date) throws {
        let loaded = try OfflineSnapshotLoader.load(path: snapshotPath, expectedSHA256: expectedSHA256)
        displayName = snapshotPath
        snapshotInfo = loaded.info
        store = Mutex(loaded.store)
        self.now = now
    }

    /// Answers `request` as a SCIM server would; a `POST /Users` gets the id `offline-<opId>` when the
    /// request names its plan operation (`SCIMRequest.operationID`), else `offline-<n>`.
    public func send(_ request: SCIMRequest) async throws -> SCIMResponse {
        respond(to: request, createdID: request.operationID.map { "offline-\($0)" })
    }

    /// Answers `request`; a `POST /Users` gets the id `createdID` (the engine passes
    /// `offline-<opId>`, SPEC §8), or `createdID-2`, `-3`, ... when a user already has it.
    public func send(_ request: SCIMRequest, createdID: String?) async throws -> SCIMResponse {
        respond(to: request, createdID: createdID)
    }

    /// The synchronous form of `send(_:createdID:)`.
    public func respond(to request: SCIMRequest, createdID: String? = nil) -> SCIMResponse {
        let time = now()
        return store.withLock { $0.respond(to: request, createdID: createdID, now: time) }
    }

    /// Number of users the target holds now.
    public var userCount: Int { store.withLock { $0.liveCount } }

    /// Writes the users as they are now, atomically, as a teprov snapshot (SPEC §9) that
    /// `SnapshotReader` reads back: snapshot order, created users appended, deleted ones gone;
    /// untouched users are the input's bytes, unchanged.
    /// - Parameter source: the `source` URL to record; `nil` keeps the input snapshot's.
    /// - Throws: `TeprovError(.io)` when the file cannot be written.
    public func writeSnapshot(to path: String, source: String?) throws {
        let writer = snapshotWriter(source: source)
        try AtomicFile.write(to: path) { descriptor in
            try store.withLock { store in
                try writer.write(of: &store) { chunk in
                    if let failure = DescriptorWrite.all(chunk, to: descriptor) {
                        throw PlanFileWriteError(code: failure)
                    }
                }
            }
        }
    }

    /// The text `writeSnapshot(to:source:)` writes.
    func snapshotBytes(source: String?) -> [UInt8] {
        let writer = snapshotWriter(source: source)
        return store.withLock { writer.bytes(of: &$0) }
    }

    private func snapshotWriter(source: String?) -> OfflineSnapshotWriter {
        OfflineSnapshotWriter(
            capturedAt: UTCTimestamp.string(from: now()), source: source ?? snapshotInfo.source,
            complete: snapshotInfo.complete)
    }
}
