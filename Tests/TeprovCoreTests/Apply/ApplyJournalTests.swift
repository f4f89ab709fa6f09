import Foundation
import Testing

@testable import TeprovCore

@Suite("Apply journal: create, reopen, resume states, refusals")
struct ApplyJournalTests {
    typealias Support = JournalTestSupport

    @Test("a new journal starts with a header naming the plan digest, and has no prior states")
    func newJournalHeader() throws {
        let scratch = try ApplyScratchDirectory("journal")
        defer { scratch.remove() }
        let path = scratch.path("plan.journal")
        let journal = try Support.open(path)
        #expect(journal.priorStates.isEmpty)
        journal.close()
        #expect(
            try Support.lines(path) == [
                #"{"journal":"teprov-apply","formatVersion":1,"planDigest":"\#(Support.digest)","plan":"plan.json","createdAt":"2024-05-01T12:34:56.789Z"}"#
            ])
    }

    @Test("run, sent and outcome lines have the documented shape")
    func lineShapes() async throws {
        let scratch = try ApplyScratchDirectory("journal")
        defer { scratch.remove() }
        let path = scratch.path("plan.journal")
        let journal = try Support.open(path)
        try await journal.recordRunStart()
        try await journal.recordSent(operationID: "op-000001", attempt: 1)
        try await journal.recordOutcome(
            JournalOutcome(operationID: "op-000001", status: .succeeded, httpStatus: 201, targetID: "u-1"))
        try await journal.recordOutcome(
            JournalOutcome(
                operationID: "op-000002", status: .failed, reason: "StaleTarget", httpStatus: 412, final: true,
                attempts: 2))
        journal.close()
        let lines = try Support.lines(path)
        #expect(
            Array(lines.dropFirst()) == [
                #"{"event":"run","startedAt":"2024-05-01T12:34:56.789Z","toolVersion":"\#(TeprovVersion.current)"}"#,
                #"{"event":"sent","op":"op-000001","attempt":1,"at":"2024-05-01T12:34:56.789Z"}"#,
                #"{"event":"outcome","op":"op-000001","status":"succeeded","httpStatus":201,"final":false,"targetId":"u-1","attempts":1,"at":"2024-05-01T12:34:56.789Z"}"#,
                #"{"event":"outcome","op":"op-000002","status":"failed","reason":"StaleTarget","httpStatus":412,"final":true,"attempts":2,"at":"2024-05-01T12:34:56.789Z"}"#,
            ])
    }

    @Test("reopening resumes: the last record of each operation decides its state")
    func reopenResumeStates() async throws {
        let scratch = try ApplyScratchDirectory("journal")
        defer { scratch.remove() }
        let path = scratch.path("plan.journal")
        let first = try Support.open(path)
        try await first.recordRunStart()
        try await first.recordSent(operationID: "create", attempt: 1)
        try await first.recordOutcome(
            JournalOutcome(operationID: "create", status: .succeeded, httpStatus: 201, targetID: "new-id"))
        try await first.recordSent(operationID: "crashed", attempt: 1)
        try await first.recordSent(operationID: "crashed", attempt: 2)
        try await first.recordSent(operationID: "stale", attempt: 1)
        try await first.recordOutcome(
            JournalOutcome(operationID: "stale", status: .failed, reason: "StaleTarget", final: true))
        try await first.recordSent(operationID: "retried", attempt: 1)
        try await first.recordOutcome(
            JournalOutcome(operationID: "retried", status: .failed, reason: "TransportError", attempts: 7))
        first.close()

        let second = try Support.open(path)
        #expect(
            second.priorStates == [
                "create": .finished(
                    JournalOutcome(operationID: "create", status: .succeeded, httpStatus: 201, targetID: "new-id")),
                "crashed": .sentWithoutOutcome(attempts: 2),
                "stale": .finished(
                    JournalOutcome(operationID: "stale", status: .failed, reason: "StaleTarget", final: true)),
                "retried": .finished(
                    JournalOutcome(operationID: "retried", status: .failed, reason: "TransportError", attempts: 7)),
            ])
        try await second.recordRunStart()
        try await second.recordSent(operationID: "retried", attempt: 8)
        second.close()

        let third = try Support.open(path)
        defer { third.close() }
        #expect(third.priorStates["retried"] == .sentWithoutOutcome(attempts: 8))
        let headers = try Support.values(path).filter { $0["journal"] != nil }
        #expect(headers.count == 1)
        #expect(try Support.values(path).filter { $0["event"] == .string("run") }.count == 2)
    }

    @Test(
        "a torn last line is dropped and the journal stays appendable",
        arguments: [
            #"{"event":"outcome","op":"op-1","sta"#,
            // Complete JSON without its newline was never acknowledged either.
            #"{"event":"outcome","op":"op-1","status":"succeeded","final":false,"attempts":1,"at":"x"}"#,
            // A terminated last line that does not parse (e.g. zeros after a power loss).
            "\0\0\0\0\n",
        ])
    func tornLastLine(tail: String) async throws {
        let scratch = try ApplyScratchDirectory("journal")
        defer { scratch.remove() }
        let path = scratch.path("plan.journal")
        let first = try Support.open(path)
        try await first.recordSent(operationID: "op-1", attempt: 1)
        first.close()
        let intactSize = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        try Support.append(tail, to: path)

        let second = try Support.open(path)
        #expect(second.priorStates == ["op-1": .sentWithoutOutcome(attempts: 1)])
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == intactSize)
        try await second.recordOutcome(JournalOutcome(operationID: "op-1", status: .succeeded))
        second.close()

        let third = try Support.open(path)
        defer { third.close() }
        #expect(third.priorStates == ["op-1": .finished(JournalOutcome(operationID: "op-1", status: .succeeded))])
        #expect(try Support.values(path).count == 3)
    }

    @Test("a header torn by a crash during creation is written again")
    func tornHeader() throws {
        let scratch = try ApplyScratchDirectory("journal")
        defer { scratch.remove() }
        let path = scratch.path("plan.journal")
        try Data(#"{"journal":"teprov-ap"#.utf8).write(to: URL(fileURLWithPath: path))
        let journal = try Support.open(path)
        journal.close()
        let values = try Support.values(path)
        #expect(values.count == 1)
        #expect(values.first?["planDigest"] == .string(Support.digest))
    }

    @Test("an invalid line before the last one is an input error naming its line")
    func invalidMiddleLine() async throws {
        let scratch = try ApplyScratchDirectory("journal")
        defer { scratch.remove() }
        let path = scratch.path("plan.journal")
        let journal = try Support.open(path)
        try await journal.recordSent(operationID: "op-1", attempt: 1)
        journal.close()
        try Support.append("not json\n" + #"{"event":"sent","op":"op-2","attempt":1,"at":"x"}"# + "\n", to: path)
        let error = Support.teprovError { _ = try Support.open(path) }
        #expect(error?.code == .input)
        #expect(error?.line == 3)
        #expect(error?.file == path)
    }

    @Test("a journal of another plan is refused for safety and left as it was")
    func anotherPlansJournal() throws {
        let scratch = try ApplyScratchDirectory("journal")
        defer { scratch.remove() }
        let path = scratch.path("plan.journal")
        try Support.open(path, digest: Support.otherDigest).close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = Support.teprovError { _ = try Support.open(path) }
        #expect(error?.code == .safety)
        #expect(error?.exitCode == 3)
        #expect(error?.message.hasPrefix("belongs to another plan (\(Support.otherDigest))") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        // The refused open released its lock: the owner can still open it.
        try Support.open(path, digest: Support.otherDigest).close()
    }

    @Test(
        "a file that is not a journal is refused and never overwritten",
        arguments: [
            "{\n  \"formatVersion\": 1,\n  \"digest\": \"sha256:00\"\n}\n",
            #"{"formatVersion":1,"digest":"sha256:00"}"#,
            #"{"journal":"teprov-apply","formatVersion":2,"planDigest":"sha256:00"}"# + "\n",
            "id,userName\n",
        ])
    func notAJournal(content: String) throws {
        let scratch = try ApplyScratchDirectory("journal")
        defer { scratch.remove() }
        let path = scratch.path("plan.journal")
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        let error = Support.teprovError { _ = try Support.open(path) }
        #expect(error?.code == .input)
        #expect(error?.message.hasPrefix("is not a teprov apply journal") == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == content)
    }

    @Test("a second open in the same process is refused while the first holds the lock")
    func lockedInSameProcess() throws {
        let scratch = try ApplyScratchDirectory("journal")
        defer { scratch.remove() }
        let path = scratch.path("plan.journal")
        let first = try Support.open(path)
        let error = Support.teprovError { _ = try Support.open(path) }
        #expect(error?.code == .safety)
        #expect(error?.message.hasPrefix("is locked by another teprov apply") == true)
        first.close()
        try Support.open(path).close()
    }

    @Test("a journal locked by another process is refused until that process ends")
    func lockedByAnotherProcess() throws {
        let scratch = try ApplyScratchDirectory("journal")
        defer { scratch.remove() }
        let path = scratch.path("plan.journal")
        try Support.open(path).close()
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        // --no-fork: `sleep` itself holds the lock, so killing it releases the lock.
        holder.arguments = ["--exclusive", "--no-fork", path, "sleep", "60"]
        try holder.run()
        // SIGKILL: a signal disposition or mask inherited from the test runner cannot delay it.
        func stopHolder() {
            if holder.isRunning { kill(holder.processIdentifier, SIGKILL) }
            holder.waitUntilExit()
        }
        defer { stopHolder() }
        // Wait (at most 10 s) until the child holds the lock.
        var error: TeprovError?
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            error = Support.teprovError { try Support.open(path).close() }
            if error != nil { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(error?.code == .safety)
        #expect(error?.message.hasPrefix("is locked by another teprov apply") == true)
        stopHolder()
        let journal = try Support.open(path)
        journal.close()
    }

    @Test("a journal in a missing directory is an I/O error")
    func missingDirectory() {
        let error = Support.teprovError { _ = try Support.open("/nonexistent-teprov-dir/plan.journal") }
        #expect(error?.code == .io)
        #expect(error?.file == "/nonexistent-teprov-dir/plan.journal")
    }

    @Test("recording after close fails instead of writing to a closed file")
    func recordAfterClose() async throws {
        let scratch = try ApplyScratchDirectory("journal")
        defer { scratch.remove() }
        let journal = try Support.open(scratch.path("plan.journal"))
        journal.close()
        await #expect(throws: TeprovError.self) { try await journal.recordSent(operationID: "op-1", attempt: 1) }
    }

    @Test("time stamps are ISO 8601 UTC with milliseconds")
    func timestamps() {
        #expect(UTCTimestamp.string(from: Support.fixedDate) == "2024-05-01T12:34:56.789Z")
        #expect(UTCTimestamp.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(UTCTimestamp.string(from: Date(timeIntervalSince1970: 951_782_400.05)) == "2000-02-29T00:00:00.050Z")
    }
}
