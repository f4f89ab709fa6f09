/// How `diff` pairs the users of the two snapshots (SPEC §9 `--key`).
public enum DiffKey: String, Sendable, CaseIterable {
    /// The SCIM `id` (a ThousandEyes v7 user's `uid`), compared exactly.
    case id
    /// The userName, compared ignoring case as SCIM does (`caseExact: false`), after trimming and NFC.
    case userName
}

/// One snapshot's users indexed by the pairing key, without a million-entry `Dictionary<String, Int>`:
/// an open-addressing table of user indices tagged with 32 bits of their key's hash (like
/// `TextKeyTable`), so keys are compared only when the tags agree.
struct DiffKeyIndex: Sendable {
    let key: DiffKey
    /// User indices by key hash.
    private var table: TextKeyTable
    /// Each user's key hash, by user index.
    private(set) var hashes: [UInt64]
    /// Folded userNames of users whose userName is not plain, trimmed ASCII (user index → folded form).
    private(set) var foldedNames: [Int: String] = [:]

    /// Indexes the users of `snapshot` by `key`.
    /// - Throws: `TeprovError(.input)` when two users share a key, or (for `.userName`) a user has none.
    init(_ snapshot: DiffSnapshot, key: DiffKey) throws {
        self.key = key
        table = TextKeyTable(expectedCount: snapshot.users.count)
        hashes = []
        hashes.reserveCapacity(snapshot.users.count)
        for index in snapshot.users.indices {
            let hash = try keyHash(ofUser: index, in: snapshot)
            hashes.append(hash)
            let folded = foldedNames
            let earlier = table.insert(index, hash: hash) { other in
                Self.sameKey(key, snapshot, folded, index, snapshot, folded, other)
            }
            if let earlier { throw duplicateError(snapshot, earlier, index) }
        }
    }

    /// The user indexed here whose key equals that of user `otherIndex` of `other` (indexed by `otherKeys`).
    @inline(__always)
    func find(_ otherIndex: Int, of other: DiffSnapshot, keys otherKeys: DiffKeyIndex, in snapshot: DiffSnapshot)
        -> Int?
    {
        table.find(hash: otherKeys.hashes[otherIndex]) { candidate in
            Self.sameKey(key, snapshot, foldedNames, candidate, other, otherKeys.foldedNames, otherIndex)
        }
    }

    // MARK: Keys

    private mutating func keyHash(ofUser index: Int, in snapshot: DiffSnapshot) throws -> UInt64 {
        let user = snapshot.users[index]
        switch key {
        case .id:
            return snapshot.withBytes(user.id, ofUser: index) { TextKeyTable.hash($0, foldingASCIICase: false).hash }
                ?? 0
        case .userName:
            let plain = snapshot.withBytes(user.userName, ofUser: index) { bytes -> UInt64? in
                let (hash, isASCII) = TextKeyTable.hash(bytes, foldingASCIICase: true)
                guard isASCII, let first = bytes.first, let last = bytes.last, first > 0x20, last > 0x20 else {
                    return nil
                }
                return hash
            }
            if let plain, let hash = plain { return hash }
            // Not plain ASCII: trim, compose (NFC) and lower-case it, as SnapshotReader and plan compare userNames.
            let folded = snapshot.userName(ofUser: index).flatMap(TextNormalization.normalize)?.lowercased()
            guard var folded else {
                throw TeprovError(
                    .input,
                    "the user \"\(snapshot.id(ofUser: index))\" has no userName, so --key userName cannot pair it; pair the snapshots by --key id",
                    file: snapshot.name, line: Int(user.line))
            }
            foldedNames[index] = folded
            return folded.withUTF8 { TextKeyTable.hash($0, foldingASCIICase: true).hash }
        }
    }

    /// `true` when user `lhs` of `left` and user `rhs` of `right` have the same key.
    @inline(__always)
    static func sameKey(
        _ key: DiffKey, _ left: DiffSnapshot, _ leftFoldedNames: [Int: String], _ lhs: Int, _ right: DiffSnapshot,
        _ rightFoldedNames: [Int: String], _ rhs: Int
    ) -> Bool {
        switch key {
        case .id:
            return left.withBytes(left.users[lhs].id, ofUser: lhs) { mine in
                right.withBytes(right.users[rhs].id, ofUser: rhs) { theirs in mine.elementsEqual(theirs) } ?? false
            } ?? false
        case .userName:
            let leftFolded = leftFoldedNames.isEmpty ? nil : leftFoldedNames[lhs]
            let rightFolded = rightFoldedNames.isEmpty ? nil : rightFoldedNames[rhs]
            return withFoldedName(left, lhs, leftFolded) { mine in
                withFoldedName(right, rhs, rightFolded) { theirs in
                    TextKeyTable.equalIgnoringASCIICase(mine, theirs)
                }
            }
        }
    }

    /// Calls `body` with the user's folded userName, or its plain ASCII userName (compared ignoring ASCII case).
    @inline(__always)
    private static func withFoldedName(
        _ snapshot: DiffSnapshot, _ index: Int, _ folded: String?, _ body: (UnsafeBufferPointer<UInt8>) -> Bool
    ) -> Bool {
        if var folded { return folded.withUTF8(body) }
        return snapshot.withBytes(snapshot.users[index].userName, ofUser: index, body) ?? false
    }

    private func duplicateError(_ snapshot: DiffSnapshot, _ earlier: Int, _ later: Int) -> TeprovError {
        let first = snapshot.users[earlier]
        let second = snapshot.users[later]
        switch key {
        case .id:
            return TeprovError(
                .input,
                "the users at lines \(first.line) and \(second.line) both have the id \"\(snapshot.id(ofUser: later))\";"
                    + " a snapshot must list each user once, so capture it again with teprov snapshot",
                file: snapshot.name, line: Int(second.line))
        case .userName:
            let firstName = snapshot.userName(ofUser: earlier) ?? ""
            let secondName = snapshot.userName(ofUser: later) ?? ""
            let names =
                firstName == secondName
                ? "both have the userName \"\(secondName)\""
                : "have the userNames \"\(firstName)\" and \"\(secondName)\", which are the same ignoring case"
            return TeprovError(
                .input,
                "the users \"\(snapshot.id(ofUser: earlier))\" (line \(first.line)) and \"\(snapshot.id(ofUser: later))\""
                    + " (line \(second.line)) \(names), so --key userName cannot pair them; pair the snapshots by --key id",
                file: snapshot.name, line: Int(second.line))
        }
    }
}
