/// Walks a snapshot file for `diff` with the streaming tokenizer, keeping for each user only where
/// its JSON text lies and where its `id` and userName are (`DiffUserRecord`).
///
/// The formats and refusals are those of `SnapshotReader` (SPEC §6 "Snapshot"): the teprov
/// snapshot, a SCIM ListResponse, an array of ListResponse pages, an array of SCIM users, and a
/// ThousandEyes v7 `GET /users` export, sniffed from the structure with member names matched
/// ignoring case. Unlike `plan`, `diff` reads a snapshot that misses users and says so
/// (`incompleteness(format:)`).
final class DiffSnapshotReader {
    let tokenizer: JSONTokenizer
    var envelope = SnapshotEnvelope()
    private(set) var users: [DiffUserRecord] = []
    private(set) var decodedTexts: [String] = []

    /// Where a user object sits, for the rules that depend on it.
    enum UserPlace {
        /// The top-level `users` array: a teprov snapshot or a ThousandEyes v7 export.
        case usersMember
        /// A ListResponse's `Resources`.
        case resources
        /// A top-level array of users.
        case topLevelArray
    }

    /// Reads the file at `path` in chunks of `chunkSize` bytes.
    convenience init(path: String, chunkSize: Int) throws {
        self.init(tokenizer: try JSONTokenizer(path: path, chunkSize: chunkSize))
    }

    /// Reads what `tokenizer` reads (in memory: input offsets are then offsets in its bytes).
    init(tokenizer: JSONTokenizer) {
        self.tokenizer = tokenizer
    }

    /// Bytes of the input the tokenizer has read (all of it once `read()` returned).
    var consumedBytes: Int { tokenizer.inputOffset(of: tokenizer.end) }

    /// Reads the whole file.
    /// - Returns: the format name (`SnapshotInfo.format`).
    func read() throws -> String {
        let token = try tokenizer.next()
        let format: String
        switch token {
        case .beginObject: format = try readTopLevelObject()
        case .beginArray: format = try readTopLevelArray()
        case .endOfInput: throw error(line: nil, "is empty; pass a snapshot written by teprov snapshot")
        default:
            throw error(
                line: tokenizer.line,
                "holds a single JSON value instead of users; pass a snapshot written by teprov snapshot or a SCIM ListResponse"
            )
        }
        try tokenizer.expectEndOfInput()
        return format
    }

    /// Why the file may miss users, or `nil` when nothing says it does.
    func incompleteness(format: String) -> DiffNote? {
        guard let missing = SnapshotChecks.incompleteness(format: format, envelope: envelope, users: users.count) else {
            return nil
        }
        return DiffNote(
            file: tokenizer.sourceName, line: missing.line,
            message: "the snapshot \(missing.reason), so users it misses show as added or removed")
    }

    // MARK: Top-level object: teprov snapshot, ListResponse, ThousandEyes v7

    enum EnvelopeMember {
        case formatVersion, complete, totalResults, users, resources, schemas, paging, links, userMember, other
    }

    func envelopeMember() -> EnvelopeMember {
        tokenizer.withStringBytes { key in
            typealias Reader = SnapshotUserReader
            switch key.count {
            case 2: return Reader.equal(key, "id") ? .userMember : .other
            case 5: return Reader.equal(key, "users") ? .users : .other
            case 6: return Reader.equal(key, "_links") ? .links : .other
            case 7: return Reader.equal(key, "schemas") ? .schemas : .other
            case 8:
                return Reader.equal(key, "complete") ? .complete : Reader.equal(key, "username") ? .userMember : .other
            case 9: return Reader.equal(key, "resources") ? .resources : .other
            case 10: return Reader.equal(key, "startindex") ? .paging : .other
            case 12:
                return Reader.equal(key, "totalresults")
                    ? .totalResults : Reader.equal(key, "itemsperpage") ? .paging : .other
            case 13: return Reader.equal(key, "formatversion") ? .formatVersion : .other
            default: return .other
            }
        }
    }

    private func readTopLevelObject() throws -> String {
        while try tokenizer.next() == .key {
            let line = tokenizer.line
            switch envelopeMember() {
            case .formatVersion: try readFormatVersion(line: line)
            case .complete: try readComplete(line: line)
            case .totalResults: envelope.declaredTotal = try readCount(name: "totalResults", line: line)
            case .users:
                envelope.usersArrayLine = line
                try readUsers(.usersMember, name: "users")
            case .resources:
                envelope.sawResources = true
                try readUsers(.resources, name: "Resources")
            case .schemas:
                envelope.declaresListResponse = try readSchemasDeclaringListResponse() || envelope.declaresListResponse
            case .paging:
                envelope.sawPagingMember = true
                try tokenizer.skipValue()
            case .links:
                envelope.sawLinks = true
                try tokenizer.skipValue()
            case .userMember:
                if envelope.userMemberLine == nil { envelope.userMemberLine = line }
                try tokenizer.skipValue()
            case .other:
                try tokenizer.skipValue()
            }
        }
        return try topLevelObjectFormat()
    }

    private func topLevelObjectFormat() throws -> String {
        if envelope.formatVersionLine != nil {
            if let line = envelope.firstThousandEyesV7Line { throw missingIDError(line: line) }
            guard envelope.usersArrayLine != nil else {
                throw error(
                    line: envelope.formatVersionLine,
                    "has a formatVersion but no \"users\" array, so it is truncated or not a teprov snapshot; capture it again with teprov snapshot"
                )
            }
            return SnapshotInfo.teprovSnapshot
        }
        if envelope.thousandEyesV7Users > 0 {
            guard envelope.scimUsersInUsersArray == 0 else {
                throw error(
                    line: envelope.firstThousandEyesV7Line,
                    "mixes SCIM users and ThousandEyes v7 users in one \"users\" array; capture a SCIM snapshot with teprov snapshot"
                )
            }
            return SnapshotInfo.thousandEyesV7
        }
        if let line = envelope.usersArrayLine {
            if envelope.scimUsersInUsersArray == 0 && envelope.sawLinks { return SnapshotInfo.thousandEyesV7 }
            throw error(
                line: line,
                "has a \"users\" array but no formatVersion, so it is not a teprov snapshot and its completeness is unknown; capture one with teprov snapshot, or pass the SCIM ListResponse as served"
            )
        }
        if envelope.isListResponse { return SnapshotInfo.scimListResponse }
        if let line = envelope.userMemberLine {
            throw error(
                line: line,
                "holds one user object, not a list of users; pass a snapshot written by teprov snapshot, a SCIM ListResponse, or an array of users"
            )
        }
        throw error(
            line: 1,
            "has neither \"users\" nor \"Resources\", so it is not a snapshot; pass a snapshot written by teprov snapshot or a SCIM ListResponse"
        )
    }

    private func readFormatVersion(line: Int) throws {
        let token = try tokenizer.next()
        let version = token == .number ? tokenizer.int64Value() : nil
        guard version == 1 else {
            let shown: String
            switch token {
            case .number: shown = tokenizer.withNumberBytes { String(decoding: $0, as: UTF8.self) }
            case .string: shown = "\"\(tokenizer.stringValue())\""
            default: shown = "that is not a number"
            }
            if token.startsValue { try tokenizer.skipValue(startingWith: token) }
            throw error(
                line: line,
                "has formatVersion \(shown), which this teprov does not read (it reads 1); use the teprov that wrote it or capture the snapshot again"
            )
        }
        envelope.formatVersionLine = line
    }

    private func readComplete(line: Int) throws {
        let token = try tokenizer.next()
        var complete: Bool?
        switch token {
        case .bool(let flag):
            complete = flag
        case .string:
            complete = tokenizer.withStringBytes { text in
                SnapshotUserReader.equal(text, "true") ? true : SnapshotUserReader.equal(text, "false") ? false : nil
            }
        default:
            try tokenizer.skipValue(startingWith: token)
        }
        guard let complete else {
            throw error(
                line: line,
                "has a \"complete\" that is neither true nor false; capture the snapshot again with teprov snapshot")
        }
        envelope.complete = (complete, line)
    }

    /// A whole-number count (`totalResults`).
    func readCount(name: String, line: Int) throws -> (count: Int64, line: Int)? {
        let token = try tokenizer.next()
        if token == .null { return nil }
        guard token == .number, let count = tokenizer.int64Value(), count >= 0 else {
            if token.startsValue { try tokenizer.skipValue(startingWith: token) }
            throw error(line: line, "has a \(name) that is not a whole number; pass the response as the server sent it")
        }
        return (count, line)
    }

    /// Reads `schemas`; `true` when it names the SCIM ListResponse message.
    func readSchemasDeclaringListResponse() throws -> Bool {
        let token = try tokenizer.next()
        guard token == .beginArray else {
            try tokenizer.skipValue(startingWith: token)
            return false
        }
        var declares = false
        while true {
            let element = try tokenizer.next()
            if element == .endArray { return declares }
            if element == .string,
                tokenizer.keyEqualsIgnoringCase("urn:ietf:params:scim:api:messages:2.0:ListResponse")
            {
                declares = true
            } else {
                try tokenizer.skipValue(startingWith: element)
            }
        }
    }

    // MARK: Errors

    func error(line: Int?, _ message: String) -> TeprovError {
        TeprovError(.input, message, file: tokenizer.sourceName, line: line)
    }

    func missingIDError(line: Int) -> TeprovError {
        error(
            line: line,
            "a user has no \"id\" (SCIM gives every user one), so teprov cannot pair it with the other snapshot; capture the snapshot with teprov snapshot"
        )
    }

    // MARK: Recording users

    /// Appends a user (`DiffSnapshotReader+Users` reads them).
    func append(_ user: DiffUserRecord) {
        users.append(user)
    }

    /// Makes room for `count` users when the file announces its size.
    func reserveUsers(_ count: Int) {
        users.reserveCapacity(count)
    }

    /// Keeps a decoded string (one that had escapes) and returns its reference.
    func keepDecoded(_ text: String, length: Int) -> DiffTextRef {
        decodedTexts.append(text)
        return DiffTextRef(location: Int32(-decodedTexts.count), length: Int32(clamping: length))
    }
}
