/// Final state of one operation, as the journal and report record it.
public enum OperationStatus: String, Sendable, Hashable, CaseIterable {
    case succeeded, failed, skipped
}

/// The outcome of one operation as the journal records it.
public struct JournalOutcome: Sendable, Hashable {
    public var operationID: String
    /// `succeeded` or `failed` (skipped operations are not journaled).
    public var status: OperationStatus
    /// Why, in one word or code: `StaleTarget`, `Conflict`, `DisableNotPersisted`, `HTTP 400`,
    /// `TransportError`, `AlreadyApplied`, ...
    public var reason: String?
    public var httpStatus: Int?
    /// `true` when the operation failed and must not be retried on resume (`StaleTarget`, `Conflict`,
    /// other final 4xx).
    public var final: Bool
    /// The id a create produced (or found when settling).
    public var targetID: String?
    /// Requests sent for this operation, retries included.
    public var attempts: Int

    public init(
        operationID: String, status: OperationStatus, reason: String? = nil, httpStatus: Int? = nil,
        final: Bool = false, targetID: String? = nil, attempts: Int = 1
    ) {
        self.operationID = operationID
        self.status = status
        self.reason = reason
        self.httpStatus = httpStatus
        self.final = final
        self.targetID = targetID
        self.attempts = attempts
    }
}

/// What the journal says about one operation after earlier runs.
public enum JournalEntryState: Sendable, Hashable {
    /// The request was recorded as sent but no outcome followed (a crash in between): the outcome is
    /// unknown and must be settled before the operation is sent again.
    case sentWithoutOutcome(attempts: Int)
    /// The last outcome recorded.
    case finished(JournalOutcome)
}

/// The JSON Lines the journal is made of (one JSON object per line).
enum JournalLine: Sendable, Hashable {
    /// The first line: which plan the journal belongs to.
    case header(planDigest: String, planPath: String, createdAt: String)
    /// One apply run started.
    case run(startedAt: String, toolVersion: String)
    /// A request for `operationID` is about to go out.
    case sent(operationID: String, attempt: Int, at: String)
    /// The operation finished.
    case outcome(JournalOutcome, at: String)

    static let journalKind = "teprov-apply"
    static let formatVersion: Int64 = 1

    /// The line's JSON text followed by a newline.
    var bytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(160)
        jsonValue.write(into: &output, style: .compact)
        output.append(0x0A)
        return output
    }

    var jsonValue: JSONValue {
        switch self {
        case .header(let digest, let path, let createdAt):
            return .object([
                ("journal", .string(Self.journalKind)), ("formatVersion", .int(Self.formatVersion)),
                ("planDigest", .string(digest)), ("plan", .string(path)), ("createdAt", .string(createdAt)),
            ])
        case .run(let startedAt, let toolVersion):
            return .object([
                ("event", .string("run")), ("startedAt", .string(startedAt)), ("toolVersion", .string(toolVersion)),
            ])
        case .sent(let operationID, let attempt, let at):
            return .object([
                ("event", .string("sent")), ("op", .string(operationID)), ("attempt", .int(Int64(attempt))),
                ("at", .string(at)),
            ])
        case .outcome(let outcome, let at):
            var members: [(String, JSONValue)] = [
                ("event", .string("outcome")), ("op", .string(outcome.operationID)),
                ("status", .string(outcome.status.rawValue)),
            ]
            if let reason = outcome.reason { members.append(("reason", .string(reason))) }
            if let status = outcome.httpStatus { members.append(("httpStatus", .int(Int64(status)))) }
            members.append(("final", .bool(outcome.final)))
            if let id = outcome.targetID { members.append(("targetId", .string(id))) }
            members.append(("attempts", .int(Int64(outcome.attempts))))
            members.append(("at", .string(at)))
            return .object(members)
        }
    }

    /// Decodes one line's JSON value; `nil` when it is not a line this version writes.
    init?(_ value: JSONValue) {
        if case .string(Self.journalKind) = value["journal"] {
            guard case .int(Self.formatVersion) = value["formatVersion"],
                case .string(let digest) = value["planDigest"]
            else { return nil }
            self = .header(
                planDigest: digest, planPath: value["plan"]?.journalString ?? "",
                createdAt: value["createdAt"]?.journalString ?? "")
            return
        }
        guard case .string(let event) = value["event"] else { return nil }
        switch event {
        case "run":
            self = .run(
                startedAt: value["startedAt"]?.journalString ?? "",
                toolVersion: value["toolVersion"]?.journalString ?? "")
        case "sent":
            guard case .string(let operationID) = value["op"], case .int(let attempt) = value["attempt"] else {
                return nil
            }
            self = .sent(operationID: operationID, attempt: Int(attempt), at: value["at"]?.journalString ?? "")
        case "outcome":
            guard case .string(let operationID) = value["op"], case .string(let statusText) = value["status"],
                let status = OperationStatus(rawValue: statusText), case .int(let attempts) = value["attempts"]
            else { return nil }
            var httpStatus: Int?
            if case .int(let code) = value["httpStatus"] { httpStatus = Int(code) }
            var final = false
            if case .bool(let flag) = value["final"] { final = flag }
            let outcome = JournalOutcome(
                operationID: operationID, status: status, reason: value["reason"]?.journalString,
                httpStatus: httpStatus, final: final, targetID: value["targetId"]?.journalString,
                attempts: Int(attempts))
            self = .outcome(outcome, at: value["at"]?.journalString ?? "")
        default:
            return nil
        }
    }
}

extension JSONValue {
    /// The string of a `.string` value, else `nil`.
    fileprivate var journalString: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
