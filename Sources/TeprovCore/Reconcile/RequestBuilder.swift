/// Builds the SCIM requests of SPEC §6 "Request shapes" and the preconditions of SPEC §7.
struct RequestBuilder {
    let patchStyle: TeprovConfig.PatchStyle
    let updateMethod: TeprovConfig.UpdateMethod
    /// The target paths whose values the fingerprint covers (compared attributes).
    let comparedPaths: [SCIMAttributePath]

    static let userSchema = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    /// `comparedPaths` in the fingerprint's canonical member order, with their keys already written.
    private let fingerprintMembers: [FingerprintMember]

    /// Each mapping's target and target text, by slot.
    private let slotTargets: [SCIMAttributePath]
    private let slotTargetTexts: [String]

    init(config: TeprovConfig, slots: MappingSlots) {
        slotTargets = slots.targets
        slotTargetTexts = slots.targetTexts
        patchStyle = config.patchStyle
        updateMethod = config.updateMethod
        comparedPaths = config.mappings.filter {
            $0.apply == .always && !config.compareIgnore.contains($0.target.description)
        }
        .map(\.target)
        fingerprintMembers = Self.fingerprintMembers(comparedPaths)
    }

    /// `POST /Users` with every non-null mapped attribute, `active: true`, and typed multi-valued entries.
    /// - Parameter user: read through a pointer (an element of the users' array would be copied to be passed).
    func create(_ user: UnsafePointer<DesiredUser>) -> PlanRequest {
        var resource = SCIMResourceBuilder()
        for slot in slotTargets.indices {
            guard let new = user.pointee.valueOnCreate(at: slot) else { continue }
            resource.set(slotTargets[slot], new.jsonValue)
        }
        resource.set(SCIMAttributePath.active, .bool(true))
        return PlanRequest(method: "POST", path: "/Users", body: resource.resource(schemas: [Self.userSchema]))
    }

    /// `PATCH` with one replace per changed attribute (or `PUT` of the whole resource for `updateMethod: put`).
    /// - Parameter changedSlots: the slots of `user` whose values differ from the target's.
    func update(_ target: TargetUser, _ user: DesiredUser, changedSlots: [Int]) -> PlanRequest {
        if updateMethod == .put {
            return put(target, changed: changedSlots.map { (slotTargets[$0], user.value(at: $0)?.jsonValue ?? .null) })
        }
        var operations: [JSONValue] = []
        for slot in changedSlots {
            guard let new = user.value(at: slot) else { continue }
            if slotTargets[slot] == .workEmail, !target.hasTypedWorkEmail {
                operations.append(replace("emails", emailsArray(target, newWork: new.jsonValue)))
            } else {
                operations.append(replace(slotTargetTexts[slot], typed(new.jsonValue)))
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
        Precondition(version: target.version, fingerprint: Self.fingerprint(target, members: fingerprintMembers))
    }

    /// `sha256:` of the canonical JSON `{path: value-or-null}` of the target's compared attributes.
    static func fingerprint(_ target: TargetUser, paths: [SCIMAttributePath]) -> String {
        fingerprint(target, members: fingerprintMembers(paths))
    }

    /// One member of the fingerprint object: its key as canonical JSON text (`"displayName":`) and its path.
    struct FingerprintMember {
        let keyText: [UInt8]
        let path: SCIMAttributePath
    }

    /// The members in RFC 8785 order (keys sorted by UTF-16 code units), as `JSONValue.write` sorts them.
    static func fingerprintMembers(_ paths: [SCIMAttributePath]) -> [FingerprintMember] {
        paths.map { ($0.description, $0) }.sorted { $0.0.utf16.lexicographicallyPrecedes($1.0.utf16) }.map {
            var keyText: [UInt8] = []
            JSONValue.writeString($0.0, into: &keyText)
            keyText.append(UInt8(ascii: ":"))
            return FingerprintMember(keyText: keyText, path: $0.1)
        }
    }

    /// The canonical JSON of the object written member by member, as `JSONValue.object(...).write(style:
    /// .canonical)` would write it, then hashed.
    static func fingerprint(_ target: TargetUser, members: [FingerprintMember]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        bytes.append(UInt8(ascii: "{"))
        for (position, member) in members.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: member.keyText)
            if member.path == .active {
                bytes.append(contentsOf: (target.active ? "true" : "false").utf8)
            } else {
                switch target.attributes[member.path] {
                case nil: bytes.append(contentsOf: "null".utf8)
                case .string(let text)?: JSONValue.writeString(text, into: &bytes)
                case let value?: value.jsonValue.write(into: &bytes, style: .canonical)
                }
            }
        }
        bytes.append(UInt8(ascii: "}"))
        return "sha256:" + SHA256Digest.hex(of: bytes)
    }

    private func patch(_ target: TargetUser, _ operations: [JSONValue]) -> PlanRequest {
        PlanRequest(
            method: "PATCH", path: "/Users/\(target.id)",
            body: .object([("Operations", .array(operations)), ("schemas", .array([.string(Self.patchSchema)]))]))
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
        var entries: [JSONValue] = [.object([("primary", .bool(true)), ("type", .string("work")), ("value", newWork)])]
        let replaced = target.emails.firstIndex { $0.primary } ?? (target.emails.isEmpty ? nil : 0)
        for (index, email) in target.emails.enumerated() where index != replaced {
            var members: [(String, JSONValue)] = []
            if let type = email.type { members.append(("type", .string(type))) }
            members.append(("value", .string(email.value)))
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
