extension Plan {
    /// The plan as SPEC §7's JSON document; `includeDigest: false` gives the form the digest covers.
    public func jsonValue(includeDigest: Bool = true) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("formatVersion", .int(Int64(Plan.formatVersion))),
            ("tool", .object([("name", .string("teprov")), ("version", .string(toolVersion))])),
            ("createdAt", .string(createdAt)),
        ]
        if includeDigest { members.append(("digest", .string(digest))) }
        var target: [(String, JSONValue)] = []
        if let targetURL { target.append(("url", .string(targetURL))) }
        if let snapshotCapturedAt { target.append(("snapshotCapturedAt", .string(snapshotCapturedAt))) }
        members.append(("target", .object(target)))
        members.append(("inputs", inputs))
        members.append(("summary", summary.jsonValue))
        members.append(
            (
                "safety",
                .object([
                    ("deletionThreshold", .int(Int64(safety.deletionThreshold))),
                    ("deletionThresholdPercent", .double(safety.deletionThresholdPercent)),
                    ("managedTargets", .int(Int64(safety.managedTargets))),
                    ("deletions", .int(Int64(safety.deletions))),
                    ("held", .bool(safety.held)),
                ])
            ))
        members.append(("operations", .array(operations.map(\.jsonValue))))
        members.append(("skipped", .array(skipped.map(\.jsonValue))))
        members.append(("diagnostics", .array(diagnostics.map(\.jsonValue))))
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
        .object([
            ("sourceRecords", .int(Int64(sourceRecords))), ("invalid", .int(Int64(invalid))),
            ("inScope", .int(Int64(inScope))), ("outOfScope", .int(Int64(outOfScope))),
            ("create", .int(Int64(create))), ("update", .int(Int64(update))), ("disable", .int(Int64(disable))),
            ("delete", .int(Int64(delete))), ("noop", .int(Int64(noop))),
            ("skipped", .object(skipped.sorted { $0.key < $1.key }.map { ($0.key, .int(Int64($0.value))) })),
            ("unmanaged", .int(Int64(unmanaged))), ("held", .int(Int64(held))),
            ("estimatedRequests", .int(Int64(estimatedRequests))), ("estimatedDuration", .string(estimatedDuration)),
        ])
    }
}

extension SourceReference {
    var jsonValue: JSONValue {
        .object([
            ("id", id.map { .string($0) } ?? .null),
            ("userPrincipalName", userPrincipalName.map { .string($0) } ?? .null),
            ("file", .string(file)), ("line", .int(Int64(line))),
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
            ("id", .string(id)), ("action", .string(action.rawValue)), ("reason", .string(reason)),
            ("held", .bool(held)),
        ]
        if let source { members.append(("source", source.jsonValue)) }
        if let target { members.append(("target", target.jsonValue)) }
        if let matchedBy { members.append(("matchedBy", .string(matchedBy))) }
        members.append(
            (
                "changes",
                .array(
                    changes.map {
                        .object([("attribute", .string($0.attribute)), ("old", $0.old), ("new", $0.new)])
                    })
            ))
        var request: [(String, JSONValue)] = [
            ("method", .string(self.request.method)), ("path", .string(self.request.path)),
        ]
        if let body = self.request.body { request.append(("body", body)) }
        members.append(("request", .object(request)))
        if let precondition {
            members.append(
                (
                    "precondition",
                    .object([
                        ("version", precondition.version.map { .string($0) } ?? .null),
                        ("fingerprint", .string(precondition.fingerprint)),
                    ])
                ))
        }
        return .object(members)
    }
}

extension SkippedEntry {
    var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [("reason", .string(reason))]
        if let source { members.append(("source", source.jsonValue)) }
        if let target { members.append(("target", target.jsonValue)) }
        members.append(("detail", .string(detail)))
        return .object(members)
    }
}
