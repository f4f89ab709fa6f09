#if canImport(Glibc)
    import Glibc
#endif

/// Makes the strings of a plan being read, sharing one `String` among equal texts seen recently.
///
/// A plan repeats a few texts in every operation (member names, reasons, the users file's path, SCIM
/// schema URNs, attribute names) and each user's userName up to five times within its operation. Strings
/// of up to 15 UTF-8 bytes are stored inline by Swift and cost nothing; longer ones are looked up in a
/// direct-mapped cache of recent strings keyed by their bytes, so those repeats share one allocation while
/// unique texts only pass through. This keeps a 1,000,000-user plan's operations small in memory.
final class PlanStringTable {
    /// Texts up to this many bytes are small strings (no allocation), not worth caching.
    private static let inlineLimit = 15
    private static let slotCount = 4096

    private let slots: UnsafeMutablePointer<String?>
    private let slotHashes: UnsafeMutablePointer<UInt64>

    init() {
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: nil, count: Self.slotCount)
        slotHashes = .allocate(capacity: Self.slotCount)
        slotHashes.initialize(repeating: 0, count: Self.slotCount)
    }

    deinit {
        slots.deinitialize(count: Self.slotCount)
        slots.deallocate()
        slotHashes.deallocate()
    }

    /// The current key or string of `tokenizer`.
    @inline(__always)
    func string(_ tokenizer: JSONTokenizer) -> String {
        tokenizer.withStringBytes { bytes in string(bytes) }
    }

    /// A `String` holding `bytes` (valid UTF-8), shared with an equal one returned recently when possible.
    func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.count > Self.inlineLimit, let base = bytes.baseAddress else {
            return String(decoding: bytes, as: UTF8.self)
        }
        let hash = Self.hash(base, count: bytes.count)
        let slot = Int(truncatingIfNeeded: hash & UInt64(Self.slotCount - 1))
        if slotHashes[slot] == hash, let cached = slots[slot],
            cached.utf8.withContiguousStorageIfAvailable({ stored in
                stored.count == bytes.count && stored.baseAddress.map { memcmp($0, base, bytes.count) == 0 } == true
            }) == true
        {
            return cached
        }
        let made = String(decoding: bytes, as: UTF8.self)
        slots[slot] = made
        slotHashes[slot] = hash
        return made
    }

    /// A 64-bit hash of the bytes, 8 at a time.
    @inline(__always)
    private static func hash(_ base: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(base)
        var hash = UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset &+ 8 <= count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 29
            offset &+= 8
        }
        if offset < count {
            // The last 8 bytes (overlapping what was hashed already): count > 15 guarantees there are 8.
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)) &* 0xC4CE_B9FE_1A85_EC53
        }
        return hash ^ (hash >> 32)
    }
}
