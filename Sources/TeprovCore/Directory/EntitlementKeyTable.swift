/// User ids → positions, compared ignoring case (`foldedForLookup`). A GUID (`8-4-4-4-12` hex digits,
/// the form of every Graph object id) is kept as its 16 bytes in an open-addressing table, found without
/// allocating or hashing text; any other id goes to a dictionary of folded strings.
///
/// Exact: a string folds to a lower-case GUID only if it is a GUID in some letter case (no non-ASCII
/// character lower-cases to a hex digit or `-`), and two GUIDs fold to the same text exactly when their
/// 16 bytes are equal.
struct EntitlementKeyTable: Sendable {
    private struct Slot: Sendable, BitwiseCopyable {
        var high: UInt64 = 0
        var low: UInt64 = 0
        /// `position + 1`; 0 marks an empty slot (in `byPosition`: an id that is not a GUID).
        var stored: Int32 = 0
    }

    private var slots = LargeTableStorage<Slot>(count: 0)
    private var guidCount = 0
    private var others: [String: Int] = [:]
    /// Each stored position's key, by position, so that a look-up can first try the position after the
    /// previous one found: exports usually list people in the same order as the assignments, and that
    /// check reads memory in sequence instead of probing a large table at random.
    private var byPosition: [Slot] = []

    /// Makes room for `count` GUIDs.
    mutating func reserve(_ count: Int) {
        var size = 16
        while size < count * 2 { size <<= 1 }
        if size > slots.count { rehash(size: size) }
        byPosition.reserveCapacity(count)
    }

    /// The position stored for `id`, if any.
    func find(_ id: String) -> Int? {
        var hint = -2
        return find(id, hint: &hint)
    }

    /// The position stored for `id`, trying `hint + 1` first; `hint` becomes the position found.
    func find(_ id: String, hint: inout Int) -> Int? {
        guard let (high, low) = Self.guid(id) else { return others[id.foldedForLookup] }
        let guess = hint &+ 1
        if guess >= 0, guess < byPosition.count {
            let known = byPosition[guess]
            if known.stored != 0, known.high == high, known.low == low {
                hint = guess
                return guess
            }
        }
        guard let found = probe(high, low) else { return nil }
        hint = found
        return found
    }

    private func probe(_ high: UInt64, _ low: UInt64) -> Int? {
        guard slots.count > 0 else { return nil }
        let mask = slots.count - 1
        let base = slots.base
        var index = Self.hash(high, low) & mask
        while true {
            let slot = base[index]
            if slot.stored == 0 { return nil }
            if slot.high == high, slot.low == low { return Int(slot.stored) - 1 }
            index = (index + 1) & mask
        }
    }

    /// The position stored for `id`; when there is none, stores `next` (the number of positions stored so
    /// far) and returns it with `inserted`.
    mutating func findOrInsert(_ id: String, next: Int) -> (position: Int, inserted: Bool) {
        guard let guid = Self.guid(id) else {
            let key = id.foldedForLookup
            if let position = others[key] { return (position, false) }
            others[key] = next
            byPosition.append(Slot())
            return (next, true)
        }
        return findOrInsert(guid: guid, next: next)
    }

    /// Reads the home slots of `guids` (about to be inserted), all before any is needed: the loads do not
    /// depend on each other, so their cache misses are served together.
    mutating func touch(_ guids: some Sequence<(UInt64, UInt64)>) {
        guard slots.count > 0 else { return }
        let mask = slots.count - 1
        let base = slots.base
        var seen: Int32 = 0
        for (high, low) in guids { seen |= base[Self.hash(high, low) & mask].stored }
        touched = seen
    }

    /// Keeps `touch`'s loads from being optimised away.
    private var touched: Int32 = 0

    /// `findOrInsert(_:next:)` for a GUID already parsed.
    mutating func findOrInsert(guid: (UInt64, UInt64), next: Int) -> (position: Int, inserted: Bool) {
        let (high, low) = guid
        if (guidCount + 1) * 2 > slots.count { rehash(size: max(16, slots.count * 2)) }
        if !isKnownUniquelyReferenced(&slots) { slots = LargeTableStorage(copying: slots) }
        let mask = slots.count - 1
        let base = slots.base
        var index = Self.hash(high, low) & mask
        while true {
            let slot = base[index]
            if slot.stored == 0 {
                let stored = Slot(high: high, low: low, stored: Int32(truncatingIfNeeded: next + 1))
                base[index] = stored
                byPosition.append(stored)
                guidCount += 1
                return (next, true)
            }
            if slot.high == high, slot.low == low { return (Int(slot.stored) - 1, false) }
            index = (index + 1) & mask
        }
    }

    private mutating func rehash(size: Int) {
        let old = slots
        slots = LargeTableStorage(count: size)
        let mask = size - 1
        let base = slots.base
        for position in 0..<old.count where old.base[position].stored != 0 {
            let slot = old.base[position]
            var index = Self.hash(slot.high, slot.low) & mask
            while base[index].stored != 0 { index = (index + 1) & mask }
            base[index] = slot
        }
    }

    @inline(__always)
    private static func hash(_ high: UInt64, _ low: UInt64) -> Int {
        var mixed = high ^ (low &* 0x9E37_79B9_7F4A_7C15)
        mixed ^= mixed >> 31
        mixed = mixed &* 0xBF58_476D_1CE4_E5B9
        mixed ^= mixed >> 29
        return Int(truncatingIfNeeded: mixed)
    }

    /// The 16 bytes of a GUID written `8-4-4-4-12` in hex digits of either case, or `nil`.
    @inline(__always)
    static func guid(_ text: String) -> (UInt64, UInt64)? {
        guard text.utf8.count == 36 else { return nil }
        var copy = text
        return copy.withUTF8 { guid($0) }
    }

    /// `guid(_:)` of UTF-8 bytes.
    @inline(__always)
    static func guid(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        guard bytes.count == 36, bytes[8] == UInt8(ascii: "-"), bytes[13] == UInt8(ascii: "-"),
            bytes[18] == UInt8(ascii: "-"), bytes[23] == UInt8(ascii: "-")
        else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var invalid: UInt8 = 0
        // Digits 0-15 (groups 8-4-4) make the high word, 16-31 (groups 4-12) the low one.
        hexDigits(bytes, 0, 8, into: &high, invalid: &invalid)
        hexDigits(bytes, 9, 4, into: &high, invalid: &invalid)
        hexDigits(bytes, 14, 4, into: &high, invalid: &invalid)
        hexDigits(bytes, 19, 4, into: &low, invalid: &invalid)
        hexDigits(bytes, 24, 12, into: &low, invalid: &invalid)
        return invalid == 0 ? (high, low) : nil
    }

    /// Appends `count` hex digits starting at `start` to `value`; sets `invalid` at a byte that is not one.
    /// Without branches: whether a digit is a letter is as random as the GUID, so a branch would mispredict.
    @inline(__always)
    private static func hexDigits(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int, into value: inout UInt64,
        invalid: inout UInt8
    ) {
        for position in start..<(start + count) {
            let byte = bytes[position]
            let isDigit = byte &- UInt8(ascii: "0") < 10
            let isLetter = (byte | 0x20) &- UInt8(ascii: "a") < 6
            invalid |= (isDigit || isLetter) ? 0 : 1
            // '0'-'9' are 0x30-0x39 and 'a'-'f' / 'A'-'F' are 0x61-0x66 / 0x41-0x46: bit 6 says letter.
            let nibble = (byte & 0x0F) &+ (byte >> 6) &* 9
            value = value << 4 | UInt64(nibble & 0x0F)
        }
    }
}
