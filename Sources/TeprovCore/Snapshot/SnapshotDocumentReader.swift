/// Reads a snapshot file into `TargetUser`s for `plan`, `apply` and `snapshot` (SPEC §6 "Snapshot").
/// The walk through the file's structure, its formats and its refusals are `SnapshotStructureReading`'s;
/// this reader keeps each user's attributes in a shared `SnapshotStore`.
final class SnapshotDocumentReader: SnapshotStructureReading {
    let tokenizer: JSONTokenizer
    let options: SnapshotReader.Options
    let policy: SnapshotStructurePolicy
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

    /// - Parameter rawText: the input the tokenizer reads from memory, when users' raw text is kept
    ///   (offsets in the tokenizer's buffer are offsets in it).
    init(tokenizer: JSONTokenizer, options: SnapshotReader.Options, layout: SnapshotAttributeLayout, rawText: [UInt8]?)
    {
        self.tokenizer = tokenizer
        self.options = options
        self.policy = SnapshotStructurePolicy(
            refusesThousandEyesV7: !options.allowV7, refusesIncomplete: !options.allowIncomplete,
            missingIDConsequence: "match or change it")
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

    var userCount: Int { users.count }

    func reserveUsers(_ count: Int) {
        users.reserveCapacity(count)
        rows.reserve(rows: count)
    }

    func readEnvelopeText() throws -> String? {
        try userReader.readText(reusing: nil)
    }

    /// Offset of the `{` just read, when user text is captured.
    func objectStart() -> Int { capturesRaw ? tokenizer.position - 1 : 0 }

    // MARK: Users

    /// The element loop for the users arrays (nearly every user of a large file). It works on local
    /// copies of the buffers (moved out and back): class properties passed inout would be checked for
    /// exclusive access at run time, for every user.
    func readUserElements(_ place: SnapshotUserPlace, name: String) throws {
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
            guard element == .beginObject else { throw notAUserObjectError(name: name) }
            let line = tokenizer.line
            let start = objectStart()
            user.reset()
            try userReader.readMembers(into: &user)
            read.append(try finishUser(&user, place: place, line: line, start: start))
        }
    }

    func readUser(_ place: SnapshotUserPlace, line: Int, start: Int, keyPending: Bool) throws {
        var user = takeFields()
        defer { fields = user }
        user.reset()
        if keyPending { try userReader.readMember(into: &user) }
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
    private func finishUser(_ fields: inout SnapshotUserFields, place: SnapshotUserPlace, line: Int, start: Int) throws
        -> TargetUser
    {
        let isThousandEyesV7 = try admitUser(
            hasID: fields.id != nil, looksLikeThousandEyesV7: fields.id == nil && fields.looksLikeThousandEyesV7,
            place: place, line: line)
        if isThousandEyesV7 { fields.adoptThousandEyesV7Members(layout: userReader.layout) }
        guard let id = SnapshotUserFields.take(&fields.id) else { throw missingIDError(line: line) }
        let row = try rows.append(
            values: fields.values, emails: fields.emails, rawRange: capturesRaw ? start..<tokenizer.position : nil)
        return TargetUser(
            id: id, externalId: SnapshotUserFields.take(&fields.externalId),
            userName: SnapshotUserFields.take(&fields.userName), active: fields.active,
            version: SnapshotUserFields.take(&fields.version), line: line, row: row, store: placeholderStore)
    }
}
