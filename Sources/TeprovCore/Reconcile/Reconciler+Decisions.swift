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
        let differs = usersDifferingFromTheirTargets()
        let creates = preparedCreates()
        var nextCreate = 0
        for user in input.users.indices where !skippedUsers[user] {
            // The out-of-scope reason only: copying the whole user would retain and release each of its values.
            let reason = input.users[user].scope.reason
            if reason == nil {
                summary.inScope += 1
                if let target = matchedTarget[user] {
                    decideUpdate(user, target, differs: differs[user])
                } else {
                    var prepared: PreparedCreate?
                    if nextCreate < creates.count, creates[nextCreate].user == user {
                        prepared = creates[nextCreate].create
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

    /// What a create of a user sends, which depends on that user alone.
    struct PreparedCreate {
        var changes: [AttributeChange]
        var request: PlanRequest
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
                    found.append(
                        (
                            user,
                            PreparedCreate(changes: createChanges(users[user]), request: requests.create(users[user]))
                        )
                    )
                }
                return found
            }
        }
    }

    /// The changes of a create: every value sent, from null.
    func createChanges(_ desired: DesiredUser) -> [AttributeChange] {
        var changes: [AttributeChange] = []
        for slot in slots.targets.indices {
            guard let new = desired.valueOnCreate(at: slot) else { continue }
            changes.append(AttributeChange(attribute: slots.targetTexts[slot], old: .null, new: new.jsonValue))
        }
        return changes
    }

    /// - Parameter prepared: the user's create from `preparedCreates`, or `nil` to build it here.
    func decideCreate(_ user: Int, prepared: PreparedCreate? = nil) {
        let desired = input.users[user]
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
        let newUserName = slots.userNameSlot.flatMap { desired.valueOnCreate(at: $0)?.scalarText }
        let operation = PlanOperation(
            id: "", action: .create, reason: "NotMatched", source: sourceReference(user), target: nil, matchedBy: nil,
            changes: prepared?.changes ?? createChanges(desired),
            request: prepared?.request ?? requests.create(desired), precondition: nil)
        pendingWrites.append(
            PendingWrite(
                user: user, target: nil, operation: operation, newUserName: newUserName, newIdentity: identityText))
        trace(user: user, "decision: create (NotMatched)")
    }

    /// For each user, whether it is in scope, matched, and differs from its target in a compared attribute:
    /// the comparisons are most of `decideUsers` and most users have no change, so they are made for every
    /// user at once, each half of the users on one core. Users and targets are read in place (copying one
    /// would retain what all of them share, from both cores at once).
    func usersDifferingFromTheirTargets() -> [Bool] {
        // Locals, read by both cores without touching this object's properties.
        let (skipped, matched, caseExact) = (skippedUsers, matchedTarget, slots.caseExact)
        let compared = slots.targets.indices.filter { slots.compared[$0] }
        return ParallelWork.halves(of: input.users.count) { range -> [Bool] in
            input.users.withUnsafeBufferPointer { users in
                targets.withUnsafeBufferPointer { targets in
                    slots.accessors.withUnsafeBufferPointer { accessors in
                        range.map { user in
                            guard !skipped[user], users[user].scope.inScope, let target = matched[user] else {
                                return false
                            }
                            for slot in compared {
                                guard let new = users[user].value(at: slot) else { continue }
                                let old = accessors[slot].value(of: targets[target])
                                if !ValueComparison.equal(old, new, caseExact: caseExact[slot]) { return true }
                            }
                            return false
                        }
                    }
                }
            }
        }
    }

    /// - Parameter differs: from `usersDifferingFromTheirTargets`; `false` is a user with nothing to change.
    func decideUpdate(_ user: Int, _ target: Int, differs: Bool = true) {
        guard differs else {
            summary.noop += 1
            trace(user: user, "decision: no change (the target already holds every mapped value)")
            return
        }
        let desired = input.users[user]
        let current = targets[target]
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
        if changed.isEmpty {
            summary.noop += 1
            trace(user: user, "decision: no change (the target already holds every mapped value)")
            return
        }
        guard config.actions.update else {
            skip(user, target: target, "ActionDisabled", "the user would be updated, but actions.update is false")
            return
        }
        let reactivates =
            changed.contains { slots.isActive[$0] && desired.value(at: $0)?.boolValue == true }
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
        let newUserName = changed.first { slots.isUserName[$0] }.flatMap { desired.value(at: $0)?.scalarText }
        let operation = PlanOperation(
            id: "", action: .update, reason: reactivates ? "Reactivated" : "AttributesChanged",
            source: sourceReference(user), target: targetReference(target), matchedBy: matchedBy[user],
            changes: changes,
            request: requests.update(current, desired, changedSlots: changed),
            precondition: requests.precondition(current, desired))
        pendingWrites.append(
            PendingWrite(
                user: user, target: target, operation: operation, newUserName: newUserName, newIdentity: newIdentity))
        trace(user: user, "decision: update (\(operation.reason)): " + changes.map(\.attribute).joined(separator: ", "))
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
        let current = targets[target]
        let changes =
            action == .disable ? [AttributeChange(attribute: "active", old: .bool(true), new: .bool(false))] : []
        let request = action == .disable ? requests.disable(current) : requests.delete(current)
        operations.append(
            PlanOperation(
                id: "", action: action, reason: reason, source: user.map(sourceReference),
                target: targetReference(target),
                matchedBy: user.flatMap { matchedBy[$0] }, changes: changes, request: request,
                precondition: requests.precondition(current, nil)))
        if action == .delete { deletedTargets.insert(target) }
        let line = "decision: \(action.rawValue) (\(reason))"
        if let user { trace(user: user, line) } else { trace(target: target, line) }
    }

    /// Creates and updates whose userName or identity email another (not deleted) target holds are skipped.
    func settlePendingWrites() {
        for pending in pendingWrites {
            func heldByOther(_ index: TextIndex, _ value: String?, keyOf: (Int) -> String?) -> Int? {
                guard let value else { return nil }
                var candidate = index.first(value, keyOf: keyOf)
                while let target = candidate {
                    if target != pending.target, !deletedTargets.contains(target) { return target }
                    candidate = index.next(after: target)
                }
                return nil
            }
            let targets = self.targets
            if let other = heldByOther(indexes.byUserName, pending.newUserName, keyOf: { targets[$0].userName }) {
                skip(
                    pending.user, target: pending.target, "UserNameConflict",
                    "userName \(pending.newUserName ?? "") is held by target \(targets[other].id)")
                continue
            }
            if let other = heldByOther(
                indexes.byIdentityEmail, pending.newIdentity, keyOf: { targets[$0].workEmail ?? targets[$0].userName })
            {
                skip(
                    pending.user, target: pending.target, "EmailConflict",
                    "e-mail \(pending.newIdentity ?? "") is the identity of target \(targets[other].id)")
                continue
            }
            operations.append(pending.operation)
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
        let deletions = operations.filter { $0.action == .disable || $0.action == .delete }.count
        let managedCount = managed.filter { $0 }.count
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
