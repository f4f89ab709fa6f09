extension Plan {
    /// The plan as SPEC §7's JSON document; `includeDigest: false` gives the form the digest covers.
    ///
    /// Every object's members are in canonical (RFC 8785) order, also inside `inputs`, changes and
    /// request bodies, so a plan file written from this value is its own canonical form plus whitespace:
    /// `PlanFile.load` verifies and decodes such a file in one streaming pass (`PlanStreamReader`).
    public func jsonValue(includeDigest: Bool = true) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("createdAt", .string(createdAt)),
            ("diagnostics", .array(diagnostics.map(\.planJSONValue))),
        ]
        if includeDigest { members.append(("digest", .string(digest))) }
        var target: [(String, JSONValue)] = []
        if let snapshotCapturedAt { target.append(("snapshotCapturedAt", .string(snapshotCapturedAt))) }
        if let targetURL { target.append(("url", .string(targetURL))) }
        members += [
            ("formatVersion", .int(Int64(Plan.formatVersion))),
            ("inputs", inputs.inCanonicalKeyOrder()),
            ("operations", .array(operations.map(\.jsonValue))),
            (
                "safety",
                .object([
                    ("deletionThreshold", .int(Int64(safety.deletionThreshold))),
                    ("deletionThresholdPercent", .double(safety.deletionThresholdPercent)),
                    ("deletions", .int(Int64(safety.deletions))),
                    ("held", .bool(safety.held)),
                    ("managedTargets", .int(Int64(safety.managedTargets))),
                ])
            ),
            ("skipped", .array(skipped.map(\.jsonValue))),
            ("summary", summary.jsonValue),
            ("target", .object(target)),
            ("tool", .object([("name", .string("teprov")), ("version", .string(toolVersion))])),
        ]
        return .object(members)
    }

    /// SHA-256 over the canonical (RFC 8785) serialization of the plan without `digest`.
    public func computeDigest() -> String {
        var bytes: [UInt8] = []
        jsonValue(includeDigest: false).write(into: &bytes, style: .canonical)
        return "sha256:" + SHA256Digest.hex(of: bytes)
    }

    /// The plan with its digest filled in.
    public func sealed() -> Plan {
        var copy = self
        copy.digest = computeDigest()
        return copy
    }
}

extension Plan.Summary {
    var jsonValue: JSONValue {
        let skips = skipped.sorted { JSONKeyOrder.precedes($0.key, $1.key) }
        return .object([
            ("create", .int(Int64(create))), ("delete", .int(Int64(delete))), ("disable", .int(Int64(disable))),
            ("estimatedDuration", .string(estimatedDuration)), ("estimatedRequests", .int(Int64(estimatedRequests))),
            ("held", .int(Int64(held))), ("inScope", .int(Int64(inScope))), ("invalid", .int(Int64(invalid))),
            ("noop", .int(Int64(noop))), ("outOfScope", .int(Int64(outOfScope))),
            ("skipped", .object(skips.map { ($0.key, .int(Int64($0.value))) })),
            ("sourceRecords", .int(Int64(sourceRecords))), ("unmanaged", .int(Int64(unmanaged))),
            ("update", .int(Int64(update))),
        ])
    }
}

extension SourceReference {
    var jsonValue: JSONValue {
        .object([
            ("file", .string(file)), ("id", id.map { .string($0) } ?? .null), ("line", .int(Int64(line))),
            ("userPrincipalName", userPrincipalName.map { .string($0) } ?? .null),
        ])
    }
}

extension TargetReference {
    var jsonValue: JSONValue {
        .object([("id", .string(id)), ("userName", userName.map { .string($0) } ?? .null)])
    }
}

extension PlanOperation {
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [
            ("action", .string(action.rawValue)),
            (
                "changes",
                .array(
                    changes.map {
                        .object([
                            ("attribute", .string($0.attribute)), ("new", $0.new.inCanonicalKeyOrder()),
                            ("old", $0.old.inCanonicalKeyOrder()),
                        ])
                    })
            ),
            ("held", .bool(held)), ("id", .string(id)),
        ]
        if let matchedBy { members.append(("matchedBy", .string(matchedBy))) }
        if let precondition {
            members.append(
                (
                    "precondition",
                    .object([
                        ("fingerprint", .string(precondition.fingerprint)),
                        ("version", precondition.version.map { .string($0) } ?? .null),
                    ])
                ))
        }
        members.append(("reason", .string(reason)))
        var request: [(String, JSONValue)] = []
        if let body = self.request.body { request.append(("body", body.inCanonicalKeyOrder())) }
        request += [("method", .string(self.request.method)), ("path", .string(self.request.path))]
        members.append(("request", .object(request)))
        if let source { members.append(("source", source.jsonValue)) }
        if let target { members.append(("target", target.jsonValue)) }
        return .object(members)
    }
}

extension SkippedEntry {
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [("detail", .string(detail)), ("reason", .string(reason))]
        if let source { members.append(("source", source.jsonValue)) }
        if let target { members.append(("target", target.jsonValue)) }
        return .object(members)
    }
}

extension Diagnostic {
    /// `Diagnostic.jsonValue` with its members in canonical order, as plan files hold it.
    var planJSONValue: JSONValue {
        .object([
            ("file", .string(file)), ("line", line.map { .int(Int64($0)) } ?? .null), ("message", .string(message)),
            ("severity", .string(severity.rawValue)),
        ])
    }
}

extension JSONValue {
    /// The value with every object's members in RFC 8785 order (UTF-16 code units of the names), at any
    /// depth; the value itself when it already is (checked without allocating). Members with equal names
    /// keep their relative order.
    func inCanonicalKeyOrder() -> JSONValue {
        guard !hasCanonicalKeyOrder else { return self }
        switch self {
        case .array(let values): return .array(values.map { $0.inCanonicalKeyOrder() })
        case .object(let members):
            let sorted = members.enumerated().sorted { left, right in
                if JSONKeyOrder.precedes(left.element.0, right.element.0) { return true }
                if JSONKeyOrder.precedes(right.element.0, left.element.0) { return false }
                return left.offset < right.offset
            }
            return .object(sorted.map { ($0.element.0, $0.element.1.inCanonicalKeyOrder()) })
        case .null, .bool, .int, .double, .string: return self
        }
    }

    /// `true` when every object in the value has its members in canonical order (equal names allowed).
    var hasCanonicalKeyOrder: Bool {
        switch self {
        case .array(let values): return values.allSatisfy(\.hasCanonicalKeyOrder)
        case .object(let members):
            for index in members.indices {
                if index > 0 && JSONKeyOrder.precedes(members[index].0, members[index - 1].0) { return false }
                if !members[index].1.hasCanonicalKeyOrder { return false }
            }
            return true
        case .null, .bool, .int, .double, .string: return true
        }
    }
}
