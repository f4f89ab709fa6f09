/// The members of the user object being read. One instance is reused for every user of a file,
/// so reading a user allocates only the strings it keeps.
struct SnapshotUserFields {
    var id: String?
    var externalId: String?
    var userName: String?
    var active = true
    var version: String?
    var emails: [TargetEmail] = []
    /// Values of the layout's stored paths, by slot.
    var values: ContiguousArray<AttributeValue?>
    /// `uid`, `email` and a string `name`: the members of a ThousandEyes v7 `GET /users` item.
    var uid: String?
    var email: String?
    var plainName: String?

    init(slots: Int) {
        values = ContiguousArray(repeating: nil, count: slots)
    }

    /// Forgets the previous user, keeping the buffers.
    mutating func reset() {
        id = nil
        externalId = nil
        userName = nil
        active = true
        version = nil
        emails.removeAll(keepingCapacity: true)
        values.withUnsafeMutableBufferPointer { slots in
            for slot in slots.indices { slots[slot] = nil }
        }
        uid = nil
        email = nil
        plainName = nil
    }

    /// Moves the value out, leaving `nil` (no reference-count traffic, unlike copy-then-clear).
    @inline(__always)
    static func take<Value>(_ value: inout Value?) -> Value? {
        var taken: Value? = nil
        swap(&taken, &value)
        return taken
    }

    /// `true` when the object is a ThousandEyes v7 user (a `uid`, no SCIM `id`).
    var looksLikeThousandEyesV7: Bool { id == nil && uid != nil }

    /// Turns a ThousandEyes v7 user into SCIM terms: `uid` as the id, `email` as userName and only
    /// e-mail (untyped, primary), the string `name` as `displayName` and `name.formatted` when requested.
    mutating func adoptThousandEyesV7Members(layout: SnapshotAttributeLayout) {
        id = uid
        userName = email
        emails.removeAll(keepingCapacity: true)
        if let email { emails.append(TargetEmail(value: email, type: nil, primary: true)) }
        guard let plainName else { return }
        for (slot, path) in layout.storedPaths.enumerated()
        where path.attribute == "displayName" || (path.attribute == "name" && path.subAttribute == "formatted") {
            values[slot] = .string(plainName)
        }
    }
}
