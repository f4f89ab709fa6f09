import Foundation
import Testing

@testable import TeprovCore

/// Small plans built in code for the renderer tests, and the golden-file helper.
enum PlanRendererTestPlans {
    static func source(_ upn: String, id: String, line: Int, file: String = "users.csv") -> SourceReference {
        SourceReference(id: id, userPrincipalName: upn, file: file, line: line)
    }

    static func patch(_ targetID: String, _ body: JSONValue = .object([])) -> PlanRequest {
        PlanRequest(method: "PATCH", path: "/Users/\(targetID)", body: body)
    }

    /// A delete, a held disable, an update with two changes and a create; two skips, two diagnostics; held.
    static func sample() -> Plan {
        let operations = [
            PlanOperation(
                id: "op-000001", action: .delete, reason: "SourceHardDeleted", source: nil,
                target: TargetReference(id: "te-dave", userName: "dave@contoso.com"), matchedBy: nil, changes: [],
                request: PlanRequest(method: "DELETE", path: "/Users/te-dave", body: nil),
                precondition: Precondition(version: "W/\"4\"", fingerprint: "sha256:d4")),
            PlanOperation(
                id: "op-000002", action: .disable, reason: "SourceSoftDeleted", held: true,
                source: source("carol@contoso.com", id: "c4r0l", line: 2, file: "deleted.csv"),
                target: TargetReference(id: "te-carol", userName: "carol@contoso.com"), matchedBy: "externalId",
                changes: [AttributeChange(attribute: "active", old: .bool(true), new: .bool(false))],
                request: patch("te-carol"), precondition: Precondition(version: nil, fingerprint: "sha256:c4")),
            PlanOperation(
                id: "op-000003", action: .update, reason: "AttributesChanged",
                source: source("bob@contoso.com", id: "b0b", line: 3),
                target: TargetReference(id: "te-bob", userName: "bob@contoso.com"), matchedBy: "externalId",
                changes: [
                    AttributeChange(attribute: "displayName", old: .string("Bob"), new: .string("Robert")),
                    AttributeChange(attribute: "title", old: .null, new: .string("Engineer")),
                ],
                request: patch("te-bob"), precondition: Precondition(version: "W/\"2\"", fingerprint: "sha256:b0")),
            PlanOperation(
                id: "op-000004", action: .create, reason: "NotMatched",
                source: source("alice@contoso.com", id: "a11ce", line: 2), target: nil, matchedBy: nil,
                changes: [
                    AttributeChange(attribute: "userName", old: .null, new: .string("alice@contoso.com")),
                    AttributeChange(attribute: "displayName", old: .null, new: .string("Alice Smith")),
                    AttributeChange(
                        attribute: "emails", old: .null,
                        new: .array([
                            .object([
                                ("type", .string("work")), ("value", .string("alice@contoso.com")),
                                ("primary", .bool(true)),
                            ])
                        ])),
                ],
                request: PlanRequest(
                    method: "POST", path: "/Users", body: .object([("userName", .string("alice@contoso.com"))])),
                precondition: nil),
        ]
        var summary = Plan.Summary()
        summary.sourceRecords = 6
        summary.invalid = 1
        summary.inScope = 4
        summary.outOfScope = 1
        summary.create = 1
        summary.update = 1
        summary.disable = 1
        summary.delete = 1
        summary.noop = 2
        summary.skipped = ["DuplicateSourceEntries": 1, "ProtectedUser": 1]
        summary.unmanaged = 3
        summary.held = 1
        summary.estimatedRequests = 7
        summary.estimatedDuration = "PT3S"
        return Plan(
            toolVersion: "0.1.0", createdAt: "2026-11-30T10:00:00Z", targetURL: "https://api.thousandeyes.com/scim/v2",
            snapshotCapturedAt: "2026-11-30T09:55:00Z",
            inputs: .object([("users", .array([.object([("path", .string("users.csv")), ("records", .int(6))])]))]),
            summary: summary,
            safety: Plan.Safety(
                deletionThreshold: 2, deletionThresholdPercent: 20, managedTargets: 5, deletions: 2, held: true),
            operations: operations,
            skipped: [
                SkippedEntry(
                    reason: "DuplicateSourceEntries", source: source("erin@contoso.com", id: "3r1n", line: 5),
                    target: nil,
                    detail: "userName erin@contoso.com is also on users.csv line 6"),
                SkippedEntry(
                    reason: "ProtectedUser", source: nil,
                    target: TargetReference(id: "te-root", userName: "root@contoso.com"),
                    detail: "listed in safety.protectedUsers"),
            ],
            diagnostics: [
                Diagnostic(.warning, file: "users.csv", line: 5, "two records share userName erin@contoso.com"),
                Diagnostic(.error, file: "users.csv", line: 7, "userPrincipalName is missing; the record is invalid"),
            ]
        ).sealed()
    }

    /// The sample without the hold and without creates.
    static func unheldWithoutCreates() -> Plan {
        var plan = sample()
        plan.safety.held = false
        plan.operations = plan.operations.filter { $0.action != .create }.map { operation in
            var copy = operation
            copy.held = false
            return copy
        }
        plan.summary.create = 0
        plan.summary.held = 0
        return plan.sealed()
    }

    /// `count` creates, `new-00001@contoso.com`, ..., ids in order.
    static func creates(_ count: Int) -> Plan {
        var plan = sample()
        plan.safety.held = false
        plan.operations = (1...count).map { number in
            let name = "new-" + String(format: "%05d", number) + "@contoso.com"
            return PlanOperation(
                id: "op-" + String(format: "%06d", number), action: .create, reason: "NotMatched",
                source: source(name, id: "id-\(number)", line: number + 1), target: nil, matchedBy: nil,
                changes: [AttributeChange(attribute: "userName", old: .null, new: .string(name))],
                request: PlanRequest(method: "POST", path: "/Users", body: nil), precondition: nil)
        }
        plan.summary.create = count
        plan.summary.update = 0
        plan.summary.disable = 0
        plan.summary.delete = 0
        plan.summary.held = 0
        return plan.sealed()
    }

    static func render(_ plan: Plan, _ options: PlanRenderer.Options) throws -> String {
        try PlanRenderer(options: options).render(plan)
    }

    static func options(_ format: PlanRenderer.Format) -> PlanRenderer.Options {
        PlanRenderer.Options(format: format, planName: "plan.json")
    }
}

/// Golden files under Fixtures/show/, compared byte for byte; `RECORD=1` rewrites them.
enum PlanRendererGolden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("show")

    static func check(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(
            actual == expected, "\(name) differs from the golden file; if intended, re-record with RECORD=1",
            sourceLocation: sourceLocation)
    }
}
