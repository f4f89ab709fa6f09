/// The rules a snapshot must pass before a plan may trust it (SPEC §6 "Snapshot"): every user
/// listed once, by `id` and by userName (compared ignoring case), and no user missing.
enum SnapshotChecks {
    /// Throws when two users share an `id`, or userNames equal ignoring case; the message names the
    /// first pair (both lines) and how many repeat in all.
    static func verifyUnique(_ users: [TargetUser], file: String) throws {
        try verifyUniqueIDs(users, file: file)
        try verifyUniqueUserNames(users, file: file)
    }

    private static func verifyUniqueIDs(_ users: [TargetUser], file: String) throws {
        var table = TextKeyTable(expectedCount: users.count)
        var firstPair: (Int, Int)?
        var repeats = 0
        // In blocks: the block's hashes are worked out and their slots prefetched before any is inserted, so
        // the cache misses of a block overlap.
        let block = PrefetchBlock.size
        var hashes = [UInt64](repeating: 0, count: block)
        var start = 0
        while start < users.count {
            let end = min(start + block, users.count)
            for index in start..<end {
                var id = users[index].id
                hashes[index - start] = id.withUTF8 { TextKeyTable.hash($0, foldingASCIICase: false).hash }
                table.prefetch(hash: hashes[index - start])
            }
            for index in start..<end {
                var id = users[index].id
                let hash = hashes[index - start]
                let earlier = id.withUTF8 { bytes in
                    table.insert(index, hash: hash) { other in
                        var otherID = users[other].id
                        return otherID.withUTF8 { $0.elementsEqual(bytes) }
                    }
                }
                if let earlier {
                    repeats += 1
                    if firstPair == nil { firstPair = (earlier, index) }
                }
            }
            start = end
        }
        guard let (earlier, later) = firstPair else { return }
        let first = users[earlier]
        let second = users[later]
        throw TeprovError(
            .input,
            "the users at lines \(first.line) and \(second.line) both have the id \"\(second.id)\"\(moreText(repeats, "id"));"
                + " a snapshot must list each user once, so capture it again with teprov snapshot",
            file: file, line: second.line)
    }

    private static func verifyUniqueUserNames(_ users: [TargetUser], file: String) throws {
        var table = TextKeyTable(expectedCount: users.count)
        var firstPair: (Int, Int)?
        var repeats = 0
        // In blocks, as `verifyUniqueIDs`: hashes and prefetches first, then the inserts.
        let block = PrefetchBlock.size
        var hashes = [(hash: UInt64, isASCII: Bool)](repeating: (0, false), count: block)
        var start = 0
        while start < users.count {
            let end = min(start + block, users.count)
            for index in start..<end {
                guard var userName = users[index].userName else { continue }
                hashes[index - start] = userName.withUTF8 { TextKeyTable.hash($0, foldingASCIICase: true) }
                if hashes[index - start].isASCII { table.prefetch(hash: hashes[index - start].hash) }
            }
            for index in start..<end {
                guard var userName = users[index].userName else { continue }
                let (hash, isASCII) = hashes[index - start]
                let earlier = userName.withUTF8 { bytes in
                    if isASCII {
                        return table.insert(index, hash: hash) { other in
                            guard let otherName = users[other].userName else { return false }
                            var otherText = otherName
                            let sameASCII = otherText.withUTF8 { otherBytes -> Bool? in
                                otherBytes.allSatisfy { $0 < 0x80 }
                                    ? TextKeyTable.equalIgnoringASCIICase(bytes, otherBytes) : nil
                            }
                            return sameASCII ?? (caseFolded(otherName) == caseFolded(users[index].userName ?? ""))
                        }
                    }
                    // Unicode lower-casing can turn a non-ASCII name into an ASCII one (K, KELVIN SIGN): hash the
                    // folded form.
                    var folded = caseFolded(users[index].userName ?? "")
                    let foldedHash = folded.withUTF8 { TextKeyTable.hash($0, foldingASCIICase: true).hash }
                    return table.insert(index, hash: foldedHash) { other in
                        caseFolded(users[other].userName ?? "") == folded
                    }
                }
                if let earlier {
                    repeats += 1
                    if firstPair == nil { firstPair = (earlier, index) }
                }
            }
            start = end
        }
        guard let (earlier, later) = firstPair else { return }
        let first = users[earlier]
        let second = users[later]
        let firstName = first.userName ?? ""
        let secondName = second.userName ?? ""
        let names =
            firstName == secondName
            ? "both have the userName \"\(secondName)\""
            : "have the userNames \"\(firstName)\" and \"\(secondName)\", which are the same ignoring case"
        throw TeprovError(
            .input,
            "the users \"\(first.id)\" (line \(first.line)) and \"\(second.id)\" (line \(second.line)) \(names)"
                + "\(moreText(repeats, "userName")); ThousandEyes identifies people by it, so remove or rename one of them in ThousandEyes and capture the snapshot again",
            file: file, line: second.line)
    }

    private static func moreText(_ repeats: Int, _ noun: String) -> String {
        repeats > 1 ? " (\(repeats) repeated \(noun)s in all)" : ""
    }

    /// The form userNames are compared in (SPEC §4: `lowercased()`); ASCII lower-case text is
    /// returned as is, sharing its storage.
    @inline(__always)
    static func caseFolded(_ text: String) -> String {
        for byte in text.utf8 where byte >= 0x80 || (byte >= 0x41 && byte <= 0x5A) { return text.lowercased() }
        return text
    }

    /// Why the file misses users, or `nil` when nothing says it does.
    static func incompleteness(format: String, envelope: SnapshotEnvelope, users: Int) -> (reason: String, line: Int?)?
    {
        switch format {
        case SnapshotInfo.teprovSnapshot:
            guard let complete = envelope.complete else {
                return (
                    "does not say \"complete\": true, so its capture may have missed users", envelope.formatVersionLine
                )
            }
            if !complete.value { return ("says \"complete\": false (its capture missed users)", complete.line) }
            if let total = envelope.declaredTotal, Int64(users) < total.count {
                return ("says totalResults is \(total.count) but holds \(users) users", total.line)
            }
        case SnapshotInfo.scimListResponse:
            if let total = envelope.declaredTotal, Int64(users) < total.count {
                return ("says totalResults is \(total.count) but holds \(users) distinct users", total.line)
            }
        case SnapshotInfo.scimPages:
            if let total = envelope.largestPageTotal, Int64(users) < total.count {
                return (
                    "has pages that say totalResults is \(total.count) but hold \(users) distinct users in all",
                    total.line
                )
            }
        default:
            break
        }
        return nil
    }

    /// The refusal of a snapshot that misses users.
    static func incompleteError(file: String, line: Int?, reason: String, isListResponse: Bool = false) -> TeprovError {
        let remedy =
            isListResponse
            ? "put every page into the file or capture it with teprov snapshot"
            : "capture it again with teprov snapshot"
        return TeprovError(
            .input,
            "the snapshot \(reason), and every missing user would look deleted; \(remedy),"
                + " or pass --allow-incomplete-snapshot to plan without disables or deletes",
            file: file, line: line)
    }
}
