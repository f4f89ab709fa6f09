import Foundation

extension ApplyReport {
    /// The report of an apply run (SPEC §8 "Report").
    public init(
        run: ApplyRunResult, planPath: String, planDigest: String, target: String, statistics: RequestStatistics,
        startedAt: String?, reportPath: String?, logPath: String?, journalPath: String?
    ) {
        var counts: [PlanAction: [OperationStatus: Int]] = [:]
        var failures: [ApplyFailure] = []
        for record in run.records {
            counts[record.operation.action, default: [:]][record.status, default: 0] += 1
            guard record.status == .failed else { continue }
            failures.append(
                ApplyFailure(
                    operationID: record.operation.id, action: record.operation.action,
                    userName: record.operation.displayUserName, httpStatus: record.httpStatus,
                    scimType: record.scimType, detail: record.detail ?? record.reason ?? "failed",
                    attempts: record.attempts, reason: record.reason))
        }
        let finishedThisRun = run.records.filter { !$0.fromJournal && $0.status != .skipped }.count
        self.init(
            planPath: planPath, planDigest: planDigest, target: target, outcome: run.outcome,
            stopReason: run.stopReason,
            counts: counts, heldSkipped: run.heldSkipped, alreadyApplied: run.alreadyApplied,
            requests: statistics.requests, retries: statistics.retries, tooManyRequests: statistics.tooManyRequests,
            serverErrors: statistics.serverErrors, networkErrors: statistics.networkErrors, duration: run.duration,
            operationsPerSecond: ApplyReport.operationsPerSecond(operations: finishedThisRun, duration: run.duration),
            failures: failures, advice: run.advice, startedAt: startedAt, reportPath: reportPath, logPath: logPath,
            journalPath: journalPath)
    }
}

extension ProvisioningLogEntry {
    /// The log line of one finished operation.
    public init(record: ApplyOperationRecord, cycleId: String) {
        let errorCode: String?
        if record.status == .failed {
            errorCode = record.reason ?? record.httpStatus.map { "HTTP \($0)" }
        } else {
            errorCode = nil
        }
        var reason = record.detail ?? record.reason
        if record.status == .succeeded, reason == nil { reason = record.operation.reason }
        self.init(
            operation: record.operation, cycleId: cycleId,
            activityDateTime: UTCTimestamp.string(from: record.startedAt), status: record.status,
            targetID: record.targetID, errorCode: errorCode, reason: reason,
            durationInMilliseconds: record.durationMilliseconds)
    }
}
