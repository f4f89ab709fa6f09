/// Builds the SCIM requests of SPEC §6 "Request shapes" and the preconditions of SPEC §7.
struct RequestBuilder {
    let patchStyle: TeprovConfig.PatchStyle
    let updateMethod: TeprovConfig.UpdateMethod
    /// The target paths whose values the fingerprint covers (compared attributes).
    let comparedPaths: [SCIMAttributePath]

    static let userSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    init(config: TeprovConfig) {
        patchStyle = config.patchStyle
        updateMethod = config.updateMethod
        comparedPaths = config.mappings.filter {
            $0.apply == .always && !config.compareIgnore.contains($0.target.description)
        }
        .map(\.target)
    }

    /// `POST /Users` with every non-null mapped attribute, `active: true`, and typed multi-valued entries.
    func create(_ user: DesiredUser) -> PlanRequest {
        var resource = SCIMResourceBuilder()
        for value in user.values {
            guard let new = value.valueOnCreate else { continue }
            resource.set(value.target, new.jsonValue)
        }
        resource.set(SCIMAttributePath.active, .bool(true))
        return PlanRequest(method: "POST", path: "/Users", body: resource.resource(schemas: [Self.userSchema]))
    }

    /// `PATCH` with one replace per changed attribute (or `PUT` of the whole resource for `updateMethod: put`).
    func update(_ target: TargetUser, changed: [DesiredUser.MappedValue]) -> PlanRequest {
        if updateMethod == .put {
            return put(target, changed: changed.map { ($0.target, $0.value?.jsonValue ?? .null) })
        }
        var operations: [JSONValue] = []
        for value in changed {
            guard let new = value.value else { continue }
            if value.target == .workEmail, !target.hasTypedWorkEmail {
                operations.append(replace("emails", emailsArray(target, newWork: new.jsonValue)))
            } else {
                operations.append(replace(value.target.description, typed(new.jsonValue)))
            }
        }
        return patch(target, operations)
    }

    func disable(_ target: TargetUser) -> PlanRequest {
        if updateMethod == .put { return put(target, changed: [(SCIMAttributePath.active, .bool(false))]) }
        return patch(target, [replace("active", typed(.bool(false)))])
    }

    func delete(_ target: TargetUser) -> PlanRequest {
        PlanRequest(method: "DELETE", path: "/Users/\(target.id)", body: nil)
    }

    /// `meta.version` when the snapshot has one, and the fingerprint of the compared attributes.
    func precondition(_ target: TargetUser, _ user: DesiredUser?) -> Precondition {
        Precondition(version: target.version, fingerprint: Self.fingerprint(target, paths: comparedPaths))
    }

    /// `sha256:` of the canonical JSON `{path: value-or-null}` of the target's compared attributes.
    static func fingerprint(_ target: TargetUser, paths: [SCIMAttributePath]) -> String {
        var members: [(String, JSONValue)] = []
        for path in paths {
            let value: JSONValue
            if path == .active {
                value = .bool(target.active)
            } else {
                value = target.attributes[path]?.jsonValue ?? .null
            }
            members.append((path.description, value))
        }
        var bytes: [UInt8] = []
        JSONValue.object(members).write(into: &bytes, style: .canonical)
        return "sha256:" + SHA256Digest.hex(of: bytes)
    }

    private func patch(_ target: TargetUser, _ operations: [JSONValue]) -> PlanRequest {
        PlanRequest(
            method: "PATCH", path: "/Users/\(target.id)",
            body: .object([("schemas", .array([.string(Self.patchSchema)])), ("Operations", .array(operations))]))
    }

    private func replace(_ path: String, _ value: JSONValue) -> JSONValue {
        .object([
            ("op", .string(patchStyle == .entraLegacy ? "Replace" : "replace")), ("path", .string(path)),
            ("value", value),
        ])
    }

    /// Entra's legacy PATCH sends booleans as the strings `"True"`/`"False"`.
    private func typed(_ value: JSONValue) -> JSONValue {
        guard patchStyle == .entraLegacy, case .bool(let flag) = value else { return value }
        return .string(flag ? "True" : "False")
    }

    /// The whole `emails` array with the work entry set: the entry that served as work email (primary, else first)
    /// is replaced by a typed, primary work entry; the others are kept, not primary.
    private func emailsArray(_ target: TargetUser, newWork: JSONValue) -> JSONValue {
        var entries: [JSONValue] = [.object([("value", newWork), ("type", .string("work")), ("primary", .bool(true))])]
        let replaced = target.emails.firstIndex { $0.primary } ?? (target.emails.isEmpty ? nil : 0)
        for (index, email) in target.emails.enumerated() where index != replaced {
            var members: [(String, JSONValue)] = [("value", .string(email.value))]
            if let type = email.type { members.append(("type", .string(type))) }
            entries.append(.object(members))
        }
        return .array(entries)
    }

    /// `PUT /Users/{id}` with the snapshot's resource and the changes applied.
    private func put(_ target: TargetUser, changed: [(SCIMAttributePath, JSONValue)]) -> PlanRequest {
        var resource = SCIMResourceBuilder(raw: target.rawResource)
        for (path, value) in changed { resource.set(path, value) }
        return PlanRequest(
            method: "PUT", path: "/Users/\(target.id)", body: resource.resource(schemas: [Self.userSchema]))
    }
}

extension SCIMAttributePath {
    static let active = SCIMAttributePath(attribute: "active", typeFilter: nil, subAttribute: nil, valueType: .boolean)
}
