#if canImport(Glibc)
    import Glibc
#endif

/// Appends to a file being written from its start, bypassing the page cache (`O_DIRECT`) where the file
/// system allows it: the bytes gather in an aligned buffer, whole blocks of it go straight to the device,
/// and only the last, partial block is written through the page cache by `finish()`.
///
/// Why: a large plan file (227 MB at a million users) written through the page cache makes the kernel take
/// and fill that many fresh pages, and on a VM whose free memory is handed back to the host (virtio-balloon
/// free page reporting) each of them costs a fault on the host too. Per perf, that copy was most of the
/// writing thread's time (0.65 of 1 s at a million users), and the writing thread was the one the
/// serializers waited for. Written directly, the device reads the buffer itself.
///
/// The file's bytes are the same either way. A file system that refuses `O_DIRECT` (tmpfs on older kernels,
/// some FUSE ones) gets `EINVAL`, from `fcntl` or from the first write: the appender then writes through the
/// page cache from where it is, and nothing is lost or written twice. Durability is the caller's `fsync`,
/// as before. The descriptor must be at offset 0 of a new (empty) file, so that offsets stay block-aligned.
final class UncachedFileAppender {
    /// Offsets, lengths and the buffer's address are multiples of this: a 4 KiB alignment suits devices of 512-byte
    /// and 4 KiB logical blocks.
    static let alignment = 4096

    private let descriptor: Int32
    private let buffer: UnsafeMutableRawPointer
    private let capacity: Int
    private var count = 0
    /// `true` while the descriptor has `O_DIRECT` set.
    private(set) var writesDirectly: Bool
    /// The `errno` of the first write that failed; nothing is written after it.
    private(set) var failure: Int32?

    /// - Parameters:
    ///   - capacity: bytes gathered before a write, rounded up to the alignment.
    ///   - direct: `false` writes through the page cache from the start (tests compare both ways).
    init(descriptor: Int32, capacity: Int = 2 << 20, direct: Bool = true) {
        self.descriptor = descriptor
        let alignment = Self.alignment
        self.capacity = max(alignment, (capacity + alignment - 1) / alignment * alignment)
        var memory: UnsafeMutableRawPointer?
        if posix_memalign(&memory, alignment, self.capacity) != 0 || memory == nil {
            // No aligned memory: an ordinary buffer, written through the page cache.
            memory = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
            writesDirectly = false
        } else {
            writesDirectly = direct && Self.setDirect(descriptor, true)
        }
        buffer = memory.unsafelyUnwrapped
    }

    deinit { free(buffer) }

    /// Appends `bytes`; a full buffer is written out.
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard var source = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0, failure == nil {
            let taken = min(capacity - count, remaining)
            (buffer + count).copyMemory(from: source, byteCount: taken)
            count += taken
            source += taken
            remaining -= taken
            if count == capacity { writeWholeBlocks() }
        }
    }

    /// Writes what is gathered, the last partial block through the page cache, and leaves the descriptor without
    /// `O_DIRECT` (so that later writes at any offset, such as the digest's, work). Returns `failure`.
    @discardableResult
    func finish() -> Int32? {
        writeWholeBlocks()
        if writesDirectly {
            _ = Self.setDirect(descriptor, false)
            writesDirectly = false
        }
        if count > 0, failure == nil {
            failure = DescriptorWrite.all(UnsafeRawBufferPointer(start: buffer, count: count), to: descriptor)
        }
        count = 0
        return failure
    }

    /// Writes the buffer's whole blocks (all of it once it stops writing directly) and keeps the rest at its start.
    private func writeWholeBlocks() {
        guard failure == nil else {
            count = 0
            return
        }
        let whole = writesDirectly ? count / Self.alignment * Self.alignment : count
        var written = 0
        while written < whole {
            let result = Glibc.write(descriptor, buffer + written, whole - written)
            if result < 0 {
                if errno == EINTR { continue }
                if errno == EINVAL, writesDirectly {
                    // The file system takes no direct writes (or not of this size): through the page cache, from here.
                    _ = Self.setDirect(descriptor, false)
                    writesDirectly = false
                    continue
                }
                failure = errno
                count = 0
                return
            }
            written += result
            // A short direct write leaves an unaligned offset, which further direct writes would refuse.
            if writesDirectly, written % Self.alignment != 0 {
                _ = Self.setDirect(descriptor, false)
                writesDirectly = false
            }
        }
        if written < count { buffer.copyMemory(from: buffer + written, byteCount: count - written) }
        count -= written
    }

    /// Linux's `O_DIRECT`, which Swift's Glibc module does not export (glibc defines it for `_GNU_SOURCE` only);
    /// 0 where its value is not known here, and then nothing is written directly.
    #if os(Linux) && (arch(x86_64) || arch(i386))
        static let directFlag: Int32 = 0o40000
    #elseif os(Linux) && (arch(arm64) || arch(arm))
        static let directFlag: Int32 = 0o200000
    #else
        static let directFlag: Int32 = 0
    #endif

    /// Sets or clears `O_DIRECT`; `true` when the descriptor then has it set.
    private static func setDirect(_ descriptor: Int32, _ on: Bool) -> Bool {
        guard directFlag != 0 else { return false }
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0 else { return false }
        let wanted = on ? flags | directFlag : flags & ~directFlag
        return fcntl(descriptor, F_SETFL, wanted) == 0 && on
    }
}
