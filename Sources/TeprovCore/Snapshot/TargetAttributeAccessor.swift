/// Reads one attribute path of many `TargetUser`s: `TargetUser.value(for:)` with the path's kind and
/// storage slot worked out once instead of once per user.
struct TargetAttributeAccessor: Sendable {
    private enum Kind: Sendable {
        case userName, externalId, active, workEmail
        case email(type: String)
        /// A stored value in `layout`'s slot.
        case stored(slot: Int)
        /// Anything else: `value(for:)`.
        case general
    }

    let path: SCIMAttributePath
    private let kind: Kind
    /// The layout `stored` slots refer to; users read with another layout go through `value(for:)`.
    private let layout: SnapshotAttributeLayout?

    init(path: SCIMAttributePath, layout: SnapshotAttributeLayout?) {
        self.path = path
        self.layout = layout
        switch path.attribute {
        case "userName": kind = .userName
        case "externalId": kind = .externalId
        case "active": kind = .active
        case "emails" where path.subAttribute == "value":
            if let type = path.typeFilter {
                kind = type.lowercased() == "work" ? .workEmail : .email(type: type)
            } else {
                kind = .general
            }
        default:
            kind = layout?.slot(for: path).map { .stored(slot: $0) } ?? .general
        }
    }

    /// `user.value(for: path)`.
    @inline(__always)
    func value(of user: borrowing TargetUser) -> AttributeValue? {
        switch kind {
        case .userName: return user.userName.map(AttributeValue.string)
        case .externalId: return user.externalId.map(AttributeValue.string)
        case .active: return .bool(user.active)
        case .workEmail: return user.workEmail.map(AttributeValue.string)
        case .email(let type): return user.email(ofType: type).map(AttributeValue.string)
        case .stored(let slot):
            guard let layout, user.store.layout === layout, !user.isEdited else { return user.value(for: path) }
            return user.storedValue(slot: slot)
        case .general: return user.value(for: path)
        }
    }
}
