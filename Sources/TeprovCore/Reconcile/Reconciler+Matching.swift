extension ReconcileRun {
    /// The value of a matching attribute for a user, as text.
    func matchingValue(_ user: Int, _ matcher: AttributeMapping) -> String? {
        input.users[user].value(for: matcher.target)?.scalarText
    }

    /// The identity ThousandEyes will see: the work email if mapped and non-null, else the userName.
    func identity(of user: Int, onCreate: Bool = false) -> String? {
        let desired = input.users[user]
        let email = desired.values.first(where: { $0.target == .workEmail })
        let emailValue = onCreate ? email?.valueOnCreate : email?.value
        if let text = emailValue?.scalarText { return text }
        let userName = desired.values.first(where: { $0.target.attribute == "userName" })
        return (onCreate ? userName?.valueOnCreate : userName?.value)?.scalarText
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
        var liveIds: Set<String> = []
        for user in input.users where !user.fromDeletedExport {
            if let id = user.sourceId { liveIds.insert(ValueComparison.folded(id)) }
        }
        for (index, user) in input.users.enumerated() where user.fromDeletedExport {
            guard let id = user.sourceId, liveIds.contains(ValueComparison.folded(id)) else { continue }
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
            guard matchers.allSatisfy({ matchingValue(user, $0) == nil }) else { continue }
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
        /// A matching value (by matcher position) or, with `kind == -1`, an identity e-mail.
        struct SharedKey: Hashable {
            var kind: Int
            var value: String
        }
        var keyOwners: [SharedKey: Int] = [:]
        var parent = Array(input.users.indices)
        func root(_ node: Int) -> Int {
            var node = node
            while parent[node] != node {
                parent[node] = parent[parent[node]]
                node = parent[node]
            }
            return node
        }
        for user in input.users.indices where !skippedUsers[user] {
            var keys: [SharedKey] = []
            for (position, matcher) in matchers.enumerated() {
                guard let value = matchingValue(user, matcher) else { continue }
                keys.append(
                    SharedKey(
                        kind: position,
                        value: matcher.target.attribute == "userName" ? ValueComparison.folded(value) : value))
            }
            if let identity = identity(of: user) {
                keys.append(SharedKey(kind: -1, value: ValueComparison.folded(identity)))
            }
            for key in keys {
                if let owner = keyOwners[key] {
                    let (a, b) = (root(owner), root(user))
                    if a != b { parent[max(a, b)] = min(a, b) }
                } else {
                    keyOwners[key] = user
                }
            }
        }
        var groups: [Int: [Int]] = [:]
        for user in input.users.indices where !skippedUsers[user] { groups[root(user), default: []].append(user) }
        for members in groups.values where members.count > 1 {
            let sorted = members.sorted()
            if canMerge(sorted) {
                for other in sorted.dropFirst() {
                    skippedUsers[other] = true
                    trace(user: other, "import: merged with the same person in \(input.users[sorted[0]].origin.file)")
                }
                continue
            }
            let places = sorted.map { "\(input.users[$0].origin.file):\(input.users[$0].origin.line)" }
            for user in sorted {
                protect(values: input.users[user].rawMatchingValues)
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
            guard files.insert(user.origin.file).inserted, user.sourceId == id, user.values == first.values else {
                return false
            }
        }
        return true
    }

    /// Step 4: matching attributes in precedence order; the first that finds exactly one target wins.
    func matchUsers() {
        let externalIdMapped = config.mappings.contains { $0.target.attribute == "externalId" }
        for user in input.users.indices where !skippedUsers[user] {
            for matcher in matchers {
                guard let value = matchingValue(user, matcher) else { continue }
                let isUserName = matcher.target.attribute == "userName"
                let candidates =
                    isUserName ? byUserName[ValueComparison.folded(value)] ?? [] : byExternalId[value] ?? []
                trace(user: user, "match: \(matcher.target) = \(value) → \(candidates.count) target(s)")
                if candidates.isEmpty { continue }
                if candidates.count > 1 {
                    protect(values: input.users[user].rawMatchingValues)
                    protectedTargets.formUnion(candidates)
                    skip(
                        user, target: candidates[0], "DuplicateTargetEntries",
                        "\(candidates.count) targets have \(matcher.target) \(value)")
                    break
                }
                let target = candidates[0]
                if isUserName, externalIdMapped, let targetAnchor = targets[target].externalId {
                    let ownAnchor = input.users[user].values.first { $0.target.attribute == "externalId" }?.value?
                        .scalarText
                    if ownAnchor != targetAnchor {
                        protect(values: input.users[user].rawMatchingValues)
                        protectedTargets.insert(target)
                        skip(
                            user, target: target, "AnchorConflict",
                            "userName \(value) belongs to a target with externalId \(targetAnchor), not "
                                + "\(ownAnchor ?? "(none)"): a reused userName must not take over another person's account"
                        )
                        break
                    }
                }
                matchedTarget[user] = target
                matchedBy[user] = matcher.target.description
                claimedBy[target].append(user)
                trace(user: user, "match: matched target \(targets[target].id) by \(matcher.target)")
                break
            }
        }
    }

    /// Two records claiming one target → both skip `DuplicateTargetEntries`.
    func skipContestedTargets() {
        for target in targets.indices where claimedBy[target].count > 1 {
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
