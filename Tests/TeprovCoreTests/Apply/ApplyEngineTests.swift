import Foundation
import Testing

@testable import TeprovCore

@Suite("Apply engine against a faithful SCIM target with injected faults")
struct ApplyEngineTests {
    @Test("every operation of the samples' plan succeeds and the target ends as planned")
    func samplesPlanSucceeds() async throws {
        let apply = try SamplesApply()
        let result = try await apply.engine().run()
        #expect(result.outcome == .succeeded)
        #expect(result.records.count == apply.plan.operations.count)
        #expect(result.records.allSatisfy { $0.status == .succeeded })
        let users = try await apply.users()
        for operation in apply.plan.operations where operation.action == .create {
            let name = operation.displayUserName.lowercased()
            #expect(users[name] != nil, "created user \(name) is on the target")
        }
        for operation in apply.plan.operations where operation.action == .disable {
            let name = try #require(operation.target?.userName).lowercased()
            #expect(users[name]?["active"] == .bool(false))
        }
        for operation in apply.plan.operations where operation.action == .delete {
            #expect(users[try #require(operation.target?.userName).lowercased()] == nil)
        }
        #expect(apply.statistics.retries == 0)
    }

    @Test("a 503 on a create is settled by lookup before the POST is sent again")
    func createRetriesAfterServerError() async throws {
        let apply = try SamplesApply(rules: [.init(method: "POST", pathPrefix: "/Users", times: 2, fault: .status(503))]
        )
        let result = try await apply.engine(options: serial()).run()
        #expect(result.outcome == .succeeded)
        #expect(apply.statistics.serverErrors == 2)
        #expect(apply.statistics.retries == 2)
        let creates = apply.plan.operations.filter { $0.action == .create }.count
        #expect(apply.target.count("POST") == creates + 2)
        // Settling asked the server before each resend.
        #expect(apply.target.sent.contains { $0.hasPrefix("GET /Users") && !$0.hasPrefix("GET /Users/") })
    }

    @Test("a create whose answer is lost is found by externalId and not sent twice")
    func lostCreateAnswerIsSettled() async throws {
        let apply = try SamplesApply(rules: [.init(method: "POST", pathPrefix: "/Users", times: 1, fault: .dropAfter)])
        let result = try await apply.engine(options: serial()).run()
        #expect(result.outcome == .succeeded)
        let creates = apply.plan.operations.filter { $0.action == .create }
        #expect(apply.target.count("POST") == creates.count, "no POST was repeated")
        let first = try #require(result.records.first { $0.operation.action == .create })
        #expect(first.status == .succeeded)
        #expect(first.targetID == "offline-\(first.operation.id)")
        let users = try await apply.users()
        #expect(users.count == Set(users.keys).count)
    }

    @Test("an update whose user changed since the snapshot is StaleTarget and is not sent")
    func staleUpdateIsNotSent() async throws {
        let apply = try SamplesApply()
        let update = try #require(apply.plan.operations.first { $0.action == .update })
        let id = try #require(update.target?.id)
        // Someone edits the user's displayName on the server after the plan.
        let edit = SCIMRequest(
            method: "PATCH", path: "/Users/\(id)",
            body: Array(
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Edited By Hand"}]}"#
                    .utf8))
        #expect(try await apply.target.inner.send(edit).status < 300)
        var options = serial()
        options.only = try OperationSelector(parsing: update.id, flag: "--only")
        options.precondition = .get
        let result = try await apply.engine(options: options).run()
        let record = try #require(result.records.first { $0.operation.id == update.id })
        #expect(record.status == .failed)
        #expect(record.reason == "StaleTarget")
        #expect(record.final)
        #expect(apply.target.count("PATCH") == 0)
        #expect(result.outcome == .partial)

        // With --precondition none it is sent.
        options.precondition = .none
        let forced = try await apply.engine(options: options).run()
        #expect(forced.records.first { $0.operation.id == update.id }?.status == .succeeded)
        #expect(apply.target.count("PATCH") == 1)
    }

    @Test("an update the server already holds succeeds without a request")
    func alreadyAppliedUpdate() async throws {
        let apply = try SamplesApply()
        let update = try #require(apply.plan.operations.first { $0.action == .update })
        var options = serial()
        options.only = try OperationSelector(parsing: update.id, flag: "--only")
        options.precondition = .get
        _ = try await apply.engine(options: options).run()
        #expect(apply.target.count("PATCH") + apply.target.count("PUT") == 1)
        let again = try await apply.engine(options: options).run()
        let record = try #require(again.records.first { $0.operation.id == update.id })
        #expect(record.status == .succeeded)
        #expect(record.reason == "AlreadyApplied")
        #expect(apply.target.count("PATCH") + apply.target.count("PUT") == 1)
    }

    @Test("a target that ignores active=false fails the disable with DisableNotPersisted")
    func disableNotPersisted() async throws {
        let apply = try SamplesApply(rules: [.init(method: "PATCH", pathPrefix: nil, times: 100, fault: .ignore)])
        var options = serial()
        options.only = try OperationSelector(parsing: "disable", flag: "--only")
        let result = try await apply.engine(options: options).run()
        let disables = result.records.filter { $0.operation.action == .disable }
        #expect(!disables.isEmpty)
        #expect(disables.allSatisfy { $0.reason == "DisableNotPersisted" && $0.status == .failed })
        #expect(result.outcome == .partial)
        #expect(result.advice.contains { $0.contains("deprovision.outOfScope") })
    }

    @Test("a 401 stops the run at once and sends nothing more")
    func unauthorizedQuarantines() async throws {
        let apply = try SamplesApply(rules: [.init(method: nil, pathPrefix: nil, times: 1000, fault: .status(401))])
        let result = try await apply.engine(options: serial()).run()
        #expect(result.outcome == .stopped)
        #expect(result.stopReason?.contains("401") == true)
        #expect(apply.target.sent.count == 1)
        #expect(result.records.filter { $0.reason == "NotSent" }.count == apply.plan.operations.count - 1)
    }

    @Test("operations failing with 5xx beyond the share stop the run (quarantine)")
    func serverErrorsQuarantine() async throws {
        let apply = try SamplesApply(rules: [.init(method: nil, pathPrefix: nil, times: 100_000, fault: .status(500))])
        let result = try await apply.engine(options: serial(), maxRetries: 1).run()
        #expect(result.outcome == .stopped)
        #expect(result.stopReason?.hasPrefix("quarantine") == true)
        let finished = result.records.filter { $0.status == .failed }.count
        #expect(finished == ApplyOptions().quarantineMinimumFinished)
    }

    @Test("429s with Retry-After are waited out, counted and never fail an operation")
    func tooManyRequestsAreHonoured() async throws {
        let apply = try SamplesApply(rules: [
            .init(
                method: nil, pathPrefix: nil, times: 3,
                fault: .status(429, headers: [SCIMHeader(name: "Retry-After", value: "7")]))
        ])
        let result = try await apply.engine(options: serial()).run()
        #expect(result.outcome == .succeeded)
        #expect(apply.statistics.tooManyRequests == 3)
        #expect(apply.clock.sleeps.filter { $0 == .seconds(7) }.count >= 3)
    }

    @Test("a journal's sent-without-outcome create is settled on resume, not sent again")
    func resumeSettlesUnknownCreate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teprov-resume-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let journalPath = directory.appendingPathComponent("plan.journal").path
        let apply = try SamplesApply()
        let create = try #require(apply.plan.operations.first { $0.action == .create })
        // A first run crashed right after the POST reached the server.
        let crashed = try ApplyJournal.open(path: journalPath, planDigest: apply.plan.digest, planPath: "plan.json")
        try await crashed.recordSent(operationID: create.id, attempt: 1)
        crashed.close()
        var body: [UInt8] = []
        create.request.body?.write(into: &body, style: .compact)
        _ = try await apply.target.inner.send(
            SCIMRequest(method: "POST", path: "/Users", body: body, operationID: create.id))

        let journal = try ApplyJournal.open(path: journalPath, planDigest: apply.plan.digest, planPath: "plan.json")
        let result = try await apply.engine(options: serial(), journal: journal).run()
        journal.close()
        #expect(result.outcome == .succeeded)
        let record = try #require(result.records.first { $0.operation.id == create.id })
        #expect(record.status == .succeeded)
        let creates = apply.plan.operations.filter { $0.action == .create }.count
        #expect(apply.target.count("POST") == creates - 1, "the settled create was not posted again")

        // A third run finds everything done.
        let reopened = try ApplyJournal.open(path: journalPath, planDigest: apply.plan.digest, planPath: "plan.json")
        let third = try await apply.engine(options: serial(), journal: reopened).run()
        reopened.close()
        #expect(third.alreadyApplied)
        #expect(third.outcome == .succeeded)
    }

    @Test("--only and --exclude select operations by id and action")
    func selection() async throws {
        let apply = try SamplesApply()
        var options = serial()
        options.only = try OperationSelector(parsing: "create,update", flag: "--only")
        options.exclude = try OperationSelector(parsing: "update", flag: "--exclude")
        let result = try await apply.engine(options: options).run()
        for record in result.records {
            if record.operation.action == .create {
                #expect(record.status == .succeeded)
            } else {
                #expect(record.status == .skipped && record.reason == "NotSelected")
            }
        }
        #expect(throws: TeprovError.self) { try OperationSelector(parsing: "frobnicate", flag: "--only") }
    }

    private func serial() -> ApplyOptions {
        var options = ApplyOptions()
        options.concurrency = 1
        return options
    }
}
