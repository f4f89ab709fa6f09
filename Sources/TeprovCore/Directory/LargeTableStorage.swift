#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Zero-initialised storage for a large hash table of plain values, backed by transparent huge pages
/// where the system offers them (Linux, `madvise` mode).
///
/// A million-entry table is probed at random: with 4 KiB pages nearly every probe also misses the TLB,
/// which in a virtual machine costs more than the cache miss itself. The storage is immutable once the
/// owner stops inserting, and owners copy it before mutating a shared one (`isKnownUniquelyReferenced`).
final class LargeTableStorage<Element: BitwiseCopyable>: @unchecked Sendable {
    let count: Int
    let base: UnsafeMutablePointer<Element>

    /// `count` elements, every byte zero.
    init(count: Int) {
        self.count = count
        let hugePage = 2 << 20
        let bytes = max(MemoryLayout<Element>.stride * count, 1)
        let large = bytes >= hugePage
        let rounded = large ? (bytes + hugePage - 1) / hugePage * hugePage : bytes
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, large ? hugePage : 64, rounded) == 0, let raw else {
            fatalError("out of memory allocating \(rounded) bytes for a table")
        }
        #if os(Linux)
            if large { _ = madvise(raw, rounded, MADV_HUGEPAGE) }
        #endif
        memset(raw, 0, rounded)
        base = raw.bindMemory(to: Element.self, capacity: count)
    }

    /// A copy of `other`.
    convenience init(copying other: LargeTableStorage<Element>) {
        self.init(count: other.count)
        base.update(from: other.base, count: count)
    }

    deinit {
        free(base)
    }
}
