extension ReconcileRun {
    var deprovisionAllowed: Bool { input.snapshotComplete }

    /// Step 5: per user, create / update / disable / delete / nothing.
    func decideUsers() {
        if !input.snapshotComplete {
            diagnostics.append(
                Diagnostic(
                    .warning, file: "", line: nil,
                    "the snapshot is incomplete (--allow-incomplete-snapshot): no user is disabled or deleted in this plan"
                ))
        }
        var updates = preparedUpdates()
        var creates = preparedCreates()
        // Room for every create and update at once: growing the array step by step copied it over and over.
        pendingWrites.reserveCapacity(pendingWrites.count + creates.count + updates.count)
        var nextCreate = 0
        var nextUpdate = 0
        for user in input.users.indices where !skippedUsers[user] {
            // The out-of-scope reason only: copying the whole user would retain and release each of its values.
            let reason = input.users[user].scope.reason
            if reason == nil {
                summary.inScope += 1
                if let target = matchedTarget[user] {
                    var prepared: PreparedUpdate?
                    while nextUpdate < updates.count, updates[nextUpdate].user < user { nextUpdate += 1 }
                    if nextUpdate < updates.count, updates[nextUpdate].user == user {
                        // Moved out, not copied: each is used once.
                        prepared = Self.take(&updates[nextUpdate].update, leaving: .taken)
                        nextUpdate += 1
                    }
                    decideUpdate(user, target, prepared: prepared)
                } else {
                    var prepared: PreparedCreate?
                    while nextCreate < creates.count, creates[nextCreate].user < user { nextCreate += 1 }
                    if nextCreate < creates.count, creates[nextCreate].user == user {
                        // Moved out, not copied: each is used once.
                        prepared = Self.take(&creates[nextCreate].create, leaving: .taken)
                        nextCreate += 1
                    }
                    decideCreate(user, prepared: prepared)
                }
            } else if let target = matchedTarget[user] {
                decideDeprovision(user, target, reason: reason ?? .unassigned)
            } else {
                summary.outOfScope += 1
                trace(
                    user: user,
                    "decision: out of scope (\(reason?.rawValue ?? "")) and not in the target: nothing to do"
                )
            }
        }
    }

    /// What `take` leaves in a pending write whose operation went into the plan.
    static let takenOperation = PlanOperation(
        id: "", action: .create, reason: "", source: nil, target: nil, matchedBy: nil, changes: [],
        request: PlanRequest(method: "", path: "", body: nil), precondition: nil)

    /// Moves the value out of `place`, leaving `empty` there (so that using a prepared value once copies nothing).
    static func take<Value>(_ place: inout Value, leaving empty: Value) -> Value {
        var taken = empty
        swap(&taken, &place)
        return taken
    }

    /// What a create of a user sends, which depends on that user alone.
    struct PreparedCreate {
        var changes: [AttributeChange]
        var request: PlanRequest

        /// What `take` leaves behind.
        static let taken = PreparedCreate(changes: [], request: PlanRequest(method: "", path: "", body: nil))
    }

    /// The create of every in-scope user that matched no target, built for all users at once, one half per
    /// core (users read in place); `decideUsers` hands each to `decideCreate` in order.
    func preparedCreates() -> [(user: Int, create: PreparedCreate)] {
        guard config.actions.create else { return [] }
        // Locals, read by both cores without touching this object's properties.
        let (skipped, matched) = (skippedUsers, matchedTarget)
        return ParallelWork.halves(of: input.users.count) { range -> [(user: Int, create: PreparedCreate)] in
            input.users.withUnsafeBufferPointer { users in
                var found: [(user: Int, create: PreparedCreate)] = []
                for user in range where !skipped[user] && matched[user] == nil && users[user].scope.reason == nil {
                    // Through a pointer: passing `users[user]` would copy the user, retaining all it holds.
                    let desired = users.baseAddress.unsafelyUnwrapped + user
                    found.append(
                        (user, PreparedCreate(changes: createChanges(desired), request: requests.create(desired)))
                    )
                }
                return found
            }
        }
    }

    /// The changes of a create: every value sent, from null.
    func createChanges(_ desired: UnsafePointer<DesiredUser>) -> [AttributeChange] {
        var changes: [AttributeChange] = []
        for slot in slots.targets.indices {
            guard let new = desired.pointee.valueOnCreate(at: slot) else { continue }
            changes.append(AttributeChange(attribute: slots.targetTexts[slot], old: .null, new: new.jsonValue))
        }
        return changes
    }

    /// - Parameter prepared: the user's create from `preparedCreates`, or `nil` to build it here.
    func decideCreate(_ user: Int, prepared: PreparedCreate? = nil) {
        guard config.actions.create else {
            skip(user, target: nil, "ActionDisabled", "the user would be created, but actions.create is false")
            return
        }
        let identityText = identity(of: user, onCreate: true)
        guard let identityText, ValueComparison.isValidAddress(identityText) else {
            skip(
                user, target: nil, "AttributeValidationFailed",
                "ThousandEyes needs an e-mail address as identity, and \(identityText.map { "\"\($0)\"" } ?? "no value") is not one"
            )
            return
        }
        // The user is read in place: a copy would retain and release each of its values.
        let newUserName = slots.userNameSlot.flatMap { input.users[user].valueOnCreate(at: $0)?.scalarText }
        let operation = PlanOperation(
            id: "", action: .create, reason: "NotMatched", source: sourceReference(user), target: nil, matchedBy: nil,
            changes: prepared?.changes ?? withUser(user, createChanges),
            request: prepared?.request ?? withUser(user, requests.create), precondition: nil)
        pendingWrites.append(
            PendingWrite(
                user: user, target: nil, operation: operation, newUserName: newUserName, newIdentity: identityText))
        trace(user: user, "decision: create (NotMatched)")
    }

    /// What an update of a user sends: the slots whose values differ from the target's, the changes, the request
    /// and its precondition.
    struct PreparedUpdate {
        var changed: [Int]
        var changes: [AttributeChange]
        var request: PlanRequest
        var precondition: Precondition

        /// What `take` leaves behind.
        static let taken = PreparedUpdate(
            changed: [], changes: [], request: PlanRequest(method: "", path: "", body: nil),
            precondition: Precondition(version: nil, fingerprint: ""))
    }

    /// The update of every in-scope, matched user that differs from its target in a compared attribute, in user
    /// order: the comparisons are most of `decideUsers` and most users have no change, so they (and the updates
    /// they lead to) are worked out for every user at once, each half of the users on one core. Users and
    /// targets are read in place (copying one would retain what all of them share, from both cores at once).
    func preparedUpdates() -> [(user: Int, update: PreparedUpdate)] {
        // Locals, read by both cores without touching this object's properties.
        let (skipped, matched, caseExact) = (skippedUsers, matchedTarget, slots.caseExact)
        let compared = slots.targets.indices.filter { slots.compared[$0] }
        return ParallelWork.halves(of: input.users.count) { range -> [(user: Int, update: PreparedUpdate)] in
            input.users.withUnsafeBufferPointer { users in
                targets.withUnsafeBufferPointer { targets in
                    slots.accessors.withUnsafeBufferPointer { accessors in
                        var found: [(user: Int, update: PreparedUpdate)] = []
                        for user in range {
                            // The reason only: reading `scope` whole would retain its role values.
                            guard !skipped[user], users[user].scope.reason == nil, let target = matched[user] else {
                                continue
                            }
                            var differs = false
                            for slot in compared {
                                guard let new = users[user].value(at: slot) else { continue }
                                let old = accessors[slot].value(of: targets[target])
                                if !ValueComparison.equal(old, new, caseExact: caseExact[slot]) {
                                    differs = true
                                    break
                                }
                            }
                            if differs, let update = prepareUpdate(users[user], targets[target]) {
                                found.append((user, update))
                            }
                        }
                        return found
                    }
                }
            }
        }
    }

    /// The update of `current` to `desired`; `nil` when no compared attribute differs.
    func prepareUpdate(_ desired: DesiredUser, _ current: TargetUser) -> PreparedUpdate? {
        var changed: [Int] = []
        var changes: [AttributeChange] = []
        for slot in slots.targets.indices where slots.compared[slot] {
            guard let new = desired.value(at: slot) else { continue }
            let old = slots.accessors[slot].value(of: current)
            if ValueComparison.equal(old, new, caseExact: slots.caseExact[slot]) { continue }
            changed.append(slot)
            changes.append(
                AttributeChange(attribute: slots.targetTexts[slot], old: old?.jsonValue ?? .null, new: new.jsonValue))
        }
        if changed.isEmpty { return nil }
        return PreparedUpdate(
            changed: changed, changes: changes, request: requests.update(current, desired, changedSlots: changed),
            precondition: requests.precondition(current, desired))
    }

    /// - Parameter prepared: from `preparedUpdates`; `nil` is a user with nothing to change.
    func decideUpdate(_ user: Int, _ target: Int, prepared: PreparedUpdate?) {
        guard let prepared else {
            summary.noop += 1
            trace(user: user, "decision: no change (the target already holds every mapped value)")
            return
        }
        guard config.actions.update else {
            skip(user, target: target, "ActionDisabled", "the user would be updated, but actions.update is false")
            return
        }
        let changed = prepared.changed
        let current = targets[target]
        let reactivates =
            changed.contains { slots.isActive[$0] && input.users[user].value(at: $0)?.boolValue == true }
            && !current.active
        let touchesIdentity = changed.contains { slots.isUserName[$0] || slots.isWorkEmail[$0] }
        var newIdentity: String?
        if touchesIdentity {
            let identityText = identity(of: user) ?? current.workEmail ?? current.userName
            guard let identityText, ValueComparison.isValidAddress(identityText) else {
                skip(
                    user, target: target, "AttributeValidationFailed",
                    "the update would give the user the identity \(identityText.map { "\"\($0)\"" } ?? "(none)"), which is not an e-mail address"
                )
                return
            }
            newIdentity = identityText
        }
        let newUserName = changed.first { slots.isUserName[$0] }.flatMap { input.users[user].value(at: $0)?.scalarText }
        let operation = PlanOperation(
            id: "", action: .update, reason: reactivates ? "Reactivated" : "AttributesChanged",
            source: sourceReference(user), target: targetReference(target), matchedBy: matchedBy[user],
            changes: prepared.changes, request: prepared.request, precondition: prepared.precondition)
        pendingWrites.append(
            PendingWrite(
                user: user, target: target, operation: operation, newUserName: newUserName, newIdentity: newIdentity))
        trace(
            user: user,
            "decision: update (\(operation.reason)): " + prepared.changes.map(\.attribute).joined(separator: ", "))
    }

    func decideDeprovision(_ user: Int, _ target: Int, reason: OutOfScopeReason) {
        let current = targets[target]
        guard managed[target] else {
            summary.unmanaged += 1
            trace(
                user: user,
                "decision: out of scope (\(reason.rawValue)), but the target is not managed by teprov: left alone")
            return
        }
        guard current.active else {
            summary.noop += 1
            trace(
                user: user,
                "decision: out of scope (\(reason.rawValue)) and the target is already inactive: nothing to do")
            return
        }
        let action: PlanAction?
        if reason == .sourceSoftDeleted {
            action = config.deprovision.softDeleted == .disable ? .disable : nil
        } else {
            switch config.deprovision.outOfScope {
            case .disable: action = .disable
            case .delete: action = .delete
            case .none: action = nil
            }
        }
        guard let action else {
            summary.noop += 1
            trace(user: user, "decision: out of scope (\(reason.rawValue)); deprovisioning is off for this reason")
            return
        }
        addDeprovision(action, target: target, reason: reason.rawValue, user: user)
    }

    /// Step 6: managed targets matched by no record are orphans (hard-deleted people).
    func decideOrphans() {
        for target in targets.indices where claimedBy.isEmpty(target) {
            guard managed[target] else {
                summary.unmanaged += 1
                continue
            }
            if isProtected(target) {
                skip(
                    nil, target: target, "ProtectedTarget",
                    "no valid record matches this managed user, but an invalid, skipped or duplicated record names it: left alone"
                )
                continue
            }
            guard targets[target].active else {
                trace(target: target, "decision: orphan already inactive: left alone")
                continue
            }
            if sourceIncomplete {
                skip(
                    nil, target: target, "SourceIncomplete",
                    "no source record matches this managed user, but an invalid or skipped record could be this person")
                continue
            }
            let action: PlanAction?
            switch config.deprovision.hardDeleted {
            case .delete: action = .delete
            case .disable: action = .disable
            case .none: action = nil
            }
            guard let action else {
                trace(target: target, "decision: orphan; deprovision.hardDeleted is none")
                continue
            }
            addDeprovision(action, target: target, reason: "SourceHardDeleted", user: nil)
        }
    }

    func addDeprovision(_ action: PlanAction, target: Int, reason: String, user: Int?) {
        guard deprovisionAllowed else {
            skip(
                user, target: target, "SnapshotIncomplete",
                "would be \(action.rawValue)d (\(reason)), but the snapshot is incomplete, so nothing is deprovisioned")
            return
        }
        if isProtected(target) {
            skip(
                user, target: target, "ProtectedTarget",
                "would be \(action.rawValue)d (\(reason)), but an invalid, skipped or duplicated record names it: left alone"
            )
            return
        }
        let enabled = action == .disable ? config.actions.disable : config.actions.delete
        guard enabled else {
            skip(
                user, target: target, "ActionDisabled",
                "the user would be \(action.rawValue)d, but actions.\(action.rawValue) is false")
            return
        }
        pendingDeprovisions.append(PendingDeprovision(action: action, target: target, reason: reason, user: user))
        if action == .delete { deletedTargets.insert(target) }
        let line = "decision: \(action.rawValue) (\(reason))"
        if let user { trace(user: user, line) } else { trace(target: target, line) }
    }

    /// The disables and deletes decided so far, as operations (in the order they were decided), built on both
    /// cores: each hashes its target's compared attributes for the precondition.
    func settlePendingDeprovisions() {
        let pending = pendingDeprovisions
        pendingDeprovisions = []
        operations += ParallelWork.halves(of: pending.count) { range in
            range.map { index in deprovisionOperation(pending[index]) }
        }
    }

    func deprovisionOperation(_ pending: PendingDeprovision) -> PlanOperation {
        let (action, target, user) = (pending.action, pending.target, pending.user)
        let changes =
            action == .disable ? [AttributeChange(attribute: "active", old: .bool(true), new: .bool(false))] : []
        let request = action == .disable ? requests.disable(targets[target]) : requests.delete(targets[target])
        return PlanOperation(
            id: "", action: action, reason: pending.reason, source: user.map(sourceReference),
            target: targetReference(target), matchedBy: user.flatMap { matchedBy[$0] }, changes: changes,
            request: request, precondition: requests.precondition(targets[target], nil))
    }

    /// Creates and updates whose userName or identity email another (not deleted) target holds are skipped.
    /// The look-ups are made for every write at once, each half on one core; the verdicts are then applied in
    /// order, each operation moved (not copied) into the plan.
    func settlePendingWrites() {
        enum Verdict {
            case keep
            case userNameHeld(by: Int)
            case emailHeld(by: Int)
        }
        let (targets, indexes, deleted) = (self.targets, self.indexes, deletedTargets)
        let verdicts = pendingWrites.withUnsafeBufferPointer { writes in
            ParallelWork.halves(of: writes.count) { range -> [Verdict] in
                range.map { position in
                    func heldByOther(_ index: TextIndex, _ value: String?, keyOf: (Int) -> String?) -> Int? {
                        guard let value else { return nil }
                        var candidate = index.first(value, keyOf: keyOf)
                        while let target = candidate {
                            if target != writes[position].target, !deleted.contains(target) { return target }
                            candidate = index.next(after: target)
                        }
                        return nil
                    }
                    if let other = heldByOther(
                        indexes.byUserName, writes[position].newUserName, keyOf: { targets[$0].userName })
                    {
                        return .userNameHeld(by: other)
                    }
                    if let other = heldByOther(
                        indexes.byIdentityEmail, writes[position].newIdentity,
                        keyOf: { targets[$0].workEmail ?? targets[$0].userName })
                    {
                        return .emailHeld(by: other)
                    }
                    return .keep
                }
            }
        }
        var writes: [PendingWrite] = []
        swap(&writes, &pendingWrites)
        operations.reserveCapacity(operations.count + writes.count)
        writes.withUnsafeMutableBufferPointer { writes in
            for position in writes.indices {
                let (user, target) = (writes[position].user, writes[position].target)
                switch verdicts[position] {
                case .keep:
                    // Moved out of the pending write: the write is not used again.
                    operations.append(Self.take(&writes[position].operation, leaving: Self.takenOperation))
                case .userNameHeld(let other):
                    skip(
                        user, target: target, "UserNameConflict",
                        "userName \(writes[position].newUserName ?? "") is held by target \(targets[other].id)")
                case .emailHeld(let other):
                    skip(
                        user, target: target, "EmailConflict",
                        "e-mail \(writes[position].newIdentity ?? "") is the identity of target \(targets[other].id)")
                }
            }
        }
    }

    /// `safety.protectedUsers` are never disabled or deleted.
    func applyProtectedUsers() {
        let names = Set(config.safety.protectedUsers.map(ValueComparison.folded))
        guard !names.isEmpty else { return }
        operations.removeAll { operation in
            guard operation.action == .disable || operation.action == .delete,
                let userName = operation.target?.userName, names.contains(ValueComparison.folded(userName))
            else { return false }
            skipped.append(
                SkippedEntry(
                    reason: "ProtectedUser", source: operation.source, target: operation.target,
                    detail:
                        "\(userName) is in safety.protectedUsers; it would have been \(operation.action.rawValue)d (\(operation.reason))"
                ))
            return true
        }
    }

    /// Disables + deletes at or above the thresholds hold the plan (SPEC §6).
    func applyDeletionGuard() {
        // Counted in place: `filter` would copy every operation.
        var deletions = 0
        operations.withUnsafeBufferPointer { operations in
            for index in operations.indices
            where operations[index].action == .disable || operations[index].action == .delete {
                deletions += 1
            }
        }
        let managedCount = managed.reduce(0) { $0 + ($1 ? 1 : 0) }
        let safety = config.safety
        let overCount = safety.deletionThreshold > 0 && deletions >= safety.deletionThreshold
        let overPercent =
            deletions >= 10 && managedCount > 0
            && Double(deletions) * 100 >= safety.deletionThresholdPercent * Double(managedCount)
        guard overCount || overPercent else { return }
        for index in operations.indices
        where operations[index].action == .disable || operations[index].action == .delete {
            operations[index].held = true
        }
        diagnostics.append(
            Diagnostic(
                .warning, file: "", line: nil,
                "\(deletions) disables and deletes reach the deletion threshold (\(safety.deletionThreshold), or "
                    + "\(Int(safety.deletionThresholdPercent))% of \(managedCount) managed users): the plan is held"))
    }
}
