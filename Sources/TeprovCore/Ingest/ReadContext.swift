/// Which attributes a reader keeps. `nil` projection keeps everything (as `validate` does);
/// the plan stage passes only the attributes its config uses, which saves memory and time.
public struct AttributeProjection: Sendable {
    public var keys: Set<AttributeKey>

    public init(_ keys: Set<AttributeKey>) { self.keys = keys }

    public func contains(_ key: AttributeKey) -> Bool { keys.contains(key) }
}

/// What a reader reports about a file once it has read it.
public struct ReadSummary: Sendable {
    public var path: String
    public var format: ExportFormat
    public var encoding: TextEncoding
    /// Valid records handed to the consumer.
    public var records: Int
    /// Records that were invalid (each has an error diagnostic).
    public var invalid: Int
    /// Attribute names seen in the file, after aliasing, in first-seen order and spelling.
    public var attributeNames: [String]
    public var diagnostics: [Diagnostic]
    /// The invalid records with their partial contents.
    public var invalidRecords: [InvalidRecord] = []
}

/// The sink a reader writes into: valid records go to `onRecord`, invalid ones become diagnostics.
///
/// One context serves one file. Not thread-safe: a reader runs on one thread.
public final class ReadContext {
    public let path: String
    public let projection: AttributeProjection?
    private let onRecord: (SourceRecord) throws -> Void

    public private(set) var diagnostics: [Diagnostic] = []
    public private(set) var recordCount = 0
    public private(set) var invalidCount = 0
    /// Next record index (valid and invalid records both count).
    public private(set) var nextIndex = 0
    private var seenNames: Set<AttributeKey> = []
    public private(set) var attributeNames: [String] = []
    /// Set by a reader when its dialect needs extra raw attributes kept for post-processing.
    public var alwaysKeep: Set<AttributeKey> = []

    /// - Parameters:
    ///   - path: the file as the user named it; used in every diagnostic.
    ///   - projection: the attributes to keep, or `nil` for all.
    ///   - onRecord: receives each valid record as soon as it is read.
    public init(
        path: String, projection: AttributeProjection? = nil, onRecord: @escaping (SourceRecord) throws -> Void
    ) {
        self.path = path
        self.projection = projection
        self.onRecord = onRecord
    }

    /// `true` when a reader should store an attribute with this (already aliased) key.
    @inline(__always)
    public func keeps(_ key: AttributeKey) -> Bool {
        guard let projection else { return true }
        return projection.contains(key) || alwaysKeep.contains(key)
    }

    /// Records that the file has an attribute (for `validate`'s "attribute names seen").
    public func noteAttribute(_ displayName: String) {
        if seenNames.insert(AttributeKey(displayName)).inserted { attributeNames.append(displayName) }
    }

    /// The origin for the next record starting at `line`.
    public func origin(line: Int) -> RecordOrigin {
        RecordOrigin(file: path, line: line, index: nextIndex)
    }

    /// Hands a valid record to the consumer.
    public func emit(_ record: SourceRecord) throws {
        nextIndex += 1
        recordCount += 1
        try onRecord(record)
    }

    /// Invalid records with what could be read of them (the plan protects the targets they name).
    public private(set) var invalidRecords: [InvalidRecord] = []

    /// Counts an invalid record and keeps its diagnostic; the record is never used.
    /// - Parameter partial: the attributes read before the problem, when the reader has them: the plan
    ///   uses their matching values to protect the person's target (SPEC §6 safety rules).
    public func rejectRecord(line: Int?, _ message: String, partial: SourceRecord? = nil) {
        invalidRecords.append(
            InvalidRecord(origin: RecordOrigin(file: path, line: line ?? 0, index: nextIndex), partial: partial))
        nextIndex += 1
        invalidCount += 1
        diagnostics.append(Diagnostic(.error, file: path, line: line, message))
    }

    /// Keeps a warning about the file or a record that is still used.
    public func warn(line: Int?, _ message: String) {
        diagnostics.append(Diagnostic(.warning, file: path, line: line, message))
    }

    /// A document-level error naming this file.
    public func documentError(line: Int?, _ message: String) -> TeprovError {
        TeprovError(.input, message, file: path, line: line)
    }

    func summary(format: ExportFormat, encoding: TextEncoding) -> ReadSummary {
        ReadSummary(
            path: path, format: format, encoding: encoding, records: recordCount, invalid: invalidCount,
            attributeNames: attributeNames, diagnostics: diagnostics, invalidRecords: invalidRecords)
    }
}
