#if canImport(Glibc)
    import Glibc
#endif

/// Scheduling of the calling thread.
enum ThreadPriority {
    /// Linux's `SCHED_IDLE` policy (`<sched.h>` defines it only under `_GNU_SOURCE`, which Swift's Glibc module
    /// does not set).
    static let linuxIdlePolicy: Int32 = 5

    /// Puts the calling thread in the scheduler's idle class: it then runs only on a core no other thread
    /// wants. Any thread may lower its own priority, so this needs no privilege; it lasts as long as the
    /// thread (use a thread of your own, not a shared pool's). Returns `false` where it is not supported;
    /// the thread then keeps its priority.
    @discardableResult
    static func lowerToIdle() -> Bool {
        #if os(Linux)
            var parameters = sched_param()
            parameters.sched_priority = 0
            return sched_setscheduler(0, linuxIdlePolicy, &parameters) == 0
        #else
            return false
        #endif
    }
}
