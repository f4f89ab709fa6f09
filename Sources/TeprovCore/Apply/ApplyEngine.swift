import Foundation

/// Executes a plan against a SCIM target (SPEC §8): phases in plan order with bounded concurrency,
/// preconditions, settling of unknown outcomes, a write-ahead journal, the quarantine and stale stops.
///
/// The engine is the same for a server and for `--offline`; only the `SCIMTarget` differs.
public struct ApplyEngine: Sendable {
    let plan: Plan
    let runner: SCIMRequestRunner
    let journal: ApplyJournal?
    let options: ApplyOptions
    let check: TargetStateCheck
    let monitor: ApplyRunMonitor
    let onFinished: @Sendable (ApplyOperationRecord) -> Void

    /// - Parameters:
    ///   - journal: the run's journal (`nil` for an offline run, which keeps nothing to resume).
    ///   - onFinished: called once per operation as it ends (provisioning log, progress), from any task.
    public init(
        plan: Plan, runner: SCIMRequestRunner, journal: ApplyJournal?, options: ApplyOptions,
        onFinished: @escaping @Sendable (ApplyOperationRecord) -> Void = { _ in }
    ) {
        self.plan = plan
        self.runner = runner
        self.journal = journal
        self.options = options
        self.check = TargetStateCheck(plan: plan)
        self.monitor = ApplyRunMonitor(options: options)
        self.onFinished = onFinished
    }

    /// The operations this run must consider: selected by `--only`/`--exclude`.
    func isSelected(_ operation: PlanOperation) -> Bool {
        if let only = options.only, !only.matches(operation) { return false }
        if let exclude = options.exclude, exclude.matches(operation) { return false }
        return true
    }

    /// Runs every selected operation and returns what happened to each.
    /// - Throws: `CancellationError` only; every other problem is an operation failure or a stop.
    public func run() async throws -> ApplyRunResult {
        let started = runner.clock.elapsed()
        let prior = journal?.priorStates ?? [:]
        var records: [String: ApplyOperationRecord] = [:]
        var toRun: [PlanOperation] = []
        var heldSkipped = 0
        for operation in plan.operations {
            if !isSelected(operation) {
                records[operation.id] = ApplyOperationRecord(
                    operation: operation, status: .skipped, reason: "NotSelected")
            } else if operation.held && options.allowDeletesDigest != plan.digest {
                heldSkipped += 1
                records[operation.id] = ApplyOperationRecord(
                    operation: operation, status: .skipped, reason: "HeldSkipped")
            } else if case .finished(let outcome)? = prior[operation.id],
                outcome.status == .succeeded || outcome.final
            {
                records[operation.id] = ApplyOperationRecord(
                    operation: operation, status: outcome.status, reason: outcome.reason,
                    httpStatus: outcome.httpStatus,
                    detail: outcome.status == .failed ? "recorded by an earlier run; not retried" : nil,
                    attempts: outcome.attempts, targetID: outcome.targetID, final: outcome.final, fromJournal: true)
            } else {
                toRun.append(operation)
            }
        }
        let selectedCount = plan.operations.filter(isSelected).count
        let alreadyApplied =
            toRun.isEmpty && selectedCount > 0
            && records.values.allSatisfy { $0.status == .succeeded || $0.reason == "NotSelected" }
        if !toRun.isEmpty {
            do {
                try await journal?.recordRunStart()
            } catch {
                monitor.stop("the journal cannot be written (\(error)); nothing was sent")
            }
        }
        for phase in [PlanAction.delete, .disable, .update, .create] {
            let operations = toRun.filter { $0.action == phase }
            for record in try await runPhase(operations, prior: prior) {
                records[record.operation.id] = record
            }
        }
        var journalTail: String?
        do {
            try journal?.flush()
        } catch {
            journalTail = "\(error)"
        }
        let ordered = plan.operations.compactMap { records[$0.id] }
        let stopReason = monitor.stopReason
        let failed = ordered.contains { $0.status == .failed }
        let outcome: ApplyRunResult.Outcome = stopReason != nil ? .stopped : (failed ? .partial : .succeeded)
        var advice: [String] = []
        if ordered.contains(where: { $0.reason == "DisableNotPersisted" }) {
            advice.append(
                "The target did not keep active=false (ThousandEyes documents no inactive state): set deprovision.outOfScope to delete, or to none to leave such users alone, and make a new plan."
            )
        }
        if let journalTail {
            advice.append(
                "The journal's last lines could not be written (\(journalTail)); rerunning the same command settles those operations with the server before sending anything."
            )
        }
        if ordered.contains(where: { $0.isStale }) {
            advice.append(
                "Users changed on the server since the snapshot were not touched (StaleTarget): take a new snapshot and make a new plan for them."
            )
        }
        return ApplyRunResult(
            outcome: outcome, stopReason: stopReason, records: ordered, heldSkipped: heldSkipped,
            alreadyApplied: alreadyApplied, duration: runner.clock.elapsed() - started, advice: advice)
    }

    /// Runs one phase with up to `options.concurrency` operations in flight; operations not started
    /// because the run stopped are recorded as skipped (`NotSent`).
    private func runPhase(_ operations: [PlanOperation], prior: [String: JournalEntryState]) async throws
        -> [ApplyOperationRecord]
    {
        guard !operations.isEmpty else { return [] }
        var results: [ApplyOperationRecord] = []
        results.reserveCapacity(operations.count)
        try await withThrowingTaskGroup(of: ApplyOperationRecord.self) { group in
            var next = 0
            func startNext() -> Bool {
                guard next < operations.count, monitor.stopReason == nil else { return false }
                let operation = operations[next]
                next += 1
                let state = prior[operation.id]
                group.addTask { try await self.runAndRecord(operation, prior: state) }
                return true
            }
            var started = 0
            while started < max(1, options.concurrency), startNext() { started += 1 }
            while let record = try await group.next() {
                results.append(record)
                _ = startNext()
            }
            while next < operations.count {
                results.append(
                    ApplyOperationRecord(
                        operation: operations[next], status: .skipped, reason: "NotSent",
                        detail: "the run stopped before this operation was sent"))
                next += 1
            }
        }
        return results
    }

    private func runAndRecord(_ operation: PlanOperation, prior: JournalEntryState?) async throws
        -> ApplyOperationRecord
    {
        let startedAt = Date()
        let start = runner.clock.elapsed()
        var record: ApplyOperationRecord
        do {
            record = try await execute(operation, prior: prior)
        } catch let failure as JournalFailure {
            monitor.stop("the journal cannot be written (\(failure.message)); the run stopped before its next request")
            record = ApplyOperationRecord(
                operation: operation, status: .failed, reason: "JournalWriteFailed", detail: failure.message,
                attempts: failure.attempts)
        }
        record.startedAt = startedAt
        let elapsed = runner.clock.elapsed() - start
        record.durationMilliseconds = Int(
            elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        if record.reason != "JournalWriteFailed" {
            do {
                // Not awaited: the next `sent` line's fsync (or the final flush) makes it durable, and an
                // outcome lost in a crash is settled on resume.
                try journal?.recordOutcomeWithoutWaiting(
                    JournalOutcome(
                        operationID: operation.id, status: record.status, reason: record.reason,
                        httpStatus: record.httpStatus, final: record.final, targetID: record.targetID,
                        attempts: record.attempts))
            } catch {
                monitor.stop("the journal cannot be written (\(error)); the run stopped before its next request")
            }
        }
        monitor.record(record)
        onFinished(record)
        return record
    }
}

/// A journal write failed before a request: the request was not sent.
struct JournalFailure: Error {
    var message: String
    var attempts: Int
}
