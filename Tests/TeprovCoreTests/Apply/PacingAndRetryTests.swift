import Foundation
import Testing

@testable import TeprovCore

@Suite("Retry policy and request pacing (SPEC §8)")
struct PacingAndRetryTests {
    private func response(_ status: Int, _ headers: [(String, String)]) -> SCIMResponse {
        SCIMResponse(status: status, headers: headers.map { SCIMHeader(name: $0.0, value: $0.1) })
    }

    @Test("retryable statuses are exactly 408, 429, 500, 502, 503, 504", arguments: 400...504)
    func retryableStatuses(status: Int) {
        #expect(RetryPolicy.isRetryable(status: status) == [408, 429, 500, 502, 503, 504].contains(status))
    }

    @Test("full jitter: a random share of min(cap, base × 2^(attempt-1))")
    func fullJitter() {
        let half = RetryPolicy(random: { 0.5 })
        #expect(half.delay(forAttempt: 1, response: nil) == .milliseconds(500))
        #expect(half.delay(forAttempt: 3, response: nil) == .seconds(2))
        #expect(half.delay(forAttempt: 20, response: nil) == .seconds(30), "capped at 60 s")
        let zero = RetryPolicy(random: { 0 })
        #expect(zero.delay(forAttempt: 4, response: nil) == .zero)
    }

    @Test("Retry-After in seconds and as an HTTP date, measured against the answer's Date")
    func retryAfter() {
        let policy = RetryPolicy(random: { 0.5 })
        #expect(policy.delay(forAttempt: 1, response: response(429, [("Retry-After", "7")])) == .seconds(7))
        #expect(policy.delay(forAttempt: 1, response: response(503, [("Retry-After", "600")])) == .seconds(60))
        let dated = response(
            503, [("Retry-After", "Mon, 30 Nov 2026 10:00:12 GMT"), ("Date", "Mon, 30 Nov 2026 10:00:00 GMT")])
        #expect(policy.delay(forAttempt: 1, response: dated) == .seconds(12))
    }

    @Test("a 429 without Retry-After waits for the rate-limit Reset, clamped to 0–60 s")
    func resetHeader() {
        let policy = RetryPolicy(random: { 0.5 })
        let date = "Mon, 30 Nov 2026 10:00:00 GMT"
        let epoch = 1_796_032_800  // 2026-11-30T10:00:00Z
        let soon = response(429, [("X-Organization-Rate-Limit-Reset", "\(epoch + 9)"), ("Date", date)])
        #expect(policy.delay(forAttempt: 1, response: soon) == .seconds(9))
        let past = response(429, [("X-Organization-Rate-Limit-Reset", "\(epoch - 30)"), ("Date", date)])
        #expect(policy.delay(forAttempt: 1, response: past) == .zero)
        let far = response(429, [("X-Organization-Rate-Limit-Reset", "\(epoch + 3600)"), ("Date", date)])
        #expect(policy.delay(forAttempt: 1, response: far) == .seconds(60))
    }

    @Test("--rate-limit spaces request starts evenly")
    func configuredRate() async throws {
        let clock = ManualApplyClock()
        let pacer = RequestPacer(rateLimitPerMinute: 120, host: "127.0.0.1", clock: clock)
        for _ in 0..<5 {
            try await pacer.acquire()
            pacer.complete(nil)
        }
        #expect(clock.elapsed() == .seconds(2), "5 starts at 120/min take 4 × 0.5 s")
    }

    @Test("75% of the advertised limit once seen; 180/min for thousandeyes.com; unlimited elsewhere")
    func learnedRate() async throws {
        let clock = ManualApplyClock()
        let local = RequestPacer(rateLimitPerMinute: nil, host: "127.0.0.1", clock: clock)
        #expect(local.currentRatePerMinute == nil)
        let te = RequestPacer(rateLimitPerMinute: nil, host: "api.thousandeyes.com", clock: clock)
        #expect(te.currentRatePerMinute == 180)
        try await local.acquire()
        local.complete(response(200, [("X-Organization-Rate-Limit-Limit", "240")]))
        #expect(local.currentRatePerMinute == 180)
        let configured = RequestPacer(rateLimitPerMinute: 60, host: "api.thousandeyes.com", clock: clock)
        try await configured.acquire()
        configured.complete(response(200, [("X-Organization-Rate-Limit-Limit", "240")]))
        #expect(configured.currentRatePerMinute == 60)
    }

    @Test("Remaining at or below the requests in flight pauses every caller until Reset")
    func remainingPauses() async throws {
        let clock = ManualApplyClock()
        let pacer = RequestPacer(rateLimitPerMinute: nil, host: "127.0.0.1", clock: clock)
        try await pacer.acquire()
        try await pacer.acquire()
        let date = "Mon, 30 Nov 2026 10:00:00 GMT"
        // One request still in flight after this answer, and only one left in the window.
        pacer.complete(
            response(
                200,
                [
                    ("X-Organization-Rate-Limit-Remaining", "1"), ("X-Organization-Rate-Limit-Reset", "1796032805"),
                    ("Date", date),
                ]))
        #expect(pacer.requestsInFlight == 1)
        try await pacer.acquire()
        #expect(clock.elapsed() == .seconds(5))
        // Plenty left: no pause.
        pacer.complete(response(200, [("X-Organization-Rate-Limit-Remaining", "100"), ("Date", date)]))
        try await pacer.acquire()
        #expect(clock.elapsed() == .seconds(5))
    }

    @Test("a 429 pauses every caller for its Retry-After")
    func tooManyRequestsPauses() async throws {
        let clock = ManualApplyClock()
        let pacer = RequestPacer(rateLimitPerMinute: nil, host: "127.0.0.1", clock: clock)
        try await pacer.acquire()
        pacer.complete(response(429, [("Retry-After", "3")]))
        try await pacer.acquire()
        #expect(clock.elapsed() == .seconds(3))
    }
}
