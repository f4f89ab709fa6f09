import Foundation
import Testing

@testable import TeprovCore

@Suite("Provisioning log: Entra-shaped JSON lines")
struct ProvisioningLogTests {
    static func operation(_ id: String = "op-000003", action: PlanAction = .update) -> PlanOperation {
        PlanOperation(
            id: id, action: action, reason: "attributesDiffer",
            source: SourceReference(id: "s-1", userPrincipalName: "ada@example.com", file: "users.csv", line: 7),
            target: TargetReference(id: "t-9", userName: "ada@example.com"), matchedBy: "externalId",
            changes: [
                AttributeChange(attribute: "name.familyName", old: .string("Byron"), new: .string("Lovelace")),
                AttributeChange(attribute: "title", old: .null, new: .string("Analyst")),
            ],
            request: PlanRequest(method: "PATCH", path: "/Users/t-9", body: nil), precondition: nil)
    }

    @Test("an entry built from an operation has Entra's fields in Entra's order")
    func entryFromOperation() {
        let entry = ProvisioningLogEntry(
            operation: Self.operation(), cycleId: "cycle-1", activityDateTime: "2024-05-01T12:34:56.789Z",
            status: .failed, errorCode: "StaleTarget", reason: "the user changed on the server since the snapshot",
            durationInMilliseconds: 42)
        #expect(
            entry.jsonValue.serialized(style: .compact)
                == #"{"activityDateTime":"2024-05-01T12:34:56.789Z","cycleId":"cycle-1","changeId":"op-000003","action":"Update","status":"failure","sourceIdentity":{"id":"s-1","userPrincipalName":"ada@example.com","file":"users.csv","line":7},"targetIdentity":{"id":"t-9","userName":"ada@example.com"},"modifiedProperties":[{"displayName":"name.familyName","oldValue":"Byron","newValue":"Lovelace"},{"displayName":"title","oldValue":null,"newValue":"Analyst"}],"errorCode":"StaleTarget","reason":"the user changed on the server since the snapshot","durationInMilliseconds":42}"#
        )
    }

    @Test("a create's entry carries the id the server gave; absent identities are null")
    func createAndAbsentIdentities() {
        var operation = Self.operation("op-000009", action: .create)
        operation.target = nil
        let created = ProvisioningLogEntry(
            operation: operation, cycleId: "c", activityDateTime: "t", status: .succeeded, targetID: "new-id")
        #expect(created.targetIdentity == .init(id: "new-id", userName: "ada@example.com"))
        #expect(created.jsonValue["errorCode"] == .null)
        let bare = ProvisioningLogEntry(
            activityDateTime: "t", cycleId: "c", changeId: "op-1", action: .delete, status: .skipped,
            sourceIdentity: nil, targetIdentity: nil)
        #expect(bare.jsonValue["sourceIdentity"] == .null)
        #expect(bare.jsonValue["targetIdentity"] == .null)
        #expect(bare.jsonValue["modifiedProperties"] == .array([]))
    }

    @Test(
        "actions and statuses use Entra's words",
        arguments: [
            (PlanAction.create, "Create"), (.update, "Update"), (.disable, "Disable"), (.delete, "Delete"),
        ])
    func actionWords(action: PlanAction, word: String) {
        #expect(ProvisioningLogEntry.Action(action).rawValue == word)
    }

    @Test(
        "statuses map to success, failure and skipped",
        arguments: [(OperationStatus.succeeded, "success"), (.failed, "failure"), (.skipped, "skipped")])
    func statusWords(status: OperationStatus, word: String) {
        #expect(ProvisioningLogEntry.Status(status).rawValue == word)
    }

    @Test("the writer truncates the log and keeps 200 concurrent lines whole")
    func concurrentAppends() async throws {
        let scratch = try ApplyScratchDirectory("log")
        defer { scratch.remove() }
        let path = scratch.path("plan.log.jsonl")
        try Data("left over from an earlier run\n".utf8).write(to: URL(fileURLWithPath: path))
        let writer = try ProvisioningLogWriter(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 1...200 {
                group.addTask {
                    try writer.append(
                        ProvisioningLogEntry(
                            operation: Self.operation("op-\(index)"), cycleId: "cycle", activityDateTime: "t",
                            status: .succeeded))
                }
            }
            try await group.waitForAll()
        }
        writer.close()
        let values = try JournalTestSupport.values(path)
        #expect(values.count == 200)
        let changes = Set(
            values.compactMap { value -> String? in
                if case .string(let id)? = value["changeId"] { return id }
                return nil
            })
        #expect(changes == Set((1...200).map { "op-\($0)" }))
        #expect(values.allSatisfy { $0["status"] == .string("success") && $0["action"] == .string("Update") })
    }

    @Test("appending after close throws an I/O error")
    func appendAfterClose() throws {
        let scratch = try ApplyScratchDirectory("log")
        defer { scratch.remove() }
        let writer = try ProvisioningLogWriter(path: scratch.path("log.jsonl"))
        writer.close()
        let error = JournalTestSupport.teprovError {
            try writer.append(
                ProvisioningLogEntry(
                    operation: Self.operation(), cycleId: "c", activityDateTime: "t", status: .succeeded))
        }
        #expect(error?.code == .io)
    }

    @Test("a log in a missing directory cannot be created")
    func missingDirectory() {
        let error = JournalTestSupport.teprovError {
            _ = try ProvisioningLogWriter(path: "/nonexistent-teprov-dir/log.jsonl")
        }
        #expect(error?.code == .io)
        #expect(error?.file == "/nonexistent-teprov-dir/log.jsonl")
    }
}
