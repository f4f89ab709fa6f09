/// What an operation does to a target user.
public enum PlanAction: String, Sendable, Hashable, CaseIterable, Codable {
    case create, update, disable, delete

    /// Position in the plan's phase order: delete, disable, update, create (SPEC §6 "Ordering").
    public var phase: Int {
        switch self {
        case .delete: return 0
        case .disable: return 1
        case .update: return 2
        case .create: return 3
        }
    }
}

/// The source record an operation or skip refers to.
public struct SourceReference: Sendable, Hashable {
    public var id: String?
    public var userPrincipalName: String?
    public var file: String
    public var line: Int

    public init(id: String?, userPrincipalName: String?, file: String, line: Int) {
        self.id = id
        self.userPrincipalName = userPrincipalName
        self.file = file
        self.line = line
    }
}

/// The target user an operation or skip refers to.
public struct TargetReference: Sendable, Hashable {
    public var id: String
    public var userName: String?

    public init(id: String, userName: String?) {
        self.id = id
        self.userName = userName
    }
}

/// One attribute an update changes (or a create sets).
public struct AttributeChange: Sendable, Hashable {
    public var attribute: String
    public var old: JSONValue
    public var new: JSONValue

    public init(attribute: String, old: JSONValue, new: JSONValue) {
        self.attribute = attribute
        self.old = old
        self.new = new
    }
}

/// The HTTP request an operation sends, relative to the SCIM base URL.
public struct PlanRequest: Sendable, Hashable {
    public var method: String
    public var path: String
    public var body: JSONValue?

    public init(method: String, path: String, body: JSONValue?) {
        self.method = method
        self.path = path
        self.body = body
    }
}

/// What apply checks before sending: the snapshot's `meta.version` (for `If-Match`) and a fingerprint of
/// the target's compared attributes as the snapshot had them.
public struct Precondition: Sendable, Hashable {
    public var version: String?
    public var fingerprint: String

    public init(version: String?, fingerprint: String) {
        self.version = version
        self.fingerprint = fingerprint
    }
}

/// One operation of a plan (SPEC §7).
public struct PlanOperation: Sendable, Hashable {
    public var id: String
    public var action: PlanAction
    public var reason: String
    public var held: Bool
    public var source: SourceReference?
    public var target: TargetReference?
    public var matchedBy: String?
    public var changes: [AttributeChange]
    public var request: PlanRequest
    public var precondition: Precondition?

    public init(
        id: String, action: PlanAction, reason: String, held: Bool = false, source: SourceReference?,
        target: TargetReference?, matchedBy: String?, changes: [AttributeChange], request: PlanRequest,
        precondition: Precondition?
    ) {
        self.id = id
        self.action = action
        self.reason = reason
        self.held = held
        self.source = source
        self.target = target
        self.matchedBy = matchedBy
        self.changes = changes
        self.request = request
        self.precondition = precondition
    }

    /// The userName shown for this operation: the target's, or for a create the new one.
    public var displayUserName: String {
        if let name = target?.userName { return name }
        if let created = changes.first(where: { $0.attribute == "userName" }), case .string(let name) = created.new {
            return name
        }
        return source?.userPrincipalName ?? target?.id ?? ""
    }
}

/// A source record or target the plan leaves alone, and why (SPEC §6 skip reasons).
public struct SkippedEntry: Sendable, Hashable {
    public var reason: String
    public var source: SourceReference?
    public var target: TargetReference?
    public var detail: String

    public init(reason: String, source: SourceReference?, target: TargetReference?, detail: String) {
        self.reason = reason
        self.source = source
        self.target = target
        self.detail = detail
    }
}
