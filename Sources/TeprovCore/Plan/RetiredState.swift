import Dispatch

/// Structures a command no longer needs (a plan's million source users and targets, their indexes), freed
/// on another thread: deallocating them object by object takes a noticeable share of a run, and the first
/// core has the plan to order, seal and write meanwhile.
final class RetiredState: @unchecked Sendable {
    /// Touched by one thread at a time: the owner while keeping, then the worker that frees.
    private var kept: [Any] = []

    /// Keeps `values` until `releaseInBackground()`.
    func keep(_ values: Any...) {
        kept.append(contentsOf: values)
    }

    /// Keeps what was kept until the process exits, never freeing it: for a command that exits as soon as its
    /// output is written (`teprov plan`), freeing a million users and targets object by object only takes
    /// time (about half a second of a core, while the plan is ordered and written on both). Compilers do the
    /// same (clang's `-disable-free`).
    func keepUntilExit() {
        _ = Unmanaged.passRetained(self)
    }

    /// Frees what was kept on another thread. Call it once the caller holds no other reference to those
    /// values, so that the worker drops the last one.
    func releaseInBackground() {
        DispatchQueue.global(qos: .utility).async { [self] in
            kept.removeAll()
        }
    }
}
