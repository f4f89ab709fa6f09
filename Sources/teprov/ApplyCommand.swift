import ArgumentParser
import Foundation
import Synchronization
import TeprovCore

/// `teprov apply PLAN (--url URL | --offline OUT)`: executes a reviewed plan over SCIM 2.0 (SPEC §8).
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Execute a plan against ThousandEyes over SCIM (or against its snapshot with --offline).",
        discussion: """
            Runs the plan's operations phase by phase (delete, disable, update, create) with preconditions, \
            pacing, retries and a crash-safe journal: rerunning the same command resumes. Exit 0 when every \
            selected operation succeeded, 2 when some failed, 3 when refused or stopped for safety \
            (digest or target mismatch, held plan, quarantine, stale plan, locked or foreign journal).
            """
    )

    @Argument(help: "The plan file written by teprov plan.")
    var plan: String

    @OptionGroup var connection: ConnectionOptions

    @Option(
        help: ArgumentHelp(
            "Apply to the plan's snapshot file instead of a server, writing the result here.", valueName: "out-snapshot"
        ))
    var offline: String?

    @Option(help: "Requests in flight at once inside a phase (1–64).")
    var concurrency = 4

    @Option(help: ArgumentHelp("Requests per minute (default: 75% of the server's advertised limit).", valueName: "n"))
    var rateLimit: Int?

    @Option(help: "Retries of a request after the first attempt.")
    var maxRetries = 6

    @Option(help: ArgumentHelp("Journal file (default PLAN.journal); rerunning with it resumes.", valueName: "file"))
    var journal: String?

    @Option(help: ArgumentHelp("Report file (default PLAN.report.json).", valueName: "file"))
    var report: String?

    @Option(
        help: ArgumentHelp("Provisioning log, one JSON line per operation (default PLAN.log.jsonl).", valueName: "file")
    )
    var log: String?

    @Option(help: ArgumentHelp("Release a held plan: give the plan's own digest (sha256:...).", valueName: "digest"))
    var allowDeletes: String?

    @Flag(help: "Run a held plan without its held operations.")
    var skipHeld = false

    @Option(
        help: ArgumentHelp(
            "Run only these operations: ids (op-000001) and/or actions, comma-separated.", valueName: "ids|actions"))
    var only: [String] = []

    @Option(
        help: ArgumentHelp(
            "Do not run these operations: ids and/or actions, comma-separated.", valueName: "ids|actions"))
    var exclude: [String] = []

    @Option(help: "auto (If-Match when the plan has meta.version, else GET and compare), get, or none.")
    var precondition: PreconditionFlag = .auto

    @OptionGroup var global: GlobalOptions

    enum PreconditionFlag: String, ExpressibleByArgument, CaseIterable {
        case auto, get, none
    }

    func validate() throws {
        if offline != nil && connection.url != nil {
            throw ValidationError("give either --url or --offline, not both")
        }
        if offline == nil && connection.url == nil {
            throw ValidationError("give --url (the SCIM base URL) or --offline OUT_SNAPSHOT")
        }
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 64") }
        guard (0...20).contains(maxRetries) else { throw ValidationError("--max-retries must be between 0 and 20") }
        if let rateLimit, rateLimit <= 0 {
            throw ValidationError("--rate-limit must be a positive number of requests per minute")
        }
    }

    func run() async throws {
        MemoryTuning.restartWithHugePages(forInputs: [plan, offline])
        let status: Int32
        do {
            status = try await execute()
        } catch let error as TeprovError {
            throw error.exit()
        }
        finishProcess(status)
    }

    private func options() throws -> ApplyOptions {
        var options = ApplyOptions()
        options.concurrency = concurrency
        options.precondition = ApplyOptions.PreconditionMode(rawValue: precondition.rawValue) ?? .auto
        if !only.isEmpty { options.only = try OperationSelector(parsing: only.joined(separator: ","), flag: "--only") }
        if !exclude.isEmpty {
            options.exclude = try OperationSelector(parsing: exclude.joined(separator: ","), flag: "--exclude")
        }
        options.allowDeletesDigest = allowDeletes
        options.skipHeld = skipHeld
        return options
    }

    private func execute() async throws -> Int32 {
        let options = try options()
        let loaded = try PlanFile.load(path: plan)
        let settings = try offline == nil ? connection.resolvedSettings() : nil
        for warning in settings?.warnings ?? [] where !global.quiet {
            StandardError.write("teprov: warning: \(warning)")
        }
        let warnings = try ApplyPreflight.check(loaded, planPath: plan, url: settings?.baseURL, options: options)
        for warning in warnings where !global.quiet { StandardError.write("teprov: warning: \(warning)") }

        let base = offline ?? plan
        let reportPath = report ?? base + ".report.json"
        let logPath = log ?? base + ".log.jsonl"
        let journalPath = offline == nil ? (journal ?? plan + ".journal") : journal
        let applyJournal = try journalPath.map {
            try ApplyJournal.open(path: $0, planDigest: loaded.plan.digest, planPath: plan)
        }
        defer { applyJournal?.close() }

        let target: any SCIMTarget
        var httpTarget: HTTPSCIMTarget?
        var offlineTarget: OfflineSCIMTarget?
        let host: String
        if offline != nil {
            let snapshot = try Self.plannedSnapshot(loaded.plan, planPath: plan)
            let made = try OfflineSCIMTarget(snapshotPath: snapshot.path, expectedSHA256: snapshot.sha256)
            offlineTarget = made
            target = made
            host = "offline"
        } else if let settings {
            let made = try HTTPSCIMTarget(settings: settings, concurrency: concurrency)
            httpTarget = made
            target = made
            host = URLComponents(string: settings.baseURL)?.host ?? ""
        } else {
            throw TeprovError(.usage, "give --url (the SCIM base URL) or --offline OUT_SNAPSHOT")
        }

        let clock = SystemApplyClock()
        let statistics = RequestStatistics()
        let runner = SCIMRequestRunner(
            target: target, policy: RetryPolicy(maxRetries: maxRetries),
            pacer: RequestPacer(rateLimitPerMinute: offline == nil ? rateLimit : nil, host: host, clock: clock),
            clock: clock, statistics: statistics)
        let logWriter = try ProvisioningLogWriter(path: logPath, keepingEarlierRuns: offline == nil)
        defer { logWriter.close() }
        let cycleID = UUID().uuidString.lowercased()
        let startedAt = UTCTimestamp.now()
        let total = loaded.plan.operations.count
        let progress = ProgressBar(total: total, label: "apply", mode: global.progress)
        let finished = ProgressCounter()
        let engine = ApplyEngine(plan: loaded.plan, runner: runner, journal: applyJournal, options: options) { record in
            try? logWriter.append(ProvisioningLogEntry(record: record, cycleId: cycleID))
            progress.update(done: finished.increment())
        }
        let result: ApplyRunResult
        do {
            result = try await engine.run()
        } catch {
            try? await httpTarget?.shutdown()
            throw error
        }
        try? await httpTarget?.shutdown()
        progress.finish()
        // Records read back from the journal or skipped still get their log line.
        for record in result.records where record.fromJournal || record.status == .skipped {
            try? logWriter.append(ProvisioningLogEntry(record: record, cycleId: cycleID))
        }

        if let offline, let offlineTarget {
            try offlineTarget.writeSnapshot(to: offline, source: loaded.plan.targetURL)
        }
        let applyReport = ApplyReport(
            run: result, planPath: plan, planDigest: loaded.plan.digest, target: target.displayName,
            statistics: statistics, startedAt: startedAt, reportPath: reportPath, logPath: logPath,
            journalPath: journalPath)
        try applyReport.write(to: reportPath)
        if !global.quiet {
            let color = !global.noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(1) == 1
            StandardOutput.write(
                applyReport.textSummary(
                    color: color, reportPath: reportPath, logPath: logPath, journalPath: journalPath))
        }
        if let reason = result.stopReason {
            StandardError.write("teprov: apply stopped: \(settings?.redacting(reason) ?? reason)")
        }
        switch result.outcome {
        case .succeeded: return 0
        case .partial: return 2
        case .stopped: return 3
        }
    }

    /// The snapshot file the plan was made from (`inputs.snapshot.path` and `sha256`).
    static func plannedSnapshot(_ plan: Plan, planPath: String) throws -> (path: String, sha256: String?) {
        guard case .string(let path)? = plan.inputs["snapshot"]?["path"] else {
            throw TeprovError(.input, "names no snapshot file, so --offline has nothing to apply to", file: planPath)
        }
        var sha: String?
        if case .string(let digest)? = plan.inputs["snapshot"]?["sha256"] { sha = digest }
        return (path, sha)
    }
}

/// Counts finished operations for the progress bar, from any task.
final class ProgressCounter: Sendable {
    private let value = Mutex(0)

    func increment() -> Int {
        value.withLock { count in
            count += 1
            return count
        }
    }
}
