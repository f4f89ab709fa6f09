import Foundation

/// Reads a ThousandEyes snapshot for `plan` and `diff` (SPEC §6 "Snapshot", §9), streaming: a
/// million-user file is read with constant parsing memory, keeping only each user's `TargetUser`.
public enum SnapshotReader {
    /// What to read and what to accept.
    public struct Options: Sendable {
        /// Attribute paths whose values each `TargetUser` should hold (`userName`, `externalId`,
        /// `active` and `emails[...]` are always available).
        public var paths: Set<SCIMAttributePath>
        /// Keep each user's JSON text in `rawResource`. The file is then read into memory whole.
        public var keepRawResources: Bool
        /// Read a ThousandEyes v7 `GET /users` export (for `diff` and `validate`; `plan` refuses it).
        public var allowV7: Bool
        /// Read a snapshot that misses users (`SnapshotInfo.complete` is then `false`).
        public var allowIncomplete: Bool

        public init(
            paths: Set<SCIMAttributePath> = [], keepRawResources: Bool = false, allowV7: Bool = false,
            allowIncomplete: Bool = false
        ) {
            self.paths = paths
            self.keepRawResources = keepRawResources
            self.allowV7 = allowV7
            self.allowIncomplete = allowIncomplete
        }
    }

    /// Reads the snapshot file at `path`.
    /// - Returns: what the file is, and its users in file order.
    /// - Throws: `TeprovError(.io)` when the file cannot be read; `TeprovError(.input)` (exit 4) for
    ///   invalid JSON, a file that is not a snapshot, an unknown `formatVersion`, a user without `id`,
    ///   repeated ids or userNames, a ThousandEyes v7 export without `allowV7`, or missing users
    ///   without `allowIncomplete`.
    public static func read(path: String, options: Options = Options()) throws -> (SnapshotInfo, [TargetUser]) {
        try read(path: path, options: options, chunkSize: 1 << 20)
    }

    /// Reads a snapshot held in memory (an HTTP body, a test input); `sourceName` names it in errors.
    public static func read(bytes: [UInt8], sourceName: String, options: Options = Options()) throws -> (
        SnapshotInfo, [TargetUser]
    ) {
        try read(
            tokenizer: JSONTokenizer(bytes: bytes, sourceName: sourceName), options: options,
            rawText: options.keepRawResources ? bytes : nil)
    }

    /// `read(path:options:)` with a chosen chunk size (tests use tiny chunks to cross boundaries).
    static func read(path: String, options: Options, chunkSize: Int) throws -> (SnapshotInfo, [TargetUser]) {
        guard options.keepRawResources else {
            let tokenizer = try JSONTokenizer(path: path, chunkSize: chunkSize)
            return try read(tokenizer: tokenizer, options: options, rawText: nil)
        }
        // Users' raw text is located by offsets in the tokenizer's buffer, which are offsets in the
        // input only when the tokenizer reads it from memory.
        let text = try utf8Text(path: path, chunkSize: chunkSize)
        return try read(tokenizer: JSONTokenizer(bytes: text, sourceName: path), options: options, rawText: text)
    }

    private static func read(tokenizer: JSONTokenizer, options: Options, rawText: [UInt8]?) throws -> (
        SnapshotInfo, [TargetUser]
    ) {
        let layout = SnapshotAttributeLayout(requested: options.paths)
        let document = SnapshotDocumentReader(tokenizer: tokenizer, options: options, layout: layout, rawText: rawText)
        let format = try document.read()
        let users = document.finishedUsers()
        let envelope = document.envelope
        try SnapshotChecks.verifyUnique(users, file: tokenizer.sourceName)
        var complete = true
        if let missing = SnapshotChecks.incompleteness(format: format, envelope: envelope, users: users.count) {
            guard options.allowIncomplete else {
                throw SnapshotChecks.incompleteError(
                    file: tokenizer.sourceName, line: missing.line, reason: missing.reason,
                    isListResponse: format != SnapshotInfo.teprovSnapshot)
            }
            complete = false
        }
        let total = format == SnapshotInfo.scimPages ? envelope.largestPageTotal : envelope.declaredTotal
        let info = SnapshotInfo(
            format: format, source: envelope.source, capturedAt: envelope.capturedAt, complete: complete,
            totalResults: total.map { Int(clamping: $0.count) }, users: users.count)
        return (info, users)
    }

    /// The whole file as UTF-8 (transcoded from UTF-16 as the streaming reader would).
    private static func utf8Text(path: String, chunkSize: Int) throws -> [UInt8] {
        let reader = try UTF8ChunkReader(path: path, chunkSize: max(chunkSize, 1 << 16))
        var text: [UInt8] = []
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int {
            text.reserveCapacity(size)
        }
        var chunk: [UInt8] = []
        while try reader.read(into: &chunk) { text.append(contentsOf: chunk) }
        return text
    }
}
