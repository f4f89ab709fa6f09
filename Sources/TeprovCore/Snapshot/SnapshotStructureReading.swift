/// Where a user object sits in a snapshot file, for the rules that depend on it.
enum SnapshotUserPlace {
    /// The top-level `users` array: a teprov snapshot or a ThousandEyes v7 export.
    case usersMember
    /// A ListResponse's `Resources`.
    case resources
    /// A top-level array of users.
    case topLevelArray
}

/// What differs between the readers of a snapshot's structure: `plan` refuses what `diff` reads.
struct SnapshotStructurePolicy {
    /// Refuse a ThousandEyes v7 `GET /users` export (it has no SCIM id to match or change users by).
    var refusesThousandEyesV7: Bool
    /// Refuse a file that says `"complete": false`, as soon as it says so.
    var refusesIncomplete: Bool
    /// What a user without an `id` keeps teprov from doing, in the error message.
    var missingIDConsequence: String
}

/// Reads the structure around the users of a snapshot file and names its format (SPEC §6
/// "Snapshot"): the teprov snapshot envelope, a SCIM ListResponse, an array of ListResponse pages, an
/// array of SCIM users, or a ThousandEyes v7 `GET /users` export. The structure is sniffed, not taken
/// from the file name; member names are matched ignoring case, as SCIM does.
///
/// `SnapshotDocumentReader` (for `plan`, `apply`, `snapshot`) and `DiffSnapshotReader` (for `diff`)
/// share this walk and differ in what they keep of each user.
protocol SnapshotStructureReading: AnyObject {
    var tokenizer: JSONTokenizer { get }
    var envelope: SnapshotEnvelope { get set }
    var policy: SnapshotStructurePolicy { get }
    /// Users read so far.
    var userCount: Int { get }
    /// Makes room for `count` users when the file announces its size.
    func reserveUsers(_ count: Int)
    /// Where the object whose `{` was just read starts (what the reader records of a user's text).
    func objectStart() -> Int
    /// Reads a user object whose `{` was read (and, with `keyPending`, its first key too), through its `}`.
    func readUser(_ place: SnapshotUserPlace, line: Int, start: Int, keyPending: Bool) throws
    /// Reads the elements of an array of users whose `[` was read, through its `]`; `name` is the
    /// member holding the array, for messages.
    func readUserElements(_ place: SnapshotUserPlace, name: String) throws
    /// Reads a text member of the envelope (`capturedAt`, `source`), or skips it.
    func readEnvelopeText() throws -> String?
}

extension SnapshotStructureReading {
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

    /// The default element loop: each element must be a user object.
    func readUserElements(_ place: SnapshotUserPlace, name: String) throws {
        while true {
            let element = try tokenizer.next()
            if element == .endArray { return }
            guard element == .beginObject else { throw notAUserObjectError(name: name) }
            try readUser(place, line: tokenizer.line, start: objectStart(), keyPending: false)
        }
    }

    // MARK: Top-level object: teprov snapshot, ListResponse, ThousandEyes v7

    private func readTopLevelObject() throws -> String {
        while try tokenizer.next() == .key {
            let line = tokenizer.line
            switch envelopeMember() {
            case .formatVersion: try readFormatVersion(line: line)
            case .capturedAt: envelope.capturedAt = try readEnvelopeText()
            case .source: envelope.source = try readEnvelopeText()
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
                if policy.refusesThousandEyesV7 { throw thousandEyesV7Error(line: line) }
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

    /// What the member whose key the tokenizer just returned is, in a top-level object.
    private func envelopeMember() -> SnapshotEnvelopeMember {
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
        if !complete && policy.refusesIncomplete {
            // Refuse before reading every user: nothing in the rest can make the file complete.
            throw SnapshotChecks.incompleteError(
                file: tokenizer.sourceName, line: line, reason: "says \"complete\": false (its capture missed users)")
        }
    }

    /// A whole-number count (`totalResults`).
    private func readCount(name: String, line: Int) throws -> (count: Int64, line: Int)? {
        let token = try tokenizer.next()
        if token == .null { return nil }
        guard token == .number, let count = tokenizer.int64Value(), count >= 0 else {
            if token.startsValue { try tokenizer.skipValue(startingWith: token) }
            throw error(line: line, "has a \(name) that is not a whole number; pass the response as the server sent it")
        }
        return (count, line)
    }

    /// Reads `schemas`; `true` when it names the SCIM ListResponse message.
    private func readSchemasDeclaringListResponse() throws -> Bool {
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

    // MARK: Top-level array: ListResponse pages or users

    private func readTopLevelArray() throws -> String {
        var isPages: Bool?
        while true {
            let element = try tokenizer.next()
            if element == .endArray { break }
            guard element == .beginObject else {
                throw error(
                    line: tokenizer.line,
                    "has an element of its top-level array that is not an object; the array must hold SCIM users or ListResponse pages"
                )
            }
            let line = tokenizer.line
            let start = objectStart()
            switch isPages {
            case false?:
                try readUser(.topLevelArray, line: line, start: start, keyPending: false)
            case true?:
                guard try readPageOrUser(line: line, start: start) else {
                    throw error(
                        line: line,
                        "mixes ListResponse pages and single users in its top-level array; pass the pages as the server sent them"
                    )
                }
            case nil:
                isPages = try readPageOrUser(line: line, start: start)
            }
        }
        return isPages == true ? SnapshotInfo.scimPages : SnapshotInfo.scimUsers
    }

    /// Reads an element of the top-level array whose `{` was just read, deciding from its first
    /// members whether it is a ListResponse page (`true`) or a user (`false`).
    private func readPageOrUser(line: Int, start: Int) throws -> Bool {
        var isPage = false
        var totalResults: (count: Int64, line: Int)?
        while true {
            let token = try tokenizer.next()
            if token == .endObject { break }
            let keyLine = tokenizer.line
            switch envelopeMember() {
            case .resources:
                isPage = true
                try readUsers(.resources, name: "Resources")
                continue
            case .totalResults:
                isPage = true
                totalResults = try readCount(name: "totalResults", line: keyLine)
                continue
            case .paging:
                isPage = true
                try tokenizer.skipValue()
                continue
            case .schemas:
                if try readSchemasDeclaringListResponse() { isPage = true }
                continue
            default:
                break
            }
            if isPage {
                try tokenizer.skipValue()
                continue
            }
            try readUser(.topLevelArray, line: line, start: start, keyPending: true)
            return false
        }
        guard isPage else { throw missingIDError(line: line) }
        envelope.pageEnded(totalResults: totalResults)
        return true
    }

    // MARK: Users

    /// Reads the array of users that is the value of the member `name`.
    private func readUsers(_ place: SnapshotUserPlace, name: String) throws {
        let token = try tokenizer.next()
        guard token == .beginArray else {
            if token == .null { return }
            throw error(
                line: tokenizer.line, "has a \"\(name)\" that is not an array of users; pass the file as it was written"
            )
        }
        if userCount == 0, let total = envelope.declaredTotal {
            // The teprov format announces its size first: no regrowing a million-element array.
            reserveUsers(Int(min(total.count, 10_000_000)))
        }
        try readUserElements(place, name: name)
    }

    /// Applies the id rules to a user just read: a SCIM user needs an `id`; a user without one is
    /// accepted only as a ThousandEyes v7 user (`uid`, `email`) in the `users` array of a file that is
    /// not a teprov snapshot and holds no SCIM user.
    /// - Returns: `true` for a ThousandEyes v7 user (its `uid` is then its id and its `email` its userName).
    func admitUser(hasID: Bool, looksLikeThousandEyesV7: Bool, place: SnapshotUserPlace, line: Int) throws -> Bool {
        if hasID {
            if place == .usersMember {
                if let v7Line = envelope.firstThousandEyesV7Line { throw missingIDError(line: v7Line) }
                envelope.scimUsersInUsersArray += 1
            }
            return false
        }
        let isThousandEyesV7 =
            looksLikeThousandEyesV7 && place == .usersMember && envelope.formatVersionLine == nil
            && envelope.scimUsersInUsersArray == 0
        guard isThousandEyesV7 else { throw missingIDError(line: line) }
        if policy.refusesThousandEyesV7 { throw thousandEyesV7Error(line: line) }
        envelope.thousandEyesV7Users += 1
        if envelope.firstThousandEyesV7Line == nil { envelope.firstThousandEyesV7Line = line }
        return true
    }

    // MARK: Errors

    func error(line: Int?, _ message: String) -> TeprovError {
        TeprovError(.input, message, file: tokenizer.sourceName, line: line)
    }

    func missingIDError(line: Int) -> TeprovError {
        error(
            line: line,
            "a user has no \"id\" (SCIM gives every user one), so teprov cannot \(policy.missingIDConsequence); capture the snapshot with teprov snapshot"
        )
    }

    func thousandEyesV7Error(line: Int) -> TeprovError {
        error(
            line: line,
            "is a ThousandEyes v7 /users export, which has no SCIM id or externalId; capture a SCIM snapshot with teprov snapshot"
        )
    }

    /// An element of the users array `name` that is not an object.
    func notAUserObjectError(name: String) -> TeprovError {
        error(
            line: tokenizer.line,
            "has an element of \"\(name)\" that is not a user object; pass the file as it was written")
    }
}

/// What a member of a snapshot's top-level object is.
enum SnapshotEnvelopeMember {
    case formatVersion, capturedAt, source, complete, totalResults, users, resources, schemas, paging, links
    case userMember, other
}
