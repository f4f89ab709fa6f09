import Synchronization

/// Watches finished operations for the stops of SPEC §8: quarantine (401/403 at once; too many
/// transport errors, 5xx or exhausted 429s among the last finished), the stale-plan stop, and a
/// journal write error. Thread-safe; workers check `stopReason` before starting an operation.
final class ApplyRunMonitor: Sendable {
    private struct State {
        var finished = 0
        var stale = 0
        var recentUnavailable: [Bool] = []
        var stopReason: String?
    }

    private let options: ApplyOptions
    private let state = Mutex(State())

    init(options: ApplyOptions) {
        self.options = options
    }

    var stopReason: String? { state.withLock { $0.stopReason } }

    /// Stops the run (first reason wins).
    func stop(_ reason: String) {
        state.withLock { state in
            if state.stopReason == nil { state.stopReason = reason }
        }
    }

    /// Counts a finished operation and stops the run when a rule says so.
    func record(_ record: ApplyOperationRecord) {
        state.withLock { state in
            state.finished += 1
            if record.isStale { state.stale += 1 }
            state.recentUnavailable.append(record.failureClass == .unavailable)
            if state.recentUnavailable.count > options.quarantineWindow {
                state.recentUnavailable.removeFirst(state.recentUnavailable.count - options.quarantineWindow)
            }
            guard state.stopReason == nil else { return }
            if record.failureClass == .authorization {
                let status = record.httpStatus.map { "HTTP \($0)" } ?? "an authorization error"
                state.stopReason =
                    "quarantine: the server answered \(status); check the token and that its user may View Users, Edit Users and use the API"
                return
            }
            let unavailable = state.recentUnavailable.filter { $0 }.count
            if state.recentUnavailable.count >= options.quarantineMinimumFinished,
                Double(unavailable) > options.quarantineShare * Double(state.recentUnavailable.count)
            {
                state.stopReason =
                    "quarantine: \(unavailable) of the last \(state.recentUnavailable.count) operations failed with network errors, 5xx or repeated 429s; the server is unhealthy, rerun the same command later to resume"
                return
            }
            if state.finished >= options.staleMinimumFinished,
                Double(state.stale) > options.staleStopShare * Double(state.finished)
            {
                state.stopReason =
                    "plan is stale: \(state.stale) of \(state.finished) finished operations found their user changed since the snapshot; take a new snapshot and make a new plan"
            }
        }
    }
}
