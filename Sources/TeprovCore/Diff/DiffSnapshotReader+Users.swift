extension DiffSnapshotReader {
    // MARK: Top-level array: ListResponse pages or users

    func readTopLevelArray() throws -> String {
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
    func readUsers(_ place: UserPlace, name: String) throws {
        let token = try tokenizer.next()
        guard token == .beginArray else {
            if token == .null { return }
            throw error(
                line: tokenizer.line, "has a \"\(name)\" that is not an array of users; pass the file as it was written"
            )
        }
        if users.isEmpty, let total = envelope.declaredTotal {
            reserveUsers(Int(min(total.count, 10_000_000)))
        }
        while true {
            let element = try tokenizer.next()
            if element == .endArray { return }
            guard element == .beginObject else {
                throw error(
                    line: tokenizer.line,
                    "has an element of \"\(name)\" that is not a user object; pass the file as it was written")
            }
            try readUser(place, line: tokenizer.line, start: objectStart(), keyPending: false)
        }
    }

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
    private func readUser(_ place: UserPlace, line: Int, start: Int, keyPending: Bool) throws {
        var members = IdentityMembers()
        if keyPending { try readUserMember(into: &members, start: start) }
        while try tokenizer.next() == .key {
            try readUserMember(into: &members, start: start)
        }
        let end = tokenizer.inputOffset(of: tokenizer.position)
        append(try finishUser(members, place: place, line: line, start: start, end: end))
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

    /// Applies the id rules of `SnapshotReader` and, for a ThousandEyes v7 user, takes `uid` as its
    /// id and `email` as its userName.
    private func finishUser(_ members: IdentityMembers, place: UserPlace, line: Int, start: Int, end: Int) throws
        -> DiffUserRecord
    {
        var id = members.id
        var userName = members.userName
        if !id.isAbsent {
            if place == .usersMember {
                if let v7Line = envelope.firstThousandEyesV7Line { throw missingIDError(line: v7Line) }
                envelope.scimUsersInUsersArray += 1
            }
        } else {
            let isThousandEyesV7 =
                !members.uid.isAbsent && place == .usersMember && envelope.formatVersionLine == nil
                && envelope.scimUsersInUsersArray == 0
            guard isThousandEyesV7 else { throw missingIDError(line: line) }
            envelope.thousandEyesV7Users += 1
            if envelope.firstThousandEyesV7Line == nil { envelope.firstThousandEyesV7Line = line }
            id = members.uid
            userName = members.email
        }
        return DiffUserRecord(start: start, end: end, line: Int32(clamping: line), id: id, userName: userName)
    }

    /// Input offset of the `{` just read.
    private func objectStart() -> Int { tokenizer.inputOffset(of: tokenizer.position) - 1 }
}
