import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Writes the provisioning log: one JSON line per entry, from any number of tasks at once.
///
/// Lines are written whole with one `write` each under a lock, so they never interleave; the log is
/// not fsync'ed per line (the journal is what a resume relies on), only on `close()`.
public final class ProvisioningLogWriter: Sendable {
    public let path: String
    private let descriptor: Mutex<Int32>

    /// Creates the log at `path`, or truncates it; with `keepingEarlierRuns`, appends to what earlier
    /// runs wrote (a resumed apply keeps their lines; each run has its own `cycleId`).
    /// - Throws: `TeprovError(.io)` when it cannot be created.
    public init(path: String, keepingEarlierRuns: Bool = false) throws {
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (keepingEarlierRuns ? 0 : O_TRUNC)
        let descriptor = Glibc.open(path, flags, 0o644)
        guard descriptor >= 0 else {
            throw TeprovError(
                .io,
                "cannot be created as the provisioning log (\(String(cString: strerror(errno)))); "
                    + "check the path given to --log and its directory", file: path)
        }
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    deinit {
        let descriptor = descriptor.withLock { $0 }
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    /// Appends `entry` as one compact JSON line.
    /// - Throws: `TeprovError(.io)` when the line cannot be written or the log is closed.
    public func append(_ entry: ProvisioningLogEntry) throws {
        var line: [UInt8] = []
        line.reserveCapacity(512)
        entry.jsonValue.write(into: &line, style: .compact)
        line.append(0x0A)
        let failure = descriptor.withLock { descriptor -> Int32? in
            guard descriptor >= 0 else { return EBADF }
            return DescriptorWrite.all(line, to: descriptor)
        }
        if let failure {
            throw TeprovError(
                .io, "cannot be written (\(String(cString: strerror(failure)))); check free space", file: path)
        }
    }

    /// Flushes the log to disk and closes it; later appends throw.
    public func close() {
        let descriptor = descriptor.withLock { descriptor -> Int32 in
            let taken = descriptor
            descriptor = -1
            return taken
        }
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        Glibc.close(descriptor)
    }
}
