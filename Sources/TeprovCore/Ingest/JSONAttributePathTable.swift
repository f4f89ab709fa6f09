#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The attribute paths met in a JSON export (`mail`, `name.givenName`, `emails.value`), interned.
///
/// Every user object repeats the same keys, so a key costs one hash of its bytes and one
/// comparison instead of a `String`, an `AttributeKey` and a projection lookup. Each path is a node
/// whose parent is the path of the enclosing object; the root (node 0) is the user object itself.
final class JSONAttributePathTable {
    /// Facts about a path, kept as bits so the hot loop reads one byte, not a struct of strings.
    struct Flags: OptionSet {
        let rawValue: UInt8
        /// OData annotation (`@odata.type`, `manager@odata.context`, ...): not an attribute.
        static let metadata = Flags(rawValue: 1)
        /// The Graph delta marker `@removed`.
        static let removedMarker = Flags(rawValue: 2)
        /// The key was the empty string, which cannot name an attribute.
        static let emptyName = Flags(rawValue: 4)
        /// The projection has been asked; `kept` holds its answer.
        static let projectionKnown = Flags(rawValue: 8)
        static let kept = Flags(rawValue: 16)
        /// `ReadContext.noteAttribute` has been told about this path.
        static let noted = Flags(rawValue: 32)
    }

    static let root = 0

    /// Dotted name in its canonical spelling (`AttributeAliases.none`), e.g. `name.givenName`.
    private(set) var displayNames: [String] = [""]
    private(set) var keys: [AttributeKey] = [AttributeKey("")]
    /// Paths that fold to the same `AttributeKey` share a slot (`Mail` and `mail`), so a record
    /// can tell when it receives one attribute twice.
    private(set) var slots: [Int] = [-1]
    private(set) var flags: [Flags] = [[.emptyName]]
    private var parents: [Int] = [-1]
    private var keyRanges: [Range<Int>] = [0..<0]
    private var keyBytes: [UInt8] = []
    /// Per node: the key that followed it in its object last time, and the first key of the object it
    /// holds (-1: none yet). Every user object repeats the same keys in the same order, so the next
    /// key is usually the predicted one, found by one comparison instead of a hash.
    private var predictedNext: [Int32] = [-1]
    private var predictedFirst: [Int32] = [-1]
    /// Open addressing over node indices; `-1` is empty. The count is a power of two.
    private var buckets: [Int32] = Array(repeating: -1, count: 256)
    private var slotsByKey: [AttributeKey: Int] = [:]
    private(set) var slotCount = 0

    /// The node for `key` inside the object at `parent` after the key `previous` (-1: the object's first
    /// key), created on first sight. Tries the key that followed `previous` last time first.
    @inline(__always)
    func child(of parent: Int, after previous: Int, key: UnsafeBufferPointer<UInt8>) -> Int {
        let predicted = Int(previous < 0 ? predictedFirst[parent] : predictedNext[previous])
        if predicted >= 0, parents[predicted] == parent, matches(predicted, key) { return predicted }
        let node = child(of: parent, key: key)
        if previous < 0 { predictedFirst[parent] = Int32(node) } else { predictedNext[previous] = Int32(node) }
        return node
    }

    /// The node for `key` inside the object at `parent`, created on first sight.
    @inline(__always)
    func child(of parent: Int, key: UnsafeBufferPointer<UInt8>) -> Int {
        let hash = Self.hash(key, parent: parent)
        let mask = buckets.count - 1
        var bucket = Int(truncatingIfNeeded: hash) & mask
        while true {
            let candidate = Int(buckets[bucket])
            if candidate < 0 { break }
            if parents[candidate] == parent && matches(candidate, key) { return candidate }
            bucket = (bucket &+ 1) & mask
        }
        let created = insert(parent: parent, key: key)
        buckets[bucket] = Int32(created)
        if flags.count * 2 > buckets.count { rehash() }
        return created
    }

    /// The node for a key given as a `String` (members replayed from a `JSONValue`).
    func child(of parent: Int, name: String) -> Int {
        var name = name
        return name.withUTF8 { child(of: parent, key: $0) }
    }

    @inline(__always)
    private func matches(_ node: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let range = keyRanges[node]
        guard range.count == key.count else { return false }
        guard let keyBase = key.baseAddress else { return true }
        return keyBytes.withUnsafeBufferPointer { stored in
            guard let storedBase = stored.baseAddress else { return false }
            return memcmp(storedBase + range.lowerBound, keyBase, key.count) == 0
        }
    }

    private func insert(parent: Int, key: UnsafeBufferPointer<UInt8>) -> Int {
        let rawKey = String(decoding: key, as: UTF8.self)
        let parentName = displayNames[parent]
        let dotted = parent == Self.root ? rawKey : parentName + "." + rawKey
        let displayName = AttributeAliases.none.canonicalName(dotted)
        let attributeKey = AttributeKey(displayName)
        let slot: Int
        if let existing = slotsByKey[attributeKey] {
            slot = existing
        } else {
            slot = slotCount
            slotCount += 1
            slotsByKey[attributeKey] = slot
        }
        var nodeFlags: Flags = []
        if rawKey == "@removed" { nodeFlags.insert(.removedMarker) }
        if rawKey.hasPrefix("@") || rawKey.contains("@odata.") { nodeFlags.insert(.metadata) }
        if key.isEmpty { nodeFlags.insert(.emptyName) }
        let start = keyBytes.count
        keyBytes.append(contentsOf: key)
        keyRanges.append(start..<keyBytes.count)
        parents.append(parent)
        predictedNext.append(-1)
        predictedFirst.append(-1)
        displayNames.append(displayName)
        keys.append(attributeKey)
        slots.append(slot)
        flags.append(nodeFlags)
        return flags.count - 1
    }

    private func rehash() {
        buckets = Array(repeating: -1, count: buckets.count * 2)
        let mask = buckets.count - 1
        for node in 1..<flags.count {
            let hash = keyBytes.withUnsafeBufferPointer { stored in
                Self.hash(UnsafeBufferPointer(rebasing: stored[keyRanges[node]]), parent: parents[node])
            }
            var bucket = Int(truncatingIfNeeded: hash) & mask
            while buckets[bucket] >= 0 { bucket = (bucket &+ 1) & mask }
            buckets[bucket] = Int32(node)
        }
    }

    /// FNV-1a over the key bytes, seeded with the parent, then mixed so the low bits spread.
    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>, parent: Int) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ UInt64(truncatingIfNeeded: parent)
        for byte in key {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash ^ (hash >> 29)
    }

    /// Records the projection's answer for a node.
    func setKept(_ kept: Bool, for node: Int) {
        flags[node].insert(kept ? [.projectionKnown, .kept] : [.projectionKnown])
    }

    /// Marks a node as reported to `noteAttribute`.
    func markNoted(_ node: Int) { flags[node].insert(.noted) }
}
