import Foundation
import Synchronization
import Testing

@testable import TeprovCore

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Apply engine and its journal")
struct ApplyEngineJournalTests {
    @Test("a journal write error stops the run before its next request")
    func journalWriteErrorStops() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teprov-jfull-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let apply = try SamplesApply()
        let journal = try ApplyJournal.open(
            path: directory.appendingPathComponent("plan.journal").path, planDigest: apply.plan.digest,
            planPath: "plan.json")
        defer { journal.close() }
        let requestsAtBreak = Mutex<Int?>(nil)
        let target = apply.target
        var options = ApplyOptions()
        options.concurrency = 1
        let runner = SCIMRequestRunner(
            target: apply.target, policy: RetryPolicy(random: { 0.5 }),
            pacer: RequestPacer(rateLimitPerMinute: nil, host: "127.0.0.1", clock: apply.clock), clock: apply.clock,
            statistics: apply.statistics)
        let engine = ApplyEngine(plan: apply.plan, runner: runner, journal: journal, options: options) { _ in
            // After the first operation, every journal write fails (a full disk).
            requestsAtBreak.withLock { sent in
                guard sent == nil else { return }
                sent = target.sent.count
                let full = Glibc.open("/dev/full", O_WRONLY)
                _ = dup2(full, journal.appender.descriptor)
                Glibc.close(full)
            }
        }
        let result = try await engine.run()
        #expect(result.outcome == .stopped)
        #expect(result.stopReason?.contains("journal") == true)
        let sentBeforeBreak = try #require(requestsAtBreak.withLock { $0 })
        // The next operation's precondition read may go out before its `sent` line fails to be
        // written; nothing that changes the server is sent after that, and no further operation starts.
        let after = apply.target.sent.dropFirst(sentBeforeBreak)
        #expect(after.allSatisfy { $0.hasPrefix("GET ") }, "no write request after the journal failed: \(after)")
        #expect(after.count <= 1)
        #expect(result.records.filter { $0.status == .succeeded }.count == 1)
    }
}
