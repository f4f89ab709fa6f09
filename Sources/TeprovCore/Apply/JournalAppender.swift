import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Appends lines to an open file with group commit: every line waiting when the writer comes round
/// goes out in one `write` and one `fsync`, and every caller of that batch resumes after the fsync.
///
/// The blocking `write`/`fsync` run on a serial dispatch queue, never on the cooperative thread pool
/// that runs the requests. After the first write or fsync error the appender is broken: that batch's
/// callers and every later caller get the error.
final class JournalAppender: Sendable {
    private struct State {
        var descriptor: Int32
        var pending: [UInt8] = []
        var pendingLines = 0
        var waiters: [CheckedContinuation<Void, any Error>] = []
        var drainScheduled = false
        var paused = false
        var failure: TeprovError?
        var closed = false
        var linesWritten = 0
        var syncs = 0
    }

    private enum AppendAction {
        case wait, scheduleDrain
        case fail(TeprovError)
    }

    private let state: Mutex<State>
    private let queue: DispatchQueue
    let path: String

    init(descriptor: Int32, path: String) {
        self.state = Mutex(State(descriptor: descriptor))
        self.queue = DispatchQueue(label: "teprov.apply-journal")
        self.path = path
    }

    deinit {
        // Blocks on the queue hold `self`, so none can be running here.
        let descriptor = state.withLock { $0.descriptor }
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Appends `line` (which ends with a newline) and returns once it is on disk.
    func append(_ line: [UInt8]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let action = state.withLock { state -> AppendAction in
                if let failure = state.failure { return .fail(failure) }
                if state.closed { return .fail(closedError) }
                state.pending.append(contentsOf: line)
                state.pendingLines += 1
                state.waiters.append(continuation)
                guard !state.drainScheduled, !state.paused else { return .wait }
                state.drainScheduled = true
                return .scheduleDrain
            }
            switch action {
            case .wait: break
            case .scheduleDrain: queue.async { self.drain() }
            case .fail(let error): continuation.resume(throwing: error)
            }
        }
    }

    /// Adds `line` to the next batch and returns at once, without waiting for the disk: the line
    /// reaches the disk with the next batch, at `flush()` or at `close()`.
    /// - Throws: the appender's earlier write error, or an error when it is closed.
    func enqueue(_ line: [UInt8]) throws {
        let action = state.withLock { state -> AppendAction in
            if let failure = state.failure { return .fail(failure) }
            if state.closed { return .fail(closedError) }
            state.pending.append(contentsOf: line)
            state.pendingLines += 1
            guard !state.drainScheduled, !state.paused else { return .wait }
            state.drainScheduled = true
            return .scheduleDrain
        }
        switch action {
        case .wait: break
        case .scheduleDrain: queue.async { self.drain() }
        case .fail(let error): throw error
        }
    }

    /// Blocks until every line appended or enqueued so far is on disk.
    /// - Throws: the write error, when one happened.
    func flush() throws {
        queue.sync { drain() }
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// Writes what is waiting, then closes the file (releasing its lock). Later appends fail.
    func close() {
        let abandoned = queue.sync { () -> [CheckedContinuation<Void, any Error>] in
            state.withLock { $0.closed = true }
            drain()
            let (descriptor, waiters) = state.withLock { state in
                let taken = (state.descriptor, state.waiters)
                state.descriptor = -1
                state.waiters = []
                state.pending = []
                state.pendingLines = 0
                return taken
            }
            if descriptor >= 0 { Glibc.close(descriptor) }
            return waiters
        }
        for waiter in abandoned { waiter.resume(throwing: closedError) }
    }

    /// Runs on `queue`: writes batches until nothing is waiting.
    private func drain() {
        while true {
            let batch = state.withLock { state -> (Int32, [UInt8], Int, [CheckedContinuation<Void, any Error>])? in
                guard !state.pending.isEmpty, !state.paused else {
                    state.drainScheduled = false
                    return nil
                }
                let batch = (state.descriptor, state.pending, state.pendingLines, state.waiters)
                state.pending = []
                state.pendingLines = 0
                state.waiters = []
                return batch
            }
            guard let (descriptor, bytes, lines, waiters) = batch else { return }
            if let error = writeAndSync(bytes, to: descriptor) {
                let later = state.withLock { state in
                    state.failure = error
                    let waiting = state.waiters
                    state.waiters = []
                    state.pending = []
                    state.pendingLines = 0
                    state.drainScheduled = false
                    return waiting
                }
                for waiter in waiters + later { waiter.resume(throwing: error) }
                return
            }
            state.withLock { state in
                state.linesWritten += lines
                state.syncs += 1
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    private func writeAndSync(_ bytes: [UInt8], to descriptor: Int32) -> TeprovError? {
        guard descriptor >= 0 else { return closedError }
        var failure = DescriptorWrite.all(bytes, to: descriptor)
        if failure == nil {
            while fsync(descriptor) != 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
        }
        guard let failure else { return nil }
        return TeprovError(
            .safety,
            "cannot be written (\(String(cString: strerror(failure)))), so the run stopped before its next "
                + "request; fix the disk or file, then rerun the same command to resume",
            file: path)
    }

    private var closedError: TeprovError {
        TeprovError(.safety, "was closed while the run still wrote to it; rerun the same command to resume", file: path)
    }

    // MARK: Test hooks

    /// Lines written and fsyncs done so far.
    var statistics: (lines: Int, syncs: Int) { state.withLock { ($0.linesWritten, $0.syncs) } }

    /// Lines waiting for the writer.
    var pendingLineCount: Int { state.withLock { $0.pendingLines } }

    /// The file descriptor, so a test can swap in `/dev/full` with `dup2`.
    var descriptor: Int32 { state.withLock { $0.descriptor } }

    /// Holds appended lines back until `resumeWriting()`, so a test can build a batch of known size.
    func pauseWriting() { state.withLock { $0.paused = true } }

    /// Lets the writer run again.
    func resumeWriting() {
        let schedule = state.withLock { state -> Bool in
            state.paused = false
            guard !state.pending.isEmpty, !state.drainScheduled else { return false }
            state.drainScheduled = true
            return true
        }
        if schedule { queue.async { self.drain() } }
    }
}
