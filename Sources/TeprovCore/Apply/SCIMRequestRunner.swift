/// The answer to a request after pacing and retries.
public struct SCIMExchange: Sendable {
    public enum Result: Sendable {
        case response(SCIMResponse)
        case transportFailure(SCIMTransportError)
    }

    public var result: Result
    /// Requests actually sent for this exchange (including `previousAttempts` when given).
    public var attempts: Int
    /// `true` when the last answer was still retryable when the retry budget ran out.
    public var retriesExhausted: Bool

    public var response: SCIMResponse? {
        if case .response(let response) = result { return response }
        return nil
    }
}

/// Sends SCIM requests through the pacer with the retry policy (SPEC §8), counting everything.
public struct SCIMRequestRunner: Sendable {
    public let target: any SCIMTarget
    public let policy: RetryPolicy
    public let pacer: RequestPacer
    public let clock: any ApplyClock
    public let statistics: RequestStatistics

    public init(
        target: any SCIMTarget, policy: RetryPolicy, pacer: RequestPacer, clock: any ApplyClock,
        statistics: RequestStatistics
    ) {
        self.target = target
        self.policy = policy
        self.pacer = pacer
        self.clock = clock
        self.statistics = statistics
    }

    /// For requests that are safe to repeat (GET, and anything the caller has settled): retries every
    /// retryable answer or transport error up to `policy.maxRetries`.
    /// - Throws: only `CancellationError`.
    public func sendRetryingAll(_ request: SCIMRequest, previousAttempts: Int = 0) async throws -> SCIMExchange {
        try await send(request, previousAttempts: previousAttempts) { _ in true }
    }

    /// For requests whose repetition could duplicate (POST) or that the caller settles first: retries
    /// only answers proving nothing happened (429; transport errors before the request reached the
    /// server) and returns the first 5xx, 408 or unknown-outcome error to the caller.
    /// - Throws: only `CancellationError`.
    public func sendRetryingRefusals(_ request: SCIMRequest, previousAttempts: Int = 0) async throws -> SCIMExchange {
        try await send(request, previousAttempts: previousAttempts) { failure in
            switch failure {
            case .response(let response): return response.status == 429
            case .transportFailure(let error): return !error.requestMayHaveReachedServer && error.kind != .tls
            }
        }
    }

    private func send(
        _ request: SCIMRequest, previousAttempts: Int, mayRetry: (SCIMExchange.Result) -> Bool
    ) async throws -> SCIMExchange {
        var attempts = previousAttempts
        while true {
            try Task.checkCancellation()
            try await pacer.acquire()
            attempts += 1
            statistics.recordRequest()
            let result: SCIMExchange.Result
            do {
                let response = try await target.send(request)
                pacer.complete(response)
                statistics.record(response)
                result = .response(response)
            } catch let error as SCIMTransportError {
                pacer.complete(nil)
                statistics.recordNetworkError()
                result = .transportFailure(error)
            } catch {
                pacer.complete(nil)
                throw error
            }
            let retryable: Bool
            let response: SCIMResponse?
            switch result {
            case .response(let answer):
                retryable = RetryPolicy.isRetryable(status: answer.status)
                response = answer
            case .transportFailure(let error):
                // An untrusted certificate does not become trusted by asking again.
                retryable = error.kind != .tls
                response = nil
            }
            guard retryable else { return SCIMExchange(result: result, attempts: attempts, retriesExhausted: false) }
            guard mayRetry(result) else {
                return SCIMExchange(result: result, attempts: attempts, retriesExhausted: false)
            }
            guard attempts - 1 < policy.maxRetries else {
                return SCIMExchange(result: result, attempts: attempts, retriesExhausted: true)
            }
            statistics.recordRetry()
            try await clock.sleep(for: policy.delay(forAttempt: attempts, response: response))
        }
    }
}
