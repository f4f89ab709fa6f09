import TeprovCore

#if canImport(Glibc)
    import Glibc
#endif

/// The plan file held open while `show --format json` checks it, so that what is copied to stdout is
/// the file that was verified: the copy happens only when the path still names the same, unchanged
/// file (device, inode, size and modification time as when it was opened).
final class PlanFileCopy {
    private let descriptor: Int32
    private var opened = stat()

    init?(path: String) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        guard fstat(descriptor, &opened) == 0 else {
            close(descriptor)
            return nil
        }
    }

    deinit { close(descriptor) }

    /// Copies the whole file to stdout; `false` (nothing written) when `path` no longer names the file
    /// as it was opened, so the caller renders the verified plan instead.
    func copyToStandardOutput(ifStill path: String) -> Bool {
        var now = stat()
        guard stat(path, &now) == 0, Self.same(now, opened) else { return false }
        guard fstat(descriptor, &now) == 0, Self.same(now, opened) else { return false }
        guard lseek(descriptor, 0, SEEK_SET) == 0 else { return false }
        let capacity = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer, capacity)
            if count < 0, errno == EINTR { continue }
            // A read error after the check: part of the file may be out already; stop like a closed pipe.
            guard count > 0 else { return true }
            if DescriptorWrite.all(UnsafeRawBufferPointer(start: buffer, count: count), to: 1) != nil { return true }
        }
    }

    private static func same(_ a: stat, _ b: stat) -> Bool {
        a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size
            && a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec
    }
}
