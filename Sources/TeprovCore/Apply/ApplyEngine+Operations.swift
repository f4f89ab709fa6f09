/// The request flow of each action (SPEC §8 "No duplicates", "Preconditions", "Disable check").
extension ApplyEngine {
    /// Runs one operation to its end: succeeded, or failed with a reason.
    /// - Throws: `JournalFailure` when the write-ahead record could not be written (nothing sent).
    func execute(_ operation: PlanOperation, prior: JournalEntryState?) async throws -> ApplyOperationRecord {
        var attempts = 0
        if case .sentWithoutOutcome(let earlier)? = prior { attempts = earlier }
        if case .finished(let outcome)? = prior { attempts = outcome.attempts }
        let resumed = prior != nil
        switch operation.action {
        case .create:
            return try await create(operation, resumed: resumed, attempts: attempts)
        case .update, .disable:
            return try await modify(operation, resumed: resumed, attempts: attempts)
        case .delete:
            return try await delete(operation, resumed: resumed, attempts: attempts)
        }
    }

    // MARK: create

    private func create(_ operation: PlanOperation, resumed: Bool, attempts startAttempts: Int) async throws
        -> ApplyOperationRecord
    {
        var attempts = startAttempts
        if resumed {
            switch try await settleCreate(operation, attempts: &attempts) {
            case .done(let record): return record
            case .notFound: break
            }
        }
        while true {
            let request = scimRequest(operation, ifMatch: nil)
            try await journalSent(operation, attempts: attempts)
            let exchange = try await runner.sendRetryingRefusals(request, previousAttempts: attempts)
            attempts = exchange.attempts
            if let response = exchange.response, response.isSuccess {
                if let id = Self.resourceID(response) {
                    return ApplyOperationRecord(
                        operation: operation, status: .succeeded, httpStatus: response.status, attempts: attempts,
                        targetID: id)
                }
                // A 2xx without the new id: look the user up to record it.
                switch try await settleCreate(operation, attempts: &attempts) {
                case .done(let record): return record
                case .notFound:
                    return failure(
                        operation, exchange, attempts: attempts, reason: "CreateNotFound",
                        detail: "the server accepted the create but the user cannot be found by externalId or userName")
                }
            }
            if let response = exchange.response, response.status == 409 {
                switch try await settleCreate(operation, attempts: &attempts) {
                case .done(let record): return record
                case .notFound:
                    return failure(operation, exchange, attempts: attempts, reason: "Conflict", final: true)
                }
            }
            guard isUnknownOutcome(exchange) else { return failure(operation, exchange, attempts: attempts) }
            guard attempts <= runner.policy.maxRetries, !exchange.retriesExhausted else {
                return failure(operation, exchange, attempts: attempts)
            }
            // The create may have reached the server: settle before sending it again.
            switch try await settleCreate(operation, attempts: &attempts) {
            case .done(let record): return record
            case .notFound: break
            }
            runner.statistics.recordRetry()
            try await runner.clock.sleep(for: runner.policy.delay(forAttempt: attempts, response: exchange.response))
        }
    }

    private enum Settlement {
        case done(ApplyOperationRecord)
        case notFound
    }

    /// Looks for the user a create may already have made: by `externalId`, then by `userName`. Found
    /// with the planned externalId or identity e-mail → succeeded (recording its id); found otherwise
    /// → `Conflict`; not found → send.
    private func settleCreate(_ operation: PlanOperation, attempts: inout Int) async throws -> Settlement {
        let body = operation.request.body
        let externalID = body?["externalId"].flatMap(\.stringValue)
        let userName = body?["userName"].flatMap(\.stringValue)
        let identityEmail = Self.identityEmail(body)
        var lookups: [(String, String)] = []
        if let externalID { lookups.append(("externalId", externalID)) }
        if let userName { lookups.append(("userName", userName)) }
        for (attribute, value) in lookups {
            let exchange = try await runner.sendRetryingAll(
                SCIMRequest.filterUsers(attribute: attribute, equals: value))
            guard let response = exchange.response, response.status == 200 else {
                return .done(
                    failure(
                        operation, exchange, attempts: attempts, reason: "OutcomeUnknown",
                        detail:
                            "the create's outcome is unknown and the server could not be asked (\(describe(exchange))); rerun the same command to settle it"
                    ))
            }
            for resource in Self.listedResources(response) {
                guard let id = resource["id"].flatMap(\.stringValue) else { continue }
                let theirExternalID = resource["externalId"].flatMap(\.stringValue)
                let emails = Self.emails(of: resource)
                let ours =
                    (externalID != nil && theirExternalID == externalID)
                    || (identityEmail != nil && emails.contains { $0.lowercased() == identityEmail?.lowercased() })
                if ours {
                    return .done(
                        ApplyOperationRecord(
                            operation: operation, status: .succeeded, reason: attempts > 0 ? "SettledExisting" : nil,
                            httpStatus: nil, attempts: attempts, targetID: id))
                }
                if attribute == "userName" {
                    return .done(
                        ApplyOperationRecord(
                            operation: operation, status: .failed, reason: "Conflict", httpStatus: 409,
                            detail:
                                "a user named \(userName ?? "") already exists (id \(id)) with another externalId and e-mail; it was not changed",
                            attempts: attempts, final: true, failureClass: .other))
                }
            }
        }
        return .notFound
    }

    // MARK: update and disable

    private func modify(_ operation: PlanOperation, resumed: Bool, attempts startAttempts: Int) async throws
        -> ApplyOperationRecord
    {
        var attempts = startAttempts
        var ifMatch: String?
        let version = operation.precondition?.version
        let useIfMatch = options.precondition == .auto && version != nil && !resumed
        if useIfMatch {
            ifMatch = version
        } else if options.precondition != .none || resumed {
            switch try await readTarget(operation, attempts: &attempts) {
            case .gone(let exchange):
                return stale(operation, exchange, attempts: attempts, detail: "the user no longer exists on the server")
            case .failed(let record):
                return record
            case .found(let user, let etag):
                if check.holdsPlannedValues(user, for: operation) {
                    return ApplyOperationRecord(
                        operation: operation, status: .succeeded, reason: "AlreadyApplied", attempts: attempts)
                }
                if options.precondition != .none, let planned = operation.precondition?.fingerprint,
                    check.fingerprint(user) != planned
                {
                    return stale(
                        operation, nil, attempts: attempts,
                        detail: "the user's compared attributes changed on the server since the snapshot")
                }
                if options.precondition != .none { ifMatch = etag ?? user.version }
            }
        }
        while true {
            try await journalSent(operation, attempts: attempts)
            let exchange = try await runner.sendRetryingRefusals(
                scimRequest(operation, ifMatch: ifMatch), previousAttempts: attempts)
            attempts = exchange.attempts
            if let response = exchange.response {
                if response.isSuccess {
                    return try await confirmed(operation, exchange: exchange, attempts: &attempts)
                }
                if response.status == 404 {
                    return stale(
                        operation, exchange, attempts: attempts, detail: "the user no longer exists on the server")
                }
                if response.status == 412 {
                    return try await reread(operation, exchange, attempts: &attempts)
                }
            }
            guard isUnknownOutcome(exchange) else { return failure(operation, exchange, attempts: attempts) }
            guard attempts <= runner.policy.maxRetries, !exchange.retriesExhausted else {
                return failure(operation, exchange, attempts: attempts)
            }
            // Settle by reading the user back: already holding the planned values means it arrived.
            switch try await readTarget(operation, attempts: &attempts) {
            case .gone(let gone):
                return stale(operation, gone, attempts: attempts, detail: "the user no longer exists on the server")
            case .failed(let record):
                return record
            case .found(let user, _):
                if check.holdsPlannedValues(user, for: operation) {
                    return ApplyOperationRecord(operation: operation, status: .succeeded, attempts: attempts)
                }
            }
            runner.statistics.recordRetry()
            try await runner.clock.sleep(for: runner.policy.delay(forAttempt: attempts, response: exchange.response))
        }
    }

    /// After a successful update: done. After a successful disable: read the user back, since
    /// ThousandEyes documents no inactive state (`DisableNotPersisted` when `active` is not false).
    private func confirmed(_ operation: PlanOperation, exchange: SCIMExchange, attempts: inout Int) async throws
        -> ApplyOperationRecord
    {
        let status = exchange.response?.status
        guard operation.action == .disable else {
            return ApplyOperationRecord(
                operation: operation, status: .succeeded, httpStatus: status, attempts: attempts)
        }
        switch try await readTarget(operation, attempts: &attempts) {
        case .found(let user, _) where !user.active:
            return ApplyOperationRecord(
                operation: operation, status: .succeeded, httpStatus: status, attempts: attempts)
        case .found:
            return ApplyOperationRecord(
                operation: operation, status: .failed, reason: "DisableNotPersisted", httpStatus: status,
                detail: "the server accepted active=false but still reports the user active", attempts: attempts,
                failureClass: .other)
        case .gone:
            return ApplyOperationRecord(
                operation: operation, status: .failed, reason: "DisableNotPersisted", httpStatus: status,
                detail: "the user could not be read back after the disable", attempts: attempts, failureClass: .other)
        case .failed(let record):
            return record
        }
    }

    /// A 412: the user changed since the plan. Already holding the planned values → succeeded, else `StaleTarget`.
    private func reread(_ operation: PlanOperation, _ exchange: SCIMExchange, attempts: inout Int) async throws
        -> ApplyOperationRecord
    {
        switch try await readTarget(operation, attempts: &attempts) {
        case .gone(let gone):
            if operation.action == .delete {
                return ApplyOperationRecord(
                    operation: operation, status: .succeeded, reason: "AlreadyGone", attempts: attempts)
            }
            return stale(operation, gone, attempts: attempts, detail: "the user no longer exists on the server")
        case .failed(let record):
            return record
        case .found(let user, _):
            if check.holdsPlannedValues(user, for: operation) {
                return ApplyOperationRecord(
                    operation: operation, status: .succeeded, reason: "AlreadyApplied", attempts: attempts)
            }
            return stale(
                operation, exchange, attempts: attempts,
                detail: "the user changed on the server since the snapshot (its version no longer matches)")
        }
    }

    // MARK: delete

    private func delete(_ operation: PlanOperation, resumed: Bool, attempts startAttempts: Int) async throws
        -> ApplyOperationRecord
    {
        var attempts = startAttempts
        var ifMatch: String?
        let version = operation.precondition?.version
        if options.precondition == .auto && version != nil && !resumed {
            ifMatch = version
        } else if options.precondition != .none || resumed {
            switch try await readTarget(operation, attempts: &attempts) {
            case .gone:
                return ApplyOperationRecord(
                    operation: operation, status: .succeeded, reason: "AlreadyGone", attempts: attempts)
            case .failed(let record):
                return record
            case .found(let user, let etag):
                if options.precondition != .none, let planned = operation.precondition?.fingerprint,
                    check.fingerprint(user) != planned
                {
                    return stale(
                        operation, nil, attempts: attempts,
                        detail: "the user's compared attributes changed on the server since the snapshot")
                }
                if options.precondition != .none { ifMatch = etag ?? user.version }
            }
        }
        while true {
            try await journalSent(operation, attempts: attempts)
            let exchange = try await runner.sendRetryingRefusals(
                scimRequest(operation, ifMatch: ifMatch), previousAttempts: attempts)
            attempts = exchange.attempts
            if let response = exchange.response {
                if response.isSuccess || response.status == 404 {
                    return ApplyOperationRecord(
                        operation: operation, status: .succeeded, reason: response.status == 404 ? "AlreadyGone" : nil,
                        httpStatus: response.status, attempts: attempts)
                }
                if response.status == 412 { return try await reread(operation, exchange, attempts: &attempts) }
            }
            guard isUnknownOutcome(exchange) else { return failure(operation, exchange, attempts: attempts) }
            guard attempts <= runner.policy.maxRetries, !exchange.retriesExhausted else {
                return failure(operation, exchange, attempts: attempts)
            }
            runner.statistics.recordRetry()
            try await runner.clock.sleep(for: runner.policy.delay(forAttempt: attempts, response: exchange.response))
        }
    }
}
