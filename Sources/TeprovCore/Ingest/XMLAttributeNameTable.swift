#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Resolves raw attribute names (UTF-8 bytes as the file spells them) to their canonical name, key and
/// projection decision, once per distinct spelling: a lookup hashes the bytes and allocates nothing.
///
/// The first time a name is seen it is noted in the `ReadContext` (for `validate`'s attribute list),
/// unless the table was told to leave that to its caller.
final class XMLAttributeNameTable {
    /// A resolved name (a class: handing one out costs one reference count, not four strings').
    final class Entry {
        /// The name as the file spells it (decoded), e.g. `sn`.
        let rawName: String
        /// The key of the raw name, before aliasing (`objectguid` for `objectGUID`, whose key is `id`).
        let rawKey: AttributeKey
        /// The canonical spelling (after aliasing), e.g. `surname` for `sn`.
        let displayName: String
        let key: AttributeKey
        /// Small integer identifying `key` (two spellings of one key share it).
        let keyID: Int
        /// Whether the projection keeps the attribute.
        let kept: Bool

        init(rawName: String, rawKey: AttributeKey, displayName: String, key: AttributeKey, keyID: Int, kept: Bool) {
            self.rawName = rawName
            self.rawKey = rawKey
            self.displayName = displayName
            self.key = key
            self.keyID = keyID
            self.kept = kept
        }
    }

    private let context: ReadContext
    private let aliases: AttributeAliases
    private let notesNames: Bool
    /// Turns the raw bytes into the raw name (e.g. decoding CLIXML `_xHHHH_` escapes).
    private let decodeName: (UnsafeBufferPointer<UInt8>) -> String

    private var slots: [Int32]
    private var keys: [[UInt8]] = []
    private var hashes: [UInt64] = []
    private(set) var entries: [Entry] = []
    private var keyIDs: [AttributeKey: Int] = [:]
    /// Distinct keys seen so far (the bound for per-record bookkeeping indexed by `keyID`).
    var keyCount: Int { keyIDs.count }

    /// Above this many distinct spellings the table stops caching (a file with a unique element
    /// name per record must not grow it without bound); names still resolve, just more slowly.
    private static let cachedSpellingsLimit = 16_384

    init(
        context: ReadContext, aliases: AttributeAliases, notesNames: Bool = true,
        decodeName: @escaping (UnsafeBufferPointer<UInt8>) -> String = { String(decoding: $0, as: UTF8.self) }
    ) {
        self.context = context
        self.aliases = aliases
        self.notesNames = notesNames
        self.decodeName = decodeName
        self.slots = [Int32](repeating: -1, count: 256)
    }

    /// The entry for a name given as UTF-8 bytes.
    @inline(__always)
    func resolve(_ bytes: UnsafeBufferPointer<UInt8>) -> Entry {
        let hash = XMLAttributeNameTable.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { break }
            if hashes[index] == hash, XMLAttributeNameTable.equal(keys[index], bytes) { return entries[index] }
            slot = (slot + 1) & mask
        }
        let entry = makeEntry(decodeName(bytes))
        if entries.count < XMLAttributeNameTable.cachedSpellingsLimit {
            slots[slot] = Int32(entries.count)
            keys.append(Array(bytes))
            hashes.append(hash)
            entries.append(entry)
            if entries.count * 2 > slots.count { grow() }
        }
        return entry
    }

    /// The entry for a name already decoded to a `String`.
    func resolve(_ name: String) -> Entry {
        var name = name
        return name.withUTF8 { resolve($0) }
    }

    /// The key id `name` will have once resolved (without noting the name as seen in the file).
    func keyID(of name: String) -> Int {
        keyID(for: AttributeKey(aliases.canonicalName(name)))
    }

    private func keyID(for key: AttributeKey) -> Int {
        if let known = keyIDs[key] { return known }
        let keyID = keyIDs.count
        keyIDs[key] = keyID
        return keyID
    }

    private func makeEntry(_ rawName: String) -> Entry {
        let display = aliases.canonicalName(rawName)
        let key = AttributeKey(display)
        let keyID = keyID(for: key)
        if notesNames { context.noteAttribute(display) }
        return Entry(
            rawName: rawName, rawKey: AttributeKey(rawName), displayName: display, key: key, keyID: keyID,
            kept: context.keeps(key))
    }

    private func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    @inline(__always)
    private static func equal(_ stored: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard stored.count == bytes.count else { return false }
        return stored.withUnsafeBufferPointer { storedBytes in
            guard let left = storedBytes.baseAddress, let right = bytes.baseAddress else { return true }
            return memcmp(left, right, bytes.count) == 0
        }
    }

    /// FNV-1a, 64-bit: names are short, so a simple byte loop is the fastest honest hash.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
