import Dispatch

/// Work started on another thread now and collected later (`plan` reads the snapshot and hashes its
/// inputs on the second core while the exports are read on the first).
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    /// Written once by the worker before `finished` is signalled; read only after waiting for it.
    private var outcome: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            outcome = Result { try work() }
            finished.signal()
        }
    }

    /// Waits for the work and returns its value, or throws its error. May be called more than once.
    func value() throws -> Value {
        finished.wait()
        finished.signal()
        guard let outcome else {
            throw TeprovError(.io, "an internal worker finished without a result; run the command again")
        }
        return try outcome.get()
    }
}
