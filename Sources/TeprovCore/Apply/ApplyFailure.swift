/// One failed operation as the apply report lists it (SPEC §8 "Report").
public struct ApplyFailure: Sendable, Hashable {
    public var operationID: String
    public var action: PlanAction
    public var userName: String
    public var httpStatus: Int?
    /// The SCIM error's `scimType` (e.g. `uniqueness`, `invalidValue`), when the server sent one.
    public var scimType: String?
    /// What went wrong, for people: the server's message or ours.
    public var detail: String
    /// Requests sent for the operation, retries included.
    public var attempts: Int
    /// The failure code: `StaleTarget`, `Conflict`, `DisableNotPersisted`, `HTTP 400`, `TransportError`, ...
    public var reason: String?

    public init(
        operationID: String, action: PlanAction, userName: String, httpStatus: Int? = nil, scimType: String? = nil,
        detail: String, attempts: Int, reason: String? = nil
    ) {
        self.operationID = operationID
        self.action = action
        self.userName = userName
        self.httpStatus = httpStatus
        self.scimType = scimType
        self.detail = detail
        self.attempts = attempts
        self.reason = reason
    }

    /// `{opId, action, userName, httpStatus, scimType, detail, attempts, reason}` (absent values as `null`).
    public var jsonValue: JSONValue {
        .object([
            ("opId", .string(operationID)),
            ("action", .string(action.rawValue)),
            ("userName", .string(userName)),
            ("httpStatus", httpStatus.map { .int(Int64($0)) } ?? .null),
            ("scimType", scimType.map { .string($0) } ?? .null),
            ("detail", .string(detail)),
            ("attempts", .int(Int64(attempts))),
            ("reason", reason.map { .string($0) } ?? .null),
        ])
    }
}
