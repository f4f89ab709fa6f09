extension ReconcileRun {
    var matchers: [AttributeMapping] { slots.matchers }

    /// Reads user `user` in place: `input.users[user]` copies the whole user (a retain and a release of every
    /// reference it holds), even to read one value, and the reconciler reads a million users several times.
    @inline(__always)
    func withUser<Result>(_ user: Int, _ body: (UnsafePointer<DesiredUser>) -> Result) -> Result {
        input.users.withUnsafeBufferPointer { users in body(users.baseAddress.unsafelyUnwrapped + user) }
    }

    /// The value of the matching attribute at `position` in `matchers` for a user, as text.
    @inline(__always)
    func matchingValue(_ user: Int, _ position: Int) -> String? {
        guard let slot = slots.matcherSlots[position] else { return nil }
        return withUser(user) { $0.pointee.value(at: slot)?.scalarText }
    }

    /// The identity ThousandEyes will see: the work email if mapped and non-null, else the userName.
    func identity(of user: Int, onCreate: Bool = false) -> String? {
        withUser(user) { desired in
            func text(_ slot: Int?) -> String? {
                guard let slot else { return nil }
                return (onCreate ? desired.pointee.valueOnCreate(at: slot) : desired.pointee.value(at: slot))?
                    .scalarText
            }
            return text(slots.workEmailSlot) ?? text(slots.userNameSlot)
        }
    }

    /// SPEC §6 safety: an invalid record protects the targets its raw values name; one with none turns orphan
    /// detection off.
    func protectFromInvalidRecords() {
        let builder = DesiredUserBuilder(mappings: config.mappings)
        for invalid in input.invalidRecords {
            let raw = invalid.partial.map { builder.rawMatchingValues(of: $0) } ?? []
            if raw.isEmpty {
                if !sourceIncomplete {
                    diagnostics.append(
                        Diagnostic(
                            .warning, file: invalid.origin.file, line: invalid.origin.line,
                            "an invalid record carries no matching value, so no target can be told apart from it: "
                                + "orphans are not deprovisioned in this plan (SourceIncomplete)"))
                }
                sourceIncomplete = true
            }
            protect(values: raw)
        }
    }

    /// SPEC §6: a record present in both `--users` and `--deleted` is taken from `--users`, with a warning.
    func dropDeletedDuplicatesOfUsers() {
        let users = input.users
        guard users.contains(where: \.fromDeletedExport) else { return }
        var liveIds = TextIndex(capacity: users.count, ignoringCase: true)
        for index in users.indices where !users[index].fromDeletedExport {
            if let id = users[index].sourceId { liveIds.insert(index, key: id) { users[$0].sourceId } }
        }
        for (index, user) in users.enumerated() where user.fromDeletedExport {
            guard let id = user.sourceId, liveIds.first(id, keyOf: { users[$0].sourceId }) != nil else { continue }
            skippedUsers[index] = true
            diagnostics.append(
                Diagnostic(
                    .warning, file: user.origin.file, line: user.origin.line,
                    "user \(id) is in --deleted and in --users; the --users record is used"))
            trace(user: index, "import: also in --deleted; the --users record is used")
        }
    }

    /// Step 1: no value for any matching attribute → `ImportSkipped`.
    func skipRecordsWithoutMatchingValues() {
        for user in input.users.indices where !skippedUsers[user] {
            guard matchers.indices.allSatisfy({ matchingValue(user, $0) == nil }) else { continue }
            let raw = input.users[user].rawMatchingValues
            if raw.isEmpty { sourceIncomplete = true }
            protect(values: raw)
            skip(
                user, target: nil, "ImportSkipped",
                "the record has no value for any matching attribute ("
                    + matchers.map(\.target.description).joined(separator: ", ") + ")")
        }
    }

    /// Step 2: records sharing a matching value or identity email are merged (different files, same id,
    /// identical values) or all skipped `DuplicateSourceEntries`.
    func skipDuplicateSources() {
        let users = input.users
        var parent = Array(users.indices)
        func root(_ node: Int) -> Int {
            var node = node
            while parent[node] != node {
                parent[node] = parent[parent[node]]
                node = parent[node]
            }
            return node
        }
        // One index per matching attribute (userName ignoring case), and one for the identity e-mail. Each
        // gives the pairs (first earlier user holding the key, user); the indexes are built at the same time
        // on the two cores, and the pairs joined after: the groups do not depend on the order of the joins.
        let keys: [(ignoringCase: Bool, keyOf: (Int) -> String?)] =
            matchers.indices.map { position in
                (slots.matcherIsUserName[position], { self.matchingValue($0, position) })
            } + [(true, { self.identity(of: $0) })]
        let skipped = skippedUsers
        let pairs = ParallelWork.map(keys.indices) { job -> [(owner: Int, user: Int)] in
            let keyOf = keys[job].keyOf
            var index = TextIndex(capacity: users.count, ignoringCase: keys[job].ignoringCase)
            var found: [(owner: Int, user: Int)] = []
            // In blocks: the block's keys are hashed and their slots prefetched, then inserted in order (the
            // inserts miss the cache nearly every time; prefetched, the misses of a block overlap).
            var block = PrefetchBlock()
            var start = 0
            while start < users.count {
                let end = min(start + PrefetchBlock.size, users.count)
                for user in start..<end {
                    block.keys[user - start] = skipped[user] ? nil : keyOf(user)
                    block.hashes[user - start] = block.keys[user - start].flatMap { index.asciiHash($0) }
                    if let hash = block.hashes[user - start] { index.prefetch(asciiHash: hash) }
                }
                for user in start..<end {
                    guard let key = block.keys[user - start],
                        let owner = index.insert(user, key: key, asciiHash: block.hashes[user - start], keyOf: keyOf)
                    else { continue }
                    found.append((owner, user))
                }
                start = end
            }
            return found
        }
        var joined = false
        for (owner, user) in pairs.joined() {
            let (a, b) = (root(owner), root(user))
            if a != b { parent[max(a, b)] = min(a, b) }
            joined = true
        }
        guard joined else { return }
        // Groups in reading order of their first record.
        var groups: [Int: [Int]] = [:]
        for user in users.indices where !skippedUsers[user] && root(user) != user {
            groups[root(user), default: []].append(user)
        }
        for first in groups.keys.sorted() {
            guard let others = groups[first] else { continue }
            let sorted = [first] + others
            if canMerge(sorted) {
                for other in sorted.dropFirst() {
                    skippedUsers[other] = true
                    trace(user: other, "import: merged with the same person in \(users[sorted[0]].origin.file)")
                }
                continue
            }
            let places = sorted.map { "\(users[$0].origin.file):\(users[$0].origin.line)" }
            for user in sorted {
                protect(values: users[user].rawMatchingValues)
                skip(
                    user, target: nil, "DuplicateSourceEntries",
                    "records at \(places.joined(separator: ", ")) share a matching value or identity email")
            }
        }
    }

    /// Records of one person exported to several files: different files, same id, identical mapped values.
    func canMerge(_ members: [Int]) -> Bool {
        let first = input.users[members[0]]
        guard let id = first.sourceId else { return false }
        var files: Set<String> = []
        for member in members {
            let user = input.users[member]
            guard files.insert(user.origin.file).inserted, user.sourceId == id, user.hasSameValues(as: first) else {
                return false
            }
        }
        return true
    }

    /// For each matcher position and user, the first target holding the user's value (-1 for none), looked up
    /// for all users at once, one half per core (look-ups only read the indexes). A position is looked up only
    /// for the users no earlier position found a target for, as `matchUsers` goes.
    func firstTargetsOfUsers() -> [[Int32]] {
        var needed = skippedUsers.map { !$0 }
        var firsts: [[Int32]] = []
        for position in matchers.indices {
            let isUserName = slots.matcherIsUserName[position]
            let index = isUserName ? indexes.byUserName : indexes.byExternalId
            let wanted = needed
            let found = ParallelWork.halves(of: input.users.count) { range -> [Int32] in
                targets.withUnsafeBufferPointer { targets in
                    let keyOf: (Int) -> String? = isUserName ? { targets[$0].userName } : { targets[$0].externalId }
                    var found: [Int32] = []
                    found.reserveCapacity(range.count)
                    // In blocks, the slots prefetched ahead of the look-ups (see `skipDuplicateSources`).
                    var block = PrefetchBlock()
                    var start = range.lowerBound
                    while start < range.upperBound {
                        let end = min(start + PrefetchBlock.size, range.upperBound)
                        for user in start..<end {
                            block.keys[user - start] = wanted[user] ? matchingValue(user, position) : nil
                            block.hashes[user - start] = block.keys[user - start].flatMap { index.asciiHash($0) }
                            if let hash = block.hashes[user - start] { index.prefetch(asciiHash: hash) }
                        }
                        for user in start..<end {
                            guard let value = block.keys[user - start] else {
                                found.append(-1)
                                continue
                            }
                            let first = index.first(value, asciiHash: block.hashes[user - start], keyOf: keyOf)
                            found.append(first.map(Int32.init) ?? -1)
                        }
                        start = end
                    }
                    return found
                }
            }
            for user in found.indices where found[user] >= 0 { needed[user] = false }
            firsts.append(found)
        }
        return firsts
    }

    /// Step 4: matching attributes in precedence order; the first that finds exactly one target wins.
    func matchUsers() {
        let externalIdMapped = slots.externalIdSlot != nil
        let targets = self.targets
        // A local array: an element of `input.users` was copied whole (every reference retained) to read it.
        let users = input.users
        let firsts = firstTargetsOfUsers()
        for user in users.indices where !skippedUsers[user] {
            for position in matchers.indices {
                // Most users match at once: their value, the index and its key reader are fetched only when
                // needed (each fetch retains and releases, a million times over).
                let first = firsts[position][user]
                guard first >= 0 else {
                    // No target: -1 also stands for a user without this value.
                    if !explainUsers.isEmpty, let value = matchingValue(user, position) {
                        trace(user: user, "match: \(slots.matcherTexts[position]) = \(value) → 0 target(s)")
                    }
                    continue
                }
                let target = Int(first)
                let isUserName = slots.matcherIsUserName[position]
                let hasAnother =
                    isUserName
                    ? indexes.byUserName.next(after: target) != nil : indexes.byExternalId.next(after: target) != nil
                if hasAnother {
                    let value = matchingValue(user, position) ?? ""
                    let index = isUserName ? indexes.byUserName : indexes.byExternalId
                    let keyOf: (Int) -> String? = isUserName ? { targets[$0].userName } : { targets[$0].externalId }
                    let candidates = index.all(value, keyOf: keyOf)
                    trace(
                        user: user,
                        "match: \(slots.matcherTexts[position]) = \(value) → \(candidates.count) target(s)")
                    protect(values: users[user].rawMatchingValues)
                    protectedTargets.formUnion(candidates)
                    skip(
                        user, target: candidates[0], "DuplicateTargetEntries",
                        "\(candidates.count) targets have \(slots.matcherTexts[position]) \(value)")
                    break
                }
                trace(
                    user: user,
                    "match: \(slots.matcherTexts[position]) = \(matchingValue(user, position) ?? "") → 1 target(s)")
                if isUserName, externalIdMapped, let targetAnchor = targets[target].externalId {
                    var ownAnchor: String?
                    if let slot = slots.externalIdSlot { ownAnchor = users[user].value(at: slot)?.scalarText }
                    if ownAnchor != targetAnchor {
                        protect(values: users[user].rawMatchingValues)
                        protectedTargets.insert(target)
                        skip(
                            user, target: target, "AnchorConflict",
                            "userName \(matchingValue(user, position) ?? "") belongs to a target with externalId \(targetAnchor), not "
                                + "\(ownAnchor ?? "(none)"): a reused userName must not take over another person's account"
                        )
                        break
                    }
                }
                matchedTarget[user] = target
                matchedBy[user] = slots.matcherTexts[position]
                claimedBy.append(user, to: target)
                trace(user: user, "match: matched target \(targets[target].id) by \(slots.matcherTexts[position])")
                break
            }
        }
    }

    /// Two records claiming one target → both skip `DuplicateTargetEntries`.
    func skipContestedTargets() {
        for target in claimedBy.contested {
            protectedTargets.insert(target)
            for user in claimedBy[target] {
                matchedTarget[user] = nil
                protect(values: input.users[user].rawMatchingValues)
                skip(
                    user, target: target, "DuplicateTargetEntries",
                    "\(claimedBy[target].count) source records match this target")
            }
        }
    }
}
