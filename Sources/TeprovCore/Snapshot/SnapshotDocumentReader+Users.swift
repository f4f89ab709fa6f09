extension SnapshotDocumentReader {
    // MARK: Top-level array: ListResponse pages or users

    func readTopLevelArray() throws -> String {
        var kind: ElementKind?
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
            let start = rawStart()
            switch kind {
            case .user?:
                try readUser(.topLevelArray, line: line, start: start)
            case .page?:
                guard try readPageOrUser(line: line, start: start) == .page else {
                    throw error(
                        line: line,
                        "mixes ListResponse pages and single users in its top-level array; pass the pages as the server sent them"
                    )
                }
            case nil:
                kind = try readPageOrUser(line: line, start: start)
            }
        }
        return kind == .page ? SnapshotInfo.scimPages : SnapshotInfo.scimUsers
    }

    /// Reads an element of the top-level array whose `{` was just read, deciding from its first
    /// members whether it is a ListResponse page or a user.
    private func readPageOrUser(line: Int, start: Int) throws -> ElementKind {
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
            var user = takeFields()
            defer { fields = user }
            user.reset()
            try userReader.readMember(into: &user)
            try userReader.readMembers(into: &user)
            users.append(try finishUser(&user, place: .topLevelArray, line: line, start: start))
            return .user
        }
        guard isPage else { throw missingIDError(line: line) }
        envelope.pageEnded(totalResults: totalResults)
        return .page
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
            // The teprov format announces its size first: no regrowing a million-element array.
            let expected = Int(min(total.count, 10_000_000))
            users.reserveCapacity(expected)
            rows.reserve(rows: expected)
        }
        // The loop works on local copies of the buffers (moved out and back): class properties
        // passed inout would be checked for exclusive access at run time, for every user.
        var user = takeFields()
        var read: [TargetUser] = []
        swap(&read, &users)
        defer {
            fields = user
            swap(&read, &users)
        }
        while true {
            let element = try tokenizer.next()
            if element == .endArray { return }
            guard element == .beginObject else {
                throw error(
                    line: tokenizer.line,
                    "has an element of \"\(name)\" that is not a user object; pass the file as it was written")
            }
            let line = tokenizer.line
            let start = rawStart()
            user.reset()
            try userReader.readMembers(into: &user)
            read.append(try finishUser(&user, place: place, line: line, start: start))
        }
    }

    /// Reads one user of a top-level array whose `{` was just read.
    func readUser(_ place: UserPlace, line: Int, start: Int) throws {
        var user = takeFields()
        defer { fields = user }
        user.reset()
        try userReader.readMembers(into: &user)
        users.append(try finishUser(&user, place: place, line: line, start: start))
    }

    /// Moves the user buffer out of `fields` (an empty one is left behind).
    private func takeFields() -> SnapshotUserFields {
        var taken = SnapshotUserFields(slots: 0)
        swap(&taken, &fields)
        return taken
    }

    /// Checks the user read into `fields` and stores its row.
    private func finishUser(_ fields: inout SnapshotUserFields, place: UserPlace, line: Int, start: Int) throws
        -> TargetUser
    {
        if fields.id != nil {
            if place == .usersMember {
                if let v7Line = envelope.firstThousandEyesV7Line { throw missingIDError(line: v7Line) }
                envelope.scimUsersInUsersArray += 1
            }
        } else {
            let isThousandEyesV7 =
                fields.looksLikeThousandEyesV7 && place == .usersMember && envelope.formatVersionLine == nil
                && envelope.scimUsersInUsersArray == 0
            guard isThousandEyesV7 else { throw missingIDError(line: line) }
            guard options.allowV7 else { throw thousandEyesV7Error(line: line) }
            envelope.thousandEyesV7Users += 1
            if envelope.firstThousandEyesV7Line == nil { envelope.firstThousandEyesV7Line = line }
            fields.adoptThousandEyesV7Members(layout: userReader.layout)
        }
        guard let id = SnapshotUserFields.take(&fields.id) else { throw missingIDError(line: line) }
        let row = try rows.append(
            values: fields.values, emails: fields.emails, rawRange: capturesRaw ? start..<tokenizer.position : nil)
        return TargetUser(
            id: id, externalId: SnapshotUserFields.take(&fields.externalId),
            userName: SnapshotUserFields.take(&fields.userName), active: fields.active,
            version: SnapshotUserFields.take(&fields.version), line: line, row: row, store: placeholderStore)
    }

    // MARK: Raw text

    /// Offset of the `{` just read, when user text is captured.
    private func rawStart() -> Int { capturesRaw ? tokenizer.position - 1 : 0 }
}
