/// The time source of apply and snapshot (pacing, backoff, durations), injected so tests do not sleep.
public protocol ApplyClock: Sendable {
    /// Monotonic time since an arbitrary origin fixed when the clock was made.
    func elapsed() -> Duration
    /// Suspends the caller for `duration` (or, in tests, advances virtual time).
    func sleep(for duration: Duration) async throws
}

/// The real clock: `ContinuousClock` and `Task.sleep`.
public struct SystemApplyClock: ApplyClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func elapsed() -> Duration { origin.duration(to: .now) }

    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else { return }
        try await Task.sleep(for: duration)
    }
}
