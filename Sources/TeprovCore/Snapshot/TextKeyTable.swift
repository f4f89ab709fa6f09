import CTeprovSupport

/// Finds repeated keys (ids, userNames) among a million users without building a million-entry
/// `Dictionary<String, Int>`: an open-addressing table of user indices, each tagged with 32 bits of
/// its key's hash so that keys are compared only when the tags agree.
struct TextKeyTable: Sendable {
    /// 0 = empty; otherwise the hash tag in the high 32 bits and `index + 1` in the low 32 bits.
    private var slots: [UInt64]
    private let mask: Int

    init(expectedCount: Int) {
        var size = 16
        while size < expectedCount * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// Adds `index` under a key with `hash`, unless an earlier index has the same key.
    /// - Parameter isSameKey: whether the key of an earlier index (with the same hash tag) equals this one.
    /// - Returns: that earlier index, or `nil` when the key is new.
    @inline(__always)
    mutating func insert(_ index: Int, hash: UInt64, isSameKey: (Int) -> Bool) -> Int? {
        let tag = hash >> 32
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[position]
            if slot == 0 {
                slots[position] = tag << 32 | UInt64(index &+ 1)
                return nil
            }
            if slot >> 32 == tag {
                let earlier = Int(slot & 0xFFFF_FFFF) &- 1
                if isSameKey(earlier) { return earlier }
            }
            position = (position &+ 1) & mask
        }
    }

    /// Asks for the slot a key with `hash` is looked for first to be brought into the cache: a table of a
    /// million users misses the cache on nearly every probe, and probes prefetched ahead overlap those misses.
    @inline(__always)
    func prefetch(hash: UInt64) {
        slots.withUnsafeBufferPointer { slots in
            guard let base = slots.baseAddress else { return }
            teprov_prefetch(base + (Int(truncatingIfNeeded: hash) & mask))
        }
    }

    /// The index stored under a key with `hash`, if any.
    /// - Parameter isSameKey: whether the key of a stored index (with the same hash tag) equals the one sought.
    @inline(__always)
    func find(hash: UInt64, isSameKey: (Int) -> Bool) -> Int? {
        let tag = hash >> 32
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[position]
            if slot == 0 { return nil }
            if slot >> 32 == tag {
                let stored = Int(slot & 0xFFFF_FFFF) &- 1
                if isSameKey(stored) { return stored }
            }
            position = (position &+ 1) & mask
        }
    }

    // MARK: Hashing text

    /// A 64-bit hash of `bytes`, 8 bytes at a time; with `foldingASCIICase`, `A`–`Z` hash as `a`–`z`.
    /// - Returns: the hash, and whether every byte was ASCII.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, foldingASCIICase: Bool) -> (hash: UInt64, isASCII: Bool) {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var highBits: UInt64 = 0
        guard let base = bytes.baseAddress else { return (finalized(hash), true) }
        let raw = UnsafeRawPointer(base)
        var offset = 0
        while offset &+ 8 <= bytes.count {
            var word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            highBits |= word
            if foldingASCIICase { word = asciiLowercased(word) }
            hash = (hash ^ word) &* 0x9FB2_1C65_1E98_DF25
            hash ^= hash >> 29
            offset &+= 8
        }
        if offset < bytes.count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count {
                word |= UInt64(base[offset]) << shift
                shift &+= 8
                offset &+= 1
            }
            highBits |= word
            if foldingASCIICase { word = asciiLowercased(word) }
            hash = (hash ^ word) &* 0x9FB2_1C65_1E98_DF25
        }
        return (finalized(hash), highBits & 0x8080_8080_8080_8080 == 0)
    }

    @inline(__always)
    private static func finalized(_ value: UInt64) -> UInt64 {
        var mixed = value ^ (value >> 31)
        mixed = mixed &* 0xBF58_476D_1CE4_E5B9
        mixed ^= mixed >> 27
        mixed = mixed &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// The eight bytes of `word` with ASCII `A`–`Z` turned into `a`–`z`; other bytes unchanged.
    @inline(__always)
    static func asciiLowercased(_ word: UInt64) -> UInt64 {
        let heptets = word & 0x7F7F_7F7F_7F7F_7F7F
        let aboveZ = heptets &+ 0x2525_2525_2525_2525
        let atLeastA = heptets &+ 0x3F3F_3F3F_3F3F_3F3F
        let upper = ~word & (atLeastA ^ aboveZ) & 0x8080_8080_8080_8080
        return word | (upper >> 2)
    }

    /// `true` when the bytes are equal, ASCII letters compared ignoring case.
    @inline(__always)
    static func equalIgnoringASCIICase(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<lhs.count
        where JSONTokenizer.asciiLowercase(lhs[index]) != JSONTokenizer.asciiLowercase(rhs[index]) {
            return false
        }
        return true
    }
}

/// The keys of a block of entries and their hashes, worked out before they are looked up or inserted so that
/// their table slots can be prefetched (`TextKeyTable.prefetch`); every bulk insert or look-up goes in blocks
/// of `size`.
struct PrefetchBlock {
    static let size = 16
    var keys = [String?](repeating: nil, count: size)
    var hashes = [UInt64?](repeating: nil, count: size)
}
