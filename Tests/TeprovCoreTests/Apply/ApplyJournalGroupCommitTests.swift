import Foundation
import Testing

@testable import TeprovCore

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Apply journal: group commit and write errors")
struct ApplyJournalGroupCommitTests {
    typealias Support = JournalTestSupport

    /// Waits (at most 60 s) until `lines` lines are queued for the writer. The tasks that queue them
    /// share the cooperative pool with every other test running at the same time: on a loaded 2-core
    /// machine the last one was seen to start after more than 10 s.
    private func waitForPending(_ journal: ApplyJournal, lines: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while journal.appender.pendingLineCount < lines, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(journal.appender.pendingLineCount == lines)
    }

    @Test("50 concurrent operations: every line on disk, sent before outcome, fewer fsyncs than lines")
    func concurrentOperations() async throws {
        let scratch = try ApplyScratchDirectory("journal")
        defer { scratch.remove() }
        let path = scratch.path("plan.journal")
        let journal = try Support.open(path)
        let operations = (1...50).map { "op-\($0)" }
        // Hold the writer until every `sent` line is queued, so the first batch is known to be shared;
        // the outcomes then race the writer freely.
        journal.appender.pauseWriting()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for operation in operations {
                group.addTask {
                    try await journal.recordSent(operationID: operation, attempt: 1)
                    try await journal.recordOutcome(
                        JournalOutcome(operationID: operation, status: .succeeded, targetID: "id-\(operation)"))
                }
            }
            try await waitForPending(journal, lines: operations.count)
            journal.appender.resumeWriting()
            try await group.waitForAll()
        }
        let statistics = journal.appender.statistics
        journal.close()

        #expect(statistics.lines == 100)
        #expect(statistics.syncs < statistics.lines)
        #expect(statistics.syncs <= 51)
        let values = try Support.values(path)
        #expect(values.count == 101)
        var sentAt: [String: Int] = [:]
        var outcomeAt: [String: Int] = [:]
        for (index, value) in values.enumerated().dropFirst() {
            guard case .string(let operation)? = value["op"] else { continue }
            if value["event"] == .string("sent") { sentAt[operation] = index }
            if value["event"] == .string("outcome") { outcomeAt[operation] = index }
        }
        #expect(Set(sentAt.keys) == Set(operations))
        #expect(Set(outcomeAt.keys) == Set(operations))
        #expect(operations.allSatisfy { (sentAt[$0] ?? .max) < (outcomeAt[$0] ?? .min) })
        // The first 50 lines after the header are the sent lines of the shared first batch.
        #expect(values[1...50].allSatisfy { $0["event"] == .string("sent") })

        let reopened = try Support.open(path)
        defer { reopened.close() }
        #expect(reopened.priorStates.count == 50)
        #expect(
            reopened.priorStates["op-7"]
                == .finished(JournalOutcome(operationID: "op-7", status: .succeeded, targetID: "id-op-7")))
    }

    @Test("a write error reaches every waiter of the batch and every later call")
    func writeErrorPropagates() async throws {
        let scratch = try ApplyScratchDirectory("journal")
        defer { scratch.remove() }
        let path = scratch.path("plan.journal")
        let journal = try Support.open(path)
        defer { journal.close() }
        // Make the journal's descriptor point at /dev/full: every write fails with ENOSPC.
        let full = Glibc.open("/dev/full", O_WRONLY)
        try #require(full >= 0)
        #expect(dup2(full, journal.appender.descriptor) >= 0)
        Glibc.close(full)

        journal.appender.pauseWriting()
        let results = try await withThrowingTaskGroup(of: TeprovError?.self) { group in
            for index in 1...5 {
                group.addTask {
                    do {
                        try await journal.recordSent(operationID: "op-\(index)", attempt: 1)
                        return nil
                    } catch let error as TeprovError {
                        return error
                    }
                }
            }
            try await waitForPending(journal, lines: 5)
            journal.appender.resumeWriting()
            var errors: [TeprovError?] = []
            for try await result in group { errors.append(result) }
            return errors
        }
        #expect(results.count == 5)
        for error in results {
            #expect(error?.code == .safety)
            #expect(error?.file == path)
            #expect(error?.message.contains("No space left on device") == true)
        }

        // Later calls fail at once, without another write.
        let later = await #expect(throws: TeprovError.self) {
            try await journal.recordOutcome(JournalOutcome(operationID: "op-1", status: .succeeded))
        }
        #expect(later?.message.contains("No space left on device") == true)
        #expect(journal.appender.statistics.syncs == 0)
        #expect(journal.appender.statistics.lines == 0)
        #expect(try Support.lines(path).count == 1)
    }
}
