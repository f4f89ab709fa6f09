import Foundation

/// When and how long to wait before repeating a request (SPEC §8 "Retries"): 408, 429, 500, 502,
/// 503, 504, timeouts and connection errors are retried with exponential backoff and full jitter
/// (base 1 s, cap 60 s), honouring `Retry-After` (seconds or an HTTP date) and else the
/// `X-Organization-Rate-Limit-Reset` header; other answers are final.
public struct RetryPolicy: Sendable {
    /// Retries allowed after the first attempt (`--max-retries`).
    public var maxRetries: Int
    public var base: Duration
    public var cap: Duration
    /// A number in [0, 1); tests pass a fixed one to make jitter predictable.
    public var random: @Sendable () -> Double

    public init(
        maxRetries: Int = 6, base: Duration = .seconds(1), cap: Duration = .seconds(60),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxRetries = maxRetries
        self.base = base
        self.cap = cap
        self.random = random
    }

    /// `true` for the statuses SPEC §8 retries.
    public static func isRetryable(status: Int) -> Bool {
        [408, 429, 500, 502, 503, 504].contains(status)
    }

    /// The wait before retry number `attempt` (1 = the first retry).
    ///
    /// A `Retry-After` or rate-limit `Reset` on `response` wins over the backoff (a server that says
    /// when to come back is obeyed, clamped to the cap); otherwise full jitter: a random duration
    /// between 0 and `min(cap, base × 2^(attempt-1))`.
    public func delay(forAttempt attempt: Int, response: SCIMResponse?) -> Duration {
        if let response, let told = Self.serverRequestedDelay(response) {
            return min(told, cap)
        }
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(cap, base * (1 << exponent))
        return ceiling * random()
    }

    /// The wait a response asks for: `Retry-After` (delta seconds or HTTP date, measured against the
    /// response's `Date` when it has one), else `X-Organization-Rate-Limit-Reset` on a 429.
    public static func serverRequestedDelay(_ response: SCIMResponse) -> Duration? {
        if let retryAfter = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces) {
            if let seconds = Double(retryAfter), seconds.isFinite {
                return .milliseconds(Int64(max(0, seconds) * 1000))
            }
            if let date = HTTPDate.parse(retryAfter) {
                let now = response.header("Date").flatMap(HTTPDate.parse) ?? Date()
                return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
            }
        }
        if response.status == 429, let reset = RateLimitHeaders(response).secondsUntilReset {
            return .milliseconds(Int64(reset * 1000))
        }
        return nil
    }
}

/// `X-Organization-Rate-Limit-*` headers of a ThousandEyes answer.
public struct RateLimitHeaders: Sendable, Hashable {
    public var limit: Int?
    public var remaining: Int?
    /// Epoch seconds at which the window resets.
    public var reset: Double?
    /// The answer's `Date` header, for measuring `reset` against the server's clock.
    public var serverDate: Date?

    public init(_ response: SCIMResponse) {
        limit = response.header("X-Organization-Rate-Limit-Limit").flatMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        remaining = response.header("X-Organization-Rate-Limit-Remaining").flatMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        reset = response.header("X-Organization-Rate-Limit-Reset").flatMap {
            Double($0.trimmingCharacters(in: .whitespaces))
        }
        serverDate = response.header("Date").flatMap(HTTPDate.parse)
    }

    public var isPresent: Bool { limit != nil || remaining != nil || reset != nil }

    /// Seconds until the window resets, measured against the server's `Date` (else this machine's
    /// clock), clamped to 0–60 s as SPEC §8 says.
    public var secondsUntilReset: Double? {
        guard let reset else { return nil }
        let now = serverDate ?? Date()
        return min(60, max(0, reset - now.timeIntervalSince1970))
    }
}

/// HTTP dates (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms.
enum HTTPDate {
    private static let formats = [
        "EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy",
    ]

    static func parse(_ text: String) -> Date? {
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
