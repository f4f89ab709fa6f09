/// Compares a user as the server holds it now with what the plan expected (the fingerprint of the
/// compared attributes) and with what the operation would make of it (SPEC §8 "Preconditions").
public struct TargetStateCheck: Sendable {
    /// The target paths the plan's fingerprint covers (compared mappings of the plan's effective config).
    public let comparedPaths: [SCIMAttributePath]

    public init(comparedPaths: [SCIMAttributePath]) {
        self.comparedPaths = comparedPaths
    }

    /// The compared paths recorded in a plan's effective config (`inputs.config.effective`): mappings
    /// applied always and not listed in `compare.ignore`, as `RequestBuilder` fingerprints them.
    public init(plan: Plan) {
        let effective = plan.inputs["config"]?["effective"]
        var ignored: Set<String> = []
        if case .array(let names)? = effective?["compare"]?["ignore"] {
            for case .string(let name) in names { ignored.insert(name) }
        }
        var paths: [SCIMAttributePath] = []
        if case .array(let mappings)? = effective?["mappings"] {
            for mapping in mappings {
                guard case .string(let target)? = mapping["target"], !ignored.contains(target) else { continue }
                if case .string(let apply)? = mapping["apply"], apply != "always" { continue }
                if let path = try? SCIMAttributePath(parsing: target) { paths.append(path) }
            }
        }
        comparedPaths = paths
    }

    /// A SCIM user resource read from the server, as a `TargetUser` holding `paths` and the compared ones.
    public func targetUser(fromResource body: [UInt8], extraPaths: [SCIMAttributePath] = []) -> TargetUser? {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.append(contentsOf: body)
        bytes.append(UInt8(ascii: "]"))
        let options = SnapshotReader.Options(paths: Set(comparedPaths + extraPaths), allowIncomplete: true)
        guard let (_, users) = try? SnapshotReader.read(bytes: bytes, sourceName: "server answer", options: options),
            users.count == 1
        else { return nil }
        return users[0]
    }

    /// The fingerprint of `user`'s compared attributes, computed as `plan` computed it from the snapshot.
    public func fingerprint(_ user: TargetUser) -> String {
        RequestBuilder.fingerprint(user, paths: comparedPaths)
    }

    /// `true` when `user` already holds every value `operation` would set: the planned changes of an
    /// update, `active: false` for a disable.
    public func holdsPlannedValues(_ user: TargetUser, for operation: PlanOperation) -> Bool {
        switch operation.action {
        case .disable:
            return !user.active
        case .update:
            for change in operation.changes {
                guard let path = try? SCIMAttributePath(parsing: change.attribute) else { return false }
                let current: JSONValue
                if path == .active {
                    current = .bool(user.active)
                } else if path.attribute == "userName", path.subAttribute == nil {
                    current = user.userName.map { .string($0) } ?? .null
                } else if path.attribute == "externalId", path.subAttribute == nil {
                    current = user.externalId.map { .string($0) } ?? .null
                } else {
                    current = user.attributes[path]?.jsonValue ?? .null
                }
                guard Self.sameValue(current, change.new, caseInsensitive: path.attribute == "userName") else {
                    return false
                }
            }
            return true
        case .create, .delete:
            return false
        }
    }

    /// The paths an operation's changes name, for reading them back.
    public static func changedPaths(_ operation: PlanOperation) -> [SCIMAttributePath] {
        operation.changes.compactMap { try? SCIMAttributePath(parsing: $0.attribute) }
    }

    static func sameValue(_ current: JSONValue, _ planned: JSONValue, caseInsensitive: Bool) -> Bool {
        switch (current, planned) {
        case (.string(let a), .string(let b)):
            if a == b { return true }
            return caseInsensitive && a.lowercased() == b.lowercased()
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)):
            return Double(a) == b
        case (.bool(let a), .string(let b)), (.string(let b), .bool(let a)):
            return b.lowercased() == (a ? "true" : "false")
        default:
            return current == planned
        }
    }
}
