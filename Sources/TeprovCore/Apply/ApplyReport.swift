/// What an apply run did (SPEC §8 "Report"): written as JSON beside the plan and summarised on stdout.
public struct ApplyReport: Sendable {
    /// How the run ended.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        /// Every selected operation succeeded (held ones may have been skipped with `--skip-held`).
        case succeeded
        /// The run finished, but some operations failed (exit 2).
        case partial
        /// The run stopped for safety: quarantine, stale plan, journal write error (exit 3).
        case stopped
    }

    public var planPath: String
    public var planDigest: String
    /// The SCIM base URL, or the offline snapshot file.
    public var target: String
    public var outcome: Outcome
    public var stopReason: String?
    /// Operations per action and final status; missing entries count as 0.
    public var counts: [PlanAction: [OperationStatus: Int]]
    /// Held operations left out by `--skip-held`.
    public var heldSkipped: Int
    /// Every selected operation had succeeded in an earlier run; nothing was sent.
    public var alreadyApplied: Bool
    /// HTTP requests sent, retries, precondition reads and settling look-ups included.
    public var requests: Int
    public var retries: Int
    /// Responses with status 429.
    public var tooManyRequests: Int
    /// Responses with a 5xx status.
    public var serverErrors: Int
    /// Requests that got no response (timeouts, refused or dropped connections).
    public var networkErrors: Int
    public var duration: Duration
    public var operationsPerSecond: Double
    public var failures: [ApplyFailure]
    /// Sentences telling the administrator what to do next (e.g. about `DisableNotPersisted`).
    public var advice: [String]
    /// When the run started (ISO 8601 UTC), if known.
    public var startedAt: String?
    /// Where the report, provisioning log and journal were written, for the text summary.
    public var reportPath: String?
    public var logPath: String?
    public var journalPath: String?

    /// - Parameter operationsPerSecond: `nil` computes it: succeeded plus failed operations per second
    ///   of `duration`.
    public init(
        planPath: String, planDigest: String, target: String, outcome: Outcome, stopReason: String? = nil,
        counts: [PlanAction: [OperationStatus: Int]] = [:], heldSkipped: Int = 0, alreadyApplied: Bool = false,
        requests: Int = 0, retries: Int = 0, tooManyRequests: Int = 0, serverErrors: Int = 0, networkErrors: Int = 0,
        duration: Duration = .zero, operationsPerSecond: Double? = nil, failures: [ApplyFailure] = [],
        advice: [String] = [], startedAt: String? = nil, reportPath: String? = nil, logPath: String? = nil,
        journalPath: String? = nil
    ) {
        self.planPath = planPath
        self.planDigest = planDigest
        self.target = target
        self.outcome = outcome
        self.stopReason = stopReason
        self.counts = counts
        self.heldSkipped = heldSkipped
        self.alreadyApplied = alreadyApplied
        self.requests = requests
        self.retries = retries
        self.tooManyRequests = tooManyRequests
        self.serverErrors = serverErrors
        self.networkErrors = networkErrors
        self.duration = duration
        self.failures = failures
        self.advice = advice
        self.startedAt = startedAt
        self.reportPath = reportPath
        self.logPath = logPath
        self.journalPath = journalPath
        let finished = counts.values.reduce(0) { $0 + ($1[.succeeded] ?? 0) + ($1[.failed] ?? 0) }
        self.operationsPerSecond =
            operationsPerSecond ?? Self.operationsPerSecond(operations: finished, duration: duration)
    }

    /// The operations of `action` that ended with `status`.
    public func count(_ action: PlanAction, _ status: OperationStatus) -> Int {
        counts[action]?[status] ?? 0
    }

    /// The operations that ended with `status`, over every action.
    public func total(_ status: OperationStatus) -> Int {
        PlanAction.allCases.reduce(0) { $0 + count($1, status) }
    }

    /// Adds `amount` to the count of `action` × `status`.
    public mutating func add(_ action: PlanAction, _ status: OperationStatus, _ amount: Int = 1) {
        counts[action, default: [:]][status, default: 0] += amount
    }

    /// `operations` per second of `duration` (0 for an empty duration).
    public static func operationsPerSecond(operations: Int, duration: Duration) -> Double {
        let seconds = duration.secondsValue
        return seconds > 0 ? Double(operations) / seconds : 0
    }

    /// The report as JSON; every action appears in `counts` with all three statuses.
    public var jsonValue: JSONValue {
        let counts = JSONValue.object(
            PlanAction.allCases.map { action in
                (
                    action.rawValue,
                    .object(OperationStatus.allCases.map { ($0.rawValue, .int(Int64(count(action, $0)))) })
                )
            })
        return .object([
            ("report", .string("teprov-apply")),
            ("formatVersion", .int(1)),
            ("toolVersion", .string(TeprovVersion.current)),
            ("plan", .string(planPath)),
            ("planDigest", .string(planDigest)),
            ("target", .string(target)),
            ("startedAt", startedAt.map { .string($0) } ?? .null),
            ("outcome", .string(outcome.rawValue)),
            ("stopReason", stopReason.map { .string($0) } ?? .null),
            ("alreadyApplied", .bool(alreadyApplied)),
            ("counts", counts),
            ("heldSkipped", .int(Int64(heldSkipped))),
            ("requests", .int(Int64(requests))),
            ("retries", .int(Int64(retries))),
            ("tooManyRequests", .int(Int64(tooManyRequests))),
            ("serverErrors", .int(Int64(serverErrors))),
            ("networkErrors", .int(Int64(networkErrors))),
            ("durationSeconds", .double(Self.rounded(duration.secondsValue, places: 3))),
            ("operationsPerSecond", .double(Self.rounded(operationsPerSecond, places: 2))),
            ("failures", .array(failures.map(\.jsonValue))),
            ("advice", .array(advice.map { .string($0) })),
            ("log", logPath.map { .string($0) } ?? .null),
            ("journal", journalPath.map { .string($0) } ?? .null),
        ])
    }

    /// Writes the report (pretty JSON) to `path` atomically.
    /// - Throws: `TeprovError(.io)` when the file cannot be written.
    public func write(to path: String) throws {
        try AtomicFile.write(Array(jsonValue.serialized(style: .pretty).utf8), to: path)
    }

    private static func rounded(_ value: Double, places: Int) -> Double {
        guard value.isFinite else { return 0 }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var secondsValue: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
