/// Turns a plan file's JSON back into a `Plan`; every missing or mistyped field is an error naming it.
struct PlanDecoder {
    let path: String

    func fail(_ field: String) -> TeprovError {
        TeprovError(
            .input, "is not a valid teprov plan (\(field) is missing or malformed); re-run teprov plan", file: path)
    }

    func decode(_ document: JSONValue) throws -> Plan {
        guard case .int(let version)? = document["formatVersion"], version == Int64(Plan.formatVersion) else {
            throw TeprovError(
                .input, "has a plan formatVersion this teprov does not read; re-run teprov plan with this version",
                file: path)
        }
        let summaryValue = try require(document["summary"], "summary")
        var summary = Plan.Summary()
        summary.sourceRecords = try int(summaryValue, "sourceRecords")
        summary.invalid = try int(summaryValue, "invalid")
        summary.inScope = try int(summaryValue, "inScope")
        summary.outOfScope = try int(summaryValue, "outOfScope")
        summary.create = try int(summaryValue, "create")
        summary.update = try int(summaryValue, "update")
        summary.disable = try int(summaryValue, "disable")
        summary.delete = try int(summaryValue, "delete")
        summary.noop = try int(summaryValue, "noop")
        if case .object(let skips)? = summaryValue["skipped"] {
            for (reason, count) in skips {
                guard case .int(let value) = count else { throw fail("summary.skipped.\(reason)") }
                summary.skipped[reason] = Int(value)
            }
        }
        summary.unmanaged = try int(summaryValue, "unmanaged")
        summary.held = try int(summaryValue, "held")
        summary.estimatedRequests = try int(summaryValue, "estimatedRequests")
        summary.estimatedDuration = try string(summaryValue, "estimatedDuration")
        let safetyValue = try require(document["safety"], "safety")
        let safety = Plan.Safety(
            deletionThreshold: try int(safetyValue, "deletionThreshold"),
            deletionThresholdPercent: try number(safetyValue, "deletionThresholdPercent"),
            managedTargets: try int(safetyValue, "managedTargets"), deletions: try int(safetyValue, "deletions"),
            held: try bool(safetyValue, "held"))
        guard case .array(let operationValues)? = document["operations"] else { throw fail("operations") }
        guard case .array(let skippedValues)? = document["skipped"] else { throw fail("skipped") }
        let diagnostics: [Diagnostic]
        if case .array(let values)? = document["diagnostics"] {
            diagnostics = try values.map { value in
                Diagnostic(
                    Diagnostic.Severity(rawValue: try string(value, "severity")) ?? .warning,
                    file: try string(value, "file"),
                    line: value["line"].flatMap { if case .int(let n) = $0 { Int(n) } else { nil } },
                    try string(value, "message"))
            }
        } else {
            diagnostics = []
        }
        var plan = Plan(
            toolVersion: document["tool"]?["version"].flatMap { if case .string(let v) = $0 { v } else { nil } } ?? "",
            createdAt: try string(document, "createdAt"),
            targetURL: optionalString(document["target"], "url"),
            snapshotCapturedAt: optionalString(document["target"], "snapshotCapturedAt"),
            inputs: document["inputs"] ?? .object([]), summary: summary, safety: safety,
            operations: try operationValues.map(operation), skipped: try skippedValues.map(skip),
            diagnostics: diagnostics)
        plan.digest = optionalString(document, "digest") ?? ""
        return plan
    }

    func operation(_ value: JSONValue) throws -> PlanOperation {
        guard let action = PlanAction(rawValue: try string(value, "action")) else { throw fail("operations[].action") }
        let request = try require(value["request"], "operations[].request")
        var changes: [AttributeChange] = []
        if case .array(let items)? = value["changes"] {
            changes = try items.map {
                AttributeChange(
                    attribute: try string($0, "attribute"), old: $0["old"] ?? .null, new: $0["new"] ?? .null)
            }
        }
        let precondition: Precondition? = try value["precondition"].map {
            Precondition(version: optionalString($0, "version"), fingerprint: try string($0, "fingerprint"))
        }
        return PlanOperation(
            id: try string(value, "id"), action: action, reason: try string(value, "reason"),
            held: try bool(value, "held"),
            source: try value["source"].map(source), target: try value["target"].map(target),
            matchedBy: optionalString(value, "matchedBy"), changes: changes,
            request: PlanRequest(
                method: try string(request, "method"), path: try string(request, "path"), body: request["body"]),
            precondition: precondition)
    }

    func skip(_ value: JSONValue) throws -> SkippedEntry {
        SkippedEntry(
            reason: try string(value, "reason"), source: try value["source"].map(source),
            target: try value["target"].map(target), detail: optionalString(value, "detail") ?? "")
    }

    func source(_ value: JSONValue) throws -> SourceReference {
        SourceReference(
            id: optionalString(value, "id"), userPrincipalName: optionalString(value, "userPrincipalName"),
            file: try string(value, "file"), line: try int(value, "line"))
    }

    func target(_ value: JSONValue) throws -> TargetReference {
        TargetReference(id: try string(value, "id"), userName: optionalString(value, "userName"))
    }

    func require(_ value: JSONValue?, _ field: String) throws -> JSONValue {
        guard let value else { throw fail(field) }
        return value
    }

    func string(_ value: JSONValue, _ field: String) throws -> String {
        guard case .string(let text)? = value[field] else { throw fail(field) }
        return text
    }

    func optionalString(_ value: JSONValue?, _ field: String) -> String? {
        guard case .string(let text)? = value?[field] else { return nil }
        return text
    }

    func int(_ value: JSONValue, _ field: String) throws -> Int {
        guard case .int(let number)? = value[field] else { throw fail(field) }
        return Int(number)
    }

    func number(_ value: JSONValue, _ field: String) throws -> Double {
        switch value[field] {
        case .int(let number)?: return Double(number)
        case .double(let number)?: return number
        default: throw fail(field)
        }
    }

    func bool(_ value: JSONValue, _ field: String) throws -> Bool {
        guard case .bool(let flag)? = value[field] else { throw fail(field) }
        return flag
    }
}
