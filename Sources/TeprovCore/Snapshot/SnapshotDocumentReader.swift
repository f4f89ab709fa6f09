/// Reads the structure around the users of a snapshot file and names its format (SPEC §6
/// "Snapshot"): the teprov snapshot envelope, a SCIM ListResponse, an array of ListResponse pages,
/// an array of SCIM users, or a ThousandEyes v7 `GET /users` export. The structure is sniffed, not
/// taken from the file name; member names are matched ignoring case, as SCIM does.
final class SnapshotDocumentReader {
    let tokenizer: JSONTokenizer
    let options: SnapshotReader.Options
    let userReader: SnapshotUserReader
    /// `true` when users' raw text is kept; needs an in-memory tokenizer, whose buffer offsets are
    /// offsets in the input.
    let capturesRaw: Bool
    var users: [TargetUser] = []
    var envelope = SnapshotEnvelope()
    /// Rows of the users read; `finishedUsers()` freezes them into the store.
    var rows: SnapshotStore.Builder
    /// The user being read (one buffer for all users).
    var fields: SnapshotUserFields
    /// The store users point to until `finishedUsers()` gives them the real one.
    let placeholderStore: SnapshotStore

    /// Where a user object sits, for the rules that depend on it.
    enum UserPlace {
        /// The top-level `users` array: a teprov snapshot or a ThousandEyes v7 export.
        case usersMember
        /// A ListResponse's `Resources`.
        case resources
        /// A top-level array of users.
        case topLevelArray
    }

    enum ElementKind {
        case page, user
    }

    /// - Parameter rawText: the input the tokenizer reads from memory, when users' raw text is kept
    ///   (offsets in the tokenizer's buffer are offsets in it).
    init(tokenizer: JSONTokenizer, options: SnapshotReader.Options, layout: SnapshotAttributeLayout, rawText: [UInt8]?)
    {
        self.tokenizer = tokenizer
        self.options = options
        self.userReader = SnapshotUserReader(tokenizer: tokenizer, layout: layout)
        self.capturesRaw = rawText != nil
        self.rows = SnapshotStore.Builder(layout: layout, rawText: rawText)
        self.fields = userReader.newFields()
        self.placeholderStore = SnapshotStore(layout: layout)
    }

    /// The users read, pointing at their shared store.
    func finishedUsers() -> [TargetUser] {
        let store = SnapshotStore(rows)
        var finished: [TargetUser] = []
        swap(&finished, &users)
        for index in finished.indices { finished[index].store = store }
        return finished
    }

    /// Reads the whole file.
    /// - Returns: the format name (`SnapshotInfo.format`).
    func read() throws -> String {
        let token = try tokenizer.next()
        let format: String
        switch token {
        case .beginObject: format = try readTopLevelObject()
        case .beginArray: format = try readTopLevelArray()
        case .endOfInput:
            throw error(line: nil, "is empty; pass a snapshot written by teprov snapshot")
        default:
            throw error(
                line: tokenizer.line,
                "holds a single JSON value instead of users; pass a snapshot written by teprov snapshot or a SCIM ListResponse"
            )
        }
        try tokenizer.expectEndOfInput()
        return format
    }

    // MARK: Top-level object: teprov snapshot, ListResponse, ThousandEyes v7

    enum EnvelopeMember {
        case formatVersion, capturedAt, source, complete, totalResults, users, resources, schemas, paging, links
        case userMember, other
    }

    func envelopeMember() -> EnvelopeMember {
        tokenizer.withStringBytes { key in
            typealias Reader = SnapshotUserReader
            switch key.count {
            case 2: return Reader.equal(key, "id") ? .userMember : .other
            case 5: return Reader.equal(key, "users") ? .users : .other
            case 6: return Reader.equal(key, "source") ? .source : Reader.equal(key, "_links") ? .links : .other
            case 7: return Reader.equal(key, "schemas") ? .schemas : .other
            case 8:
                return Reader.equal(key, "complete") ? .complete : Reader.equal(key, "username") ? .userMember : .other
            case 9: return Reader.equal(key, "resources") ? .resources : .other
            case 10:
                return Reader.equal(key, "capturedat")
                    ? .capturedAt : Reader.equal(key, "startindex") ? .paging : .other
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
            case .capturedAt: envelope.capturedAt = try userReader.readText(reusing: nil)
            case .source: envelope.source = try userReader.readText(reusing: nil)
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
            if envelope.scimUsersInUsersArray == 0 && envelope.sawLinks {
                guard options.allowV7 else { throw thousandEyesV7Error(line: line) }
                return SnapshotInfo.thousandEyesV7
            }
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
        guard let complete = try userReader.readBoolean() else {
            throw error(
                line: line,
                "has a \"complete\" that is neither true nor false; capture the snapshot again with teprov snapshot")
        }
        envelope.complete = (complete, line)
        if !complete && !options.allowIncomplete {
            // Refuse before reading every user: nothing in the rest can make the file complete.
            throw SnapshotChecks.incompleteError(
                file: tokenizer.sourceName, line: line, reason: "says \"complete\": false (its capture missed users)")
        }
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
            "a user has no \"id\" (SCIM gives every user one), so teprov cannot match or change it; capture the snapshot with teprov snapshot"
        )
    }

    func thousandEyesV7Error(line: Int) -> TeprovError {
        error(
            line: line,
            "is a ThousandEyes v7 /users export, which has no SCIM id or externalId; capture a SCIM snapshot with teprov snapshot"
        )
    }
}
