/// Walks a snapshot file for `diff` with the streaming tokenizer, keeping for each user only where
/// its JSON text lies and where its `id` and userName are (`DiffUserRecord`).
///
/// The walk, the formats and the refusals are `SnapshotStructureReading`'s, as for `SnapshotReader`
/// (SPEC §6 "Snapshot"). Unlike `plan`, `diff` reads a snapshot that misses users and says so
/// (`incompleteness(format:)`), and reads a ThousandEyes v7 export.
final class DiffSnapshotReader: SnapshotStructureReading {
    let tokenizer: JSONTokenizer
    var envelope = SnapshotEnvelope()
    let policy = SnapshotStructurePolicy(
        refusesThousandEyesV7: false, refusesIncomplete: false, missingIDConsequence: "pair it with the other snapshot")
    private(set) var users: [DiffUserRecord] = []
    private(set) var decodedTexts: [String] = []

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

    /// Why the file may miss users, or `nil` when nothing says it does.
    func incompleteness(format: String) -> DiffNote? {
        guard let missing = SnapshotChecks.incompleteness(format: format, envelope: envelope, users: users.count) else {
            return nil
        }
        return DiffNote(
            file: tokenizer.sourceName, line: missing.line,
            message: "the snapshot \(missing.reason), so users it misses show as added or removed")
    }

    var userCount: Int { users.count }

    func reserveUsers(_ count: Int) {
        users.reserveCapacity(count)
    }

    /// `diff` compares users, not envelopes: `capturedAt` and `source` are skipped.
    func readEnvelopeText() throws -> String? {
        try tokenizer.skipValue()
        return nil
    }

    /// Keeps a decoded string (one that had escapes) and returns its reference.
    func keepDecoded(_ text: String, length: Int) -> DiffTextRef {
        decodedTexts.append(text)
        return DiffTextRef(location: Int32(-decodedTexts.count), length: Int32(clamping: length))
    }

    // MARK: Users

    /// The members a user's identity comes from.
    private struct IdentityMembers {
        var id = DiffTextRef.absent
        var userName = DiffTextRef.absent
        /// A ThousandEyes v7 user's `uid` and `email`.
        var uid = DiffTextRef.absent
        var email = DiffTextRef.absent
    }

    private enum UserMember {
        case id, userName, uid, email, other
    }

    /// Reads a user object whose `{` was read (and, with `keyPending`, its first key too), through its `}`.
    func readUser(_ place: SnapshotUserPlace, line: Int, start: Int, keyPending: Bool) throws {
        var members = IdentityMembers()
        if keyPending { try readUserMember(into: &members, start: start) }
        while try tokenizer.next() == .key {
            try readUserMember(into: &members, start: start)
        }
        let end = tokenizer.inputOffset(of: tokenizer.position)
        users.append(try finishUser(members, place: place, line: line, start: start, end: end))
    }

    @inline(__always)
    private func readUserMember(into members: inout IdentityMembers, start: Int) throws {
        let kind = tokenizer.withStringBytes { key -> UserMember in
            typealias Reader = SnapshotUserReader
            switch key.count {
            case 2: return Reader.equal(key, "id") ? .id : .other
            case 3: return Reader.equal(key, "uid") ? .uid : .other
            case 5: return Reader.equal(key, "email") ? .email : .other
            case 8: return Reader.equal(key, "username") ? .userName : .other
            default: return .other
            }
        }
        switch kind {
        case .id: members.id = try readIdentity(start: start)
        case .userName: members.userName = try readIdentity(start: start)
        case .uid: members.uid = try readIdentity(start: start)
        case .email: members.email = try readIdentity(start: start)
        case .other: try tokenizer.skipValue()
        }
    }

    /// A non-empty string or a number (ThousandEyes v6 wrote numeric ids), as written; anything else is absent.
    private func readIdentity(start: Int) throws -> DiffTextRef {
        let token = try tokenizer.next()
        switch token {
        case .string:
            guard tokenizer.stringByteCount > 0 else { return .absent }
            if tokenizer.stringIsDecoded {
                return keepDecoded(tokenizer.stringValue(), length: tokenizer.stringByteCount)
            }
            return try reference(storageOffset: tokenizer.stringStart, length: tokenizer.stringLength, start: start)
        case .number:
            return try reference(storageOffset: tokenizer.numberStart, length: tokenizer.numberLength, start: start)
        default:
            try tokenizer.skipValue(startingWith: token)
            return .absent
        }
    }

    private func reference(storageOffset: Int, length: Int, start: Int) throws -> DiffTextRef {
        let offset = tokenizer.inputOffset(of: storageOffset) - start
        guard let location = Int32(exactly: offset), let count = Int32(exactly: length) else {
            throw error(line: tokenizer.line, "has a user object larger than 2 GB, which is not a ThousandEyes user")
        }
        return DiffTextRef(location: location, length: count)
    }

    /// Applies the id rules (`admitUser`) and, for a ThousandEyes v7 user, takes `uid` as its id and
    /// `email` as its userName.
    private func finishUser(_ members: IdentityMembers, place: SnapshotUserPlace, line: Int, start: Int, end: Int)
        throws -> DiffUserRecord
    {
        let isThousandEyesV7 = try admitUser(
            hasID: !members.id.isAbsent, looksLikeThousandEyesV7: !members.uid.isAbsent, place: place, line: line)
        let id = isThousandEyesV7 ? members.uid : members.id
        let userName = isThousandEyesV7 ? members.email : members.userName
        return DiffUserRecord(start: start, end: end, line: Int32(clamping: line), id: id, userName: userName)
    }

    /// Input offset of the `{` just read.
    func objectStart() -> Int { tokenizer.inputOffset(of: tokenizer.position) - 1 }
}
