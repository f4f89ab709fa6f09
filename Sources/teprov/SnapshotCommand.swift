import ArgumentParser
import TeprovCore

#if canImport(Glibc)
    import Glibc
#endif

/// `teprov snapshot --url URL --out FILE`: pages `GET /Users` into a snapshot file (SPEC §9).
struct SnapshotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Capture every ThousandEyes user over SCIM into a snapshot file for teprov plan.",
        discussion: """
            Pages GET /Users with startIndex and count, with apply's authentication, pacing and retries, \
            de-duplicates users by id and copes with servers that cap or ignore count or whose totalResults \
            changes during the capture. The file says "complete": true only when the distinct users equal a \
            re-checked totalResults. Exit 0 when complete; 3 when users are missing (the file is still written, \
            with "complete": false, and plan refuses it without --allow-incomplete-snapshot); 4 for an HTTP, \
            protocol or file error (nothing is written); 64 for bad flags.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Where to write the snapshot (replaced atomically).", valueName: "file"))
    var out: String

    @Option(help: ArgumentHelp("Users asked for per page (the SCIM count), 1-10000.", valueName: "n"))
    var pageSize = 100

    @Option(help: ArgumentHelp("Requests per minute (default: 75% of the server's advertised limit).", valueName: "n"))
    var rateLimit: Int?

    @Option(help: "Retries of a request after the first attempt.")
    var maxRetries = 6

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if connection.url == nil {
            throw ValidationError("give --url, the SCIM base URL, e.g. https://api.thousandeyes.com/scim/v2")
        }
        guard (1...10_000).contains(pageSize) else { throw ValidationError("--page-size must be between 1 and 10000") }
        guard (0...20).contains(maxRetries) else { throw ValidationError("--max-retries must be between 0 and 20") }
        if let rateLimit, rateLimit <= 0 {
            throw ValidationError("--rate-limit must be a positive number of requests per minute")
        }
        if out.isEmpty { throw ValidationError("--out needs a file name, e.g. --out snapshot.json") }
    }

    func run() async throws {
        let settings: SCIMConnectionSettings
        let target: HTTPSCIMTarget
        do {
            settings = try connection.resolvedSettings()
            try Self.checkWritable(out)
            target = try HTTPSCIMTarget(settings: settings, concurrency: 1)
        } catch let error as TeprovError {
            throw error.exit()
        }
        for warning in settings.warnings where !global.quiet {
            StandardError.write("teprov: warning: \(warning)")
        }
        let started = ContinuousClock.now
        let clock = SystemApplyClock()
        let statistics = RequestStatistics()
        let runner = SCIMRequestRunner(
            target: target, policy: RetryPolicy(maxRetries: maxRetries),
            pacer: RequestPacer(rateLimitPerMinute: rateLimit, host: settings.url.host, clock: clock),
            clock: clock, statistics: statistics)
        let bar = ProgressBar(total: 0, label: "snapshot", mode: global.quiet ? .never : global.progress)
        let capture = SnapshotCapture(runner: runner, options: .init(source: settings.baseURL, pageSize: pageSize))
        let snapshot: CapturedSnapshot
        do {
            snapshot = try await capture.capture { done, total in bar.update(done: done, total: total) }
            try? await target.shutdown()
            bar.finish()
            try snapshot.write(to: out)
        } catch let error as TeprovError {
            try? await target.shutdown()
            bar.finish()
            // Error details quote the server; never let them carry the credential.
            throw TeprovError(error.code, settings.redacting(error.message), file: error.file, line: error.line).exit()
        }
        if !global.quiet {
            StandardOutput.write(
                Self.summary(snapshot, statistics: statistics, duration: started.duration(to: .now), path: out))
        }
        guard snapshot.complete else {
            let reason = settings.redacting(snapshot.incompleteReason ?? "users are missing")
            StandardError.write(
                "teprov: \(out): the snapshot is incomplete: \(reason); it was written with \"complete\": false, "
                    + "which plan refuses without --allow-incomplete-snapshot, so capture it again")
            finishProcess(3)
        }
        finishProcess(0)
    }

    /// `Captured 2500 users (totalResults 2500, complete) in 25 pages: 26 requests, 0 retries, 3.1 s -> snapshot.json`
    static func summary(_ snapshot: CapturedSnapshot, statistics: RequestStatistics, duration: Duration, path: String)
        -> String
    {
        let state = snapshot.complete ? "complete" : "INCOMPLETE"
        let users = snapshot.userCount == 1 ? "1 user" : "\(snapshot.userCount) users"
        let pages = snapshot.pages == 1 ? "1 page" : "\(snapshot.pages) pages"
        let requests = statistics.requests == 1 ? "1 request" : "\(statistics.requests) requests"
        let retries = statistics.retries == 1 ? "1 retry" : "\(statistics.retries) retries"
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let time = String(Double(Int(seconds * 10)) / 10)
        return "Captured \(users) (totalResults \(snapshot.totalResults), \(state)) in \(pages): "
            + "\(requests), \(retries), \(time) s -> \(path)\n"
    }

    /// Fails before any request when the snapshot could not be written (missing or read-only directory).
    static func checkWritable(_ path: String) throws {
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        let shown = directory.isEmpty ? "/" : directory
        guard access(shown, W_OK) == 0 else {
            let reason = String(cString: strerror(errno))
            throw TeprovError(
                .io, "cannot be written: its directory \(shown) is not writable (\(reason)); choose another --out",
                file: path)
        }
    }
}
