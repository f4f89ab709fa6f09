import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Locked, fsync'ed JSON Lines journal bound to one plan digest (SPEC §8 "Journal").
///
/// The first line names the plan; then a `run` line per apply, a `sent` line before every request
/// and an outcome line after each operation. Rerunning the same plan reads the journal back
/// (`priorStates`) to resume without sending anything twice. Concurrent callers share fsyncs (group
/// commit), and each returns only once its own line is on disk.
public final class ApplyJournal: Sendable {
    /// The journal file.
    public let path: String
    /// The digest of the plan this journal belongs to.
    public let planDigest: String
    /// What earlier runs recorded, by operation id (empty for a new journal).
    public let priorStates: [String: JournalEntryState]

    let appender: JournalAppender
    private let now: @Sendable () -> Date

    private init(
        path: String, planDigest: String, priorStates: [String: JournalEntryState], appender: JournalAppender,
        now: @escaping @Sendable () -> Date
    ) {
        self.path = path
        self.planDigest = planDigest
        self.priorStates = priorStates
        self.appender = appender
        self.now = now
    }

    /// Opens (creating if absent) the journal at `path` for the plan with `planDigest`, and holds an
    /// exclusive lock on it until `close()`.
    /// - Parameter planPath: the plan file, recorded in the first line of a new journal.
    /// - Throws: `TeprovError(.safety)` when another process (or another `open` in this one) holds the
    ///   lock, or the journal's first line names another plan's digest; `TeprovError(.input)` when the
    ///   file is not a journal or holds an invalid line before its last one (a torn last line, left by a
    ///   crash mid-write, is dropped); `TeprovError(.io)` when it cannot be opened, read or written.
    public static func open(path: String, planDigest: String, planPath: String) throws -> ApplyJournal {
        try open(path: path, planDigest: planDigest, planPath: planPath, now: { Date() })
    }

    static func open(
        path: String, planDigest: String, planPath: String, now: @escaping @Sendable () -> Date
    ) throws -> ApplyJournal {
        let descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw TeprovError(
                .io,
                "cannot be opened as the apply journal (\(String(cString: strerror(errno)))); "
                    + "check the path given to --journal and its directory's permissions", file: path)
        }
        do {
            try lockExclusively(descriptor, path: path)
            var status = stat()
            guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
                throw TeprovError(.io, "is not a regular file; pass --journal with a file path", file: path)
            }
            let contents = try JournalReader(path: path, descriptor: descriptor).read()
            if let recorded = contents.planDigest, recorded != planDigest {
                throw TeprovError(
                    .safety,
                    "belongs to another plan (\(recorded)), not to \(planDigest); pass --journal with another "
                        + "path, or delete it once that plan's run is over", file: path)
            }
            if contents.validLength < contents.fileLength {
                try check(
                    ftruncate(descriptor, off_t(contents.validLength)) == 0, "cannot drop its torn last line", path)
            }
            if contents.planDigest == nil {
                let header = JournalLine.header(
                    planDigest: planDigest, planPath: planPath, createdAt: UTCTimestamp.string(from: now()))
                try writeHeader(header.bytes, descriptor: descriptor, path: path)
            } else if contents.validLength < contents.fileLength {
                try check(fsync(descriptor) == 0, "cannot be synced to disk", path)
            }
            // From here on the appender owns (and eventually closes) the descriptor.
            let appender = JournalAppender(descriptor: descriptor, path: path)
            return ApplyJournal(
                path: path, planDigest: planDigest, priorStates: contents.states, appender: appender, now: now)
        } catch {
            Glibc.close(descriptor)
            throw error
        }
    }

    /// Appends `{"event":"sent","op":..,"attempt":..,"at":..}` and returns once it is on disk.
    /// - Throws: `TeprovError(.safety)` when the journal cannot be written (then every later call throws too).
    public func recordSent(operationID: String, attempt: Int) async throws {
        try await appender.append(
            JournalLine.sent(operationID: operationID, attempt: attempt, at: UTCTimestamp.string(from: now())).bytes)
    }

    /// Appends the outcome line and returns once it is on disk.
    /// - Throws: `TeprovError(.safety)` when the journal cannot be written (then every later call throws too).
    public func recordOutcome(_ outcome: JournalOutcome) async throws {
        try await appender.append(JournalLine.outcome(outcome, at: UTCTimestamp.string(from: now())).bytes)
    }

    /// Queues the outcome line for the next write without waiting for the disk. Safe for the journal's
    /// purpose: an outcome lost in a crash leaves the operation "sent without outcome", which a resume
    /// settles before sending anything again; it keeps the fsync out of each operation's time.
    /// - Throws: `TeprovError(.safety)` when an earlier write failed.
    public func recordOutcomeWithoutWaiting(_ outcome: JournalOutcome) throws {
        try appender.enqueue(JournalLine.outcome(outcome, at: UTCTimestamp.string(from: now())).bytes)
    }

    /// Blocks until every line recorded so far is on disk.
    /// - Throws: `TeprovError(.safety)` when a write failed.
    public func flush() throws {
        try appender.flush()
    }

    /// Appends a run marker (`{"event":"run","startedAt":..,"toolVersion":..}`); called once per apply.
    public func recordRunStart() async throws {
        try await appender.append(
            JournalLine.run(startedAt: UTCTimestamp.string(from: now()), toolVersion: TeprovVersion.current).bytes)
    }

    /// Finishes pending writes, closes the file and releases the lock.
    public func close() {
        appender.close()
    }

    /// Writes the first line of a new journal (and makes the file's name durable) before `open` returns.
    private static func writeHeader(_ header: [UInt8], descriptor: Int32, path: String) throws {
        try check(ftruncate(descriptor, 0) == 0, "cannot be started", path)
        var offset = 0
        while offset < header.count {
            let written = header.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + offset, buffer.count - offset)
            }
            if written < 0 && errno == EINTR { continue }
            try check(written > 0, "cannot be written", path)
            offset += written
        }
        try check(fsync(descriptor) == 0, "cannot be synced to disk", path)
        let directory = (path as NSString).deletingLastPathComponent
        let directoryDescriptor = Glibc.open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            Glibc.close(directoryDescriptor)
        }
    }

    private static func lockExclusively(_ descriptor: Int32, path: String) throws {
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK {
                throw TeprovError(
                    .safety,
                    "is locked by another teprov apply that is still running; wait for it to finish, or pass "
                        + "--journal with another path", file: path)
            }
            throw TeprovError(
                .io, "cannot be locked (\(String(cString: strerror(errno)))); use a local file system for --journal",
                file: path)
        }
    }

    private static func check(_ succeeded: Bool, _ what: String, _ path: String) throws {
        guard !succeeded else { return }
        throw TeprovError(
            .io, "\(what) (\(String(cString: strerror(errno)))); check free space and permissions", file: path)
    }
}
