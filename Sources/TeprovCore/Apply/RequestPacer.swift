import Synchronization

/// Paces requests to a SCIM server (SPEC §8 "Order and pace").
///
/// The rate is `--rate-limit` when given, else 75% of the server's `X-Organization-Rate-Limit-Limit`
/// once an answer has carried it (ThousandEyes' 240/min is shared by the whole organisation), else
/// 180/min for `*.thousandeyes.com` and unlimited elsewhere. Independently of the rate, when an answer
/// says `-Remaining` is at or below the requests still in flight, or when the server answers 429,
/// every caller waits until the window resets (`-Reset` measured against the server's `Date`,
/// clamped to 0–60 s) or the `Retry-After` has passed, so a well-behaved run sees no 429.
public final class RequestPacer: Sendable {
    private struct State {
        var observedLimit: Int?
        var nextSlot: Duration = .zero
        var pauseUntil: Duration = .zero
        var inFlight = 0
    }

    private let configuredRate: Int?
    private let defaultRate: Int?
    private let clock: any ApplyClock
    private let state = Mutex(State())

    /// - Parameters:
    ///   - rateLimitPerMinute: `--rate-limit`, or `nil` to follow the server.
    ///   - host: the server's host name (`*.thousandeyes.com` gets 180/min until the server says more).
    public init(rateLimitPerMinute: Int?, host: String, clock: any ApplyClock) {
        configuredRate = rateLimitPerMinute.flatMap { $0 > 0 ? $0 : nil }
        let lowered = host.lowercased()
        defaultRate = lowered == "thousandeyes.com" || lowered.hasSuffix(".thousandeyes.com") ? 180 : nil
        self.clock = clock
    }

    /// Requests per minute the pacer currently allows, or `nil` for unlimited.
    public var currentRatePerMinute: Double? {
        state.withLock { rate(given: $0) }
    }

    /// Requests sent and not yet answered.
    public var requestsInFlight: Int { state.withLock { $0.inFlight } }

    private func rate(given state: State) -> Double? {
        if let configuredRate { return Double(configuredRate) }
        if let limit = state.observedLimit, limit > 0 { return Double(limit) * 0.75 }
        return defaultRate.map(Double.init)
    }

    /// Waits until a request may start, then counts it in flight. Every `acquire` must be followed by
    /// one `complete(_:)`.
    public func acquire() async throws {
        while true {
            try Task.checkCancellation()
            let wait: Duration? = state.withLock { state in
                let now = clock.elapsed()
                if state.pauseUntil > now { return state.pauseUntil - now }
                if state.nextSlot > now { return state.nextSlot - now }
                if let perMinute = rate(given: state) {
                    state.nextSlot = now + .milliseconds(Int64(60_000 / perMinute))
                }
                state.inFlight += 1
                return nil
            }
            guard let wait else { return }
            try await clock.sleep(for: wait)
        }
    }

    /// Records the end of a request started by `acquire()`: its answer's rate-limit headers, or
    /// `nil` when no answer came.
    public func complete(_ response: SCIMResponse?) {
        state.withLock { state in
            state.inFlight = max(0, state.inFlight - 1)
            guard let response else { return }
            let headers = RateLimitHeaders(response)
            if let limit = headers.limit, limit > 0 { state.observedLimit = limit }
            let now = clock.elapsed()
            var pause: Duration?
            if response.status == 429 {
                pause = RetryPolicy.serverRequestedDelay(response) ?? .seconds(1)
            } else if let remaining = headers.remaining, remaining <= state.inFlight,
                let seconds = headers.secondsUntilReset
            {
                pause = .milliseconds(Int64(seconds * 1000))
            }
            if let pause {
                state.pauseUntil = max(state.pauseUntil, now + min(pause, .seconds(60)))
            }
        }
    }
}

/// Request counters for reports (SPEC §8 "Report"): thread-safe.
public final class RequestStatistics: Sendable {
    private struct Counts {
        var requests = 0
        var retries = 0
        var tooManyRequests = 0
        var serverErrors = 0
        var networkErrors = 0
    }

    private let counts = Mutex(Counts())

    public init() {}

    public var requests: Int { counts.withLock { $0.requests } }
    public var retries: Int { counts.withLock { $0.retries } }
    public var tooManyRequests: Int { counts.withLock { $0.tooManyRequests } }
    public var serverErrors: Int { counts.withLock { $0.serverErrors } }
    public var networkErrors: Int { counts.withLock { $0.networkErrors } }

    func recordRequest() { counts.withLock { $0.requests += 1 } }
    func recordRetry() { counts.withLock { $0.retries += 1 } }
    func recordNetworkError() { counts.withLock { $0.networkErrors += 1 } }

    func record(_ response: SCIMResponse) {
        counts.withLock { counts in
            if response.status == 429 { counts.tooManyRequests += 1 }
            if (500..<600).contains(response.status) { counts.serverErrors += 1 }
        }
    }
}
