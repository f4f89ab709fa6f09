/// One line of the provisioning log (SPEC §8 "Provisioning log"), shaped like an entry of Entra's
/// provisioning logs (Graph `provisioningObjectSummary`): one per operation of the plan.
public struct ProvisioningLogEntry: Sendable, Hashable {
    /// Entra's `provisioningAction`, with the capitalisation its log shows.
    public enum Action: String, Sendable, Hashable, CaseIterable {
        case create = "Create"
        case update = "Update"
        case disable = "Disable"
        case delete = "Delete"

        public init(_ action: PlanAction) {
            switch action {
            case .create: self = .create
            case .update: self = .update
            case .disable: self = .disable
            case .delete: self = .delete
            }
        }
    }

    /// Entra's `provisioningStatusInfo.status`.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case success, failure, skipped

        public init(_ status: OperationStatus) {
            switch status {
            case .succeeded: self = .success
            case .failed: self = .failure
            case .skipped: self = .skipped
            }
        }
    }

    /// The source record: its id, userPrincipalName and where it was read.
    public struct SourceIdentity: Sendable, Hashable {
        public var id: String?
        public var userPrincipalName: String?
        public var file: String?
        public var line: Int?

        public init(id: String?, userPrincipalName: String?, file: String?, line: Int?) {
            self.id = id
            self.userPrincipalName = userPrincipalName
            self.file = file
            self.line = line
        }
    }

    /// The ThousandEyes user.
    public struct TargetIdentity: Sendable, Hashable {
        public var id: String?
        public var userName: String?

        public init(id: String?, userName: String?) {
            self.id = id
            self.userName = userName
        }
    }

    /// One attribute the operation changes (Entra's "Modified Properties"); values are the plan's JSON
    /// values (`null` when absent), not strings.
    public struct ModifiedProperty: Sendable, Hashable {
        public var displayName: String
        public var oldValue: JSONValue
        public var newValue: JSONValue

        public init(displayName: String, oldValue: JSONValue, newValue: JSONValue) {
            self.displayName = displayName
            self.oldValue = oldValue
            self.newValue = newValue
        }
    }

    /// When the operation started (ISO 8601 UTC with milliseconds).
    public var activityDateTime: String
    /// One id per apply run ("unique ID per job iteration").
    public var cycleId: String
    /// The operation's id ("unique ID of this change in this cycle").
    public var changeId: String
    public var action: Action
    public var status: Status
    public var sourceIdentity: SourceIdentity?
    public var targetIdentity: TargetIdentity?
    public var modifiedProperties: [ModifiedProperty]
    /// The failure or skip code (`StaleTarget`, `HTTP 400`, `HeldSkipped`, ...), `nil` on success.
    public var errorCode: String?
    /// One sentence for people: why it failed or was skipped.
    public var reason: String?
    public var durationInMilliseconds: Int

    public init(
        activityDateTime: String, cycleId: String, changeId: String, action: Action, status: Status,
        sourceIdentity: SourceIdentity?, targetIdentity: TargetIdentity?, modifiedProperties: [ModifiedProperty] = [],
        errorCode: String? = nil, reason: String? = nil, durationInMilliseconds: Int = 0
    ) {
        self.activityDateTime = activityDateTime
        self.cycleId = cycleId
        self.changeId = changeId
        self.action = action
        self.status = status
        self.sourceIdentity = sourceIdentity
        self.targetIdentity = targetIdentity
        self.modifiedProperties = modifiedProperties
        self.errorCode = errorCode
        self.reason = reason
        self.durationInMilliseconds = durationInMilliseconds
    }

    /// The entry for `operation`, taking identities and modified properties from the plan.
    /// - Parameter targetID: the id a create produced (otherwise the plan's target id is used).
    public init(
        operation: PlanOperation, cycleId: String, activityDateTime: String, status: OperationStatus,
        targetID: String? = nil, errorCode: String? = nil, reason: String? = nil, durationInMilliseconds: Int = 0
    ) {
        let source = operation.source.map {
            SourceIdentity(id: $0.id, userPrincipalName: $0.userPrincipalName, file: $0.file, line: $0.line)
        }
        let target = TargetIdentity(id: targetID ?? operation.target?.id, userName: operation.displayUserName)
        self.init(
            activityDateTime: activityDateTime, cycleId: cycleId, changeId: operation.id,
            action: Action(operation.action), status: Status(status), sourceIdentity: source, targetIdentity: target,
            modifiedProperties: operation.changes.map {
                ModifiedProperty(displayName: $0.attribute, oldValue: $0.old, newValue: $0.new)
            },
            errorCode: errorCode, reason: reason, durationInMilliseconds: durationInMilliseconds)
    }

    /// The entry as JSON: every field present, absent values as `null`, in Entra's order.
    public var jsonValue: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        let source: JSONValue =
            sourceIdentity.map {
                .object([
                    ("id", text($0.id)), ("userPrincipalName", text($0.userPrincipalName)), ("file", text($0.file)),
                    ("line", $0.line.map { .int(Int64($0)) } ?? .null),
                ])
            } ?? .null
        let target: JSONValue =
            targetIdentity.map { .object([("id", text($0.id)), ("userName", text($0.userName))]) } ?? .null
        return .object([
            ("activityDateTime", .string(activityDateTime)),
            ("cycleId", .string(cycleId)),
            ("changeId", .string(changeId)),
            ("action", .string(action.rawValue)),
            ("status", .string(status.rawValue)),
            ("sourceIdentity", source),
            ("targetIdentity", target),
            (
                "modifiedProperties",
                .array(
                    modifiedProperties.map {
                        .object([
                            ("displayName", .string($0.displayName)), ("oldValue", $0.oldValue),
                            ("newValue", $0.newValue),
                        ])
                    })
            ),
            ("errorCode", text(errorCode)),
            ("reason", text(reason)),
            ("durationInMilliseconds", .int(Int64(durationInMilliseconds))),
        ])
    }
}
