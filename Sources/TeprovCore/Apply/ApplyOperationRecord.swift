import Foundation

/// What happened to one plan operation during an apply.
public struct ApplyOperationRecord: Sendable {
    /// Why a failure happened, for the quarantine rule (SPEC §8 "Quarantine").
    public enum FailureClass: Sendable, Hashable {
        /// 401 or 403: stops the run at once.
        case authorization
        /// Transport errors, 5xx, exhausted 429 retries: counted in the quarantine window.
        case unavailable
        /// Anything else (a final 4xx, `StaleTarget`, `Conflict`, `DisableNotPersisted`).
        case other
    }

    public var operation: PlanOperation
    public var status: OperationStatus
    /// `StaleTarget`, `Conflict`, `DisableNotPersisted`, `HTTP 400`, `TransportError`, `NotSent`,
    /// `HeldSkipped`, `NotSelected`, `AlreadyApplied`, or `nil` for a plain success.
    public var reason: String?
    public var httpStatus: Int?
    public var scimType: String?
    public var detail: String?
    public var attempts: Int
    /// The id a create produced.
    public var targetID: String?
    /// A failure that a rerun must not retry.
    public var final: Bool
    public var failureClass: FailureClass?
    /// `true` when this run only reported a result an earlier run had recorded in the journal.
    public var fromJournal: Bool
    public var startedAt: Date
    public var durationMilliseconds: Int

    init(
        operation: PlanOperation, status: OperationStatus, reason: String? = nil, httpStatus: Int? = nil,
        scimType: String? = nil, detail: String? = nil, attempts: Int = 0, targetID: String? = nil,
        final: Bool = false, failureClass: FailureClass? = nil, fromJournal: Bool = false,
        startedAt: Date = Date(), durationMilliseconds: Int = 0
    ) {
        self.operation = operation
        self.status = status
        self.reason = reason
        self.httpStatus = httpStatus
        self.scimType = scimType
        self.detail = detail
        self.attempts = attempts
        self.targetID = targetID
        self.final = final
        self.failureClass = failureClass
        self.fromJournal = fromJournal
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
    }

    public var isStale: Bool { reason == "StaleTarget" }
}

/// How an apply run ended, before it is written as a report.
public struct ApplyRunResult: Sendable {
    public typealias Outcome = ApplyReport.Outcome

    public var outcome: Outcome
    public var stopReason: String?
    /// One record per operation of the plan, in plan order.
    public var records: [ApplyOperationRecord]
    public var heldSkipped: Int
    /// Every selected operation had already succeeded in an earlier run; nothing was sent.
    public var alreadyApplied: Bool
    public var duration: Duration
    /// Advice for the report (e.g. what to do about `DisableNotPersisted`).
    public var advice: [String]

    /// Operations that ended in this run (not the ones only read back from the journal).
    public var finishedThisRun: Int {
        records.filter { !$0.fromJournal && $0.status != .skipped }.count
    }
}
