import Dispatch
import Foundation

/// Work started on another thread now and collected later (`plan` reads the snapshot on the second core
/// while the exports are read on the first; the reconciler indexes the targets while it looks for duplicate
/// sources).
///
/// Each piece of work gets a thread of its own, not one of Dispatch's pool: the work runs for seconds, and
/// `DispatchQueue.concurrentPerform` (`ParallelWork`), which the same threads call meanwhile, must find the
/// pool's threads free.
final class BackgroundWork<Value: Sendable>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    /// Written once by the worker before `finished` is signalled; read only after waiting for it.
    private var outcome: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            outcome = Result { try work() }
            finished.signal()
        }
        // The usual 8 MiB of a main thread, whatever the platform's default for other threads: the readers
        // recurse by the depth of their input (up to the tokenizers' nesting limit).
        thread.stackSize = 8 << 20
        thread.name = "teprov-work"
        thread.start()
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
