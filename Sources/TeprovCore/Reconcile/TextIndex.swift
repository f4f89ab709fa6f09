import Foundation

/// Entries (targets or users, numbered from 0) by a text key, exact or ignoring case, with every entry
/// holding a key reachable in insertion order: what a `[String: [Int]]` keyed by the text (or by its
/// `foldedForLookup` form) gives, without hashing or allocating per entry.
///
/// ASCII keys, nearly all of them, live in a `TextKeyTable` hashed on their bytes. Other keys are put in
/// their canonical form (lower-cased when folding, then NFC, since `String` equality is canonical
/// equivalence): one that turns out ASCII joins the table, the rest go to a dictionary.
/// The index does not keep the keys: callers pass `keyOf`, which gives an entry's key.
struct TextIndex: Sendable {
    private let folding: Bool
    private var table: TextKeyTable
    private var others: [String: Int32] = [:]
    /// Per entry: the next entry with the same key, and (for the first one) the last; -1 for none.
    private var next: [Int32]
    private var last: [Int32]

    /// - Parameters:
    ///   - capacity: how many entries may be inserted (entries are numbered below it).
    ///   - ignoringCase: compare keys as `foldedForLookup` does.
    init(capacity: Int, ignoringCase: Bool) {
        folding = ignoringCase
        table = TextKeyTable(expectedCount: capacity)
        next = Array(repeating: -1, count: capacity)
        last = Array(repeating: -1, count: capacity)
    }

    /// The hash `insert` files an ASCII `key` under (`nil` for other keys), for `prefetch` and
    /// `insert(_:key:asciiHash:keyOf:)`.
    @inline(__always)
    func asciiHash(_ key: String) -> UInt64? {
        let folding = self.folding
        var text = key
        return text.withUTF8 { bytes -> UInt64? in
            let (hash, isASCII) = TextKeyTable.hash(bytes, foldingASCIICase: folding)
            return isASCII ? hash : nil
        }
    }

    /// Brings the table slot of a key with `asciiHash` into the cache ahead of its `insert`.
    @inline(__always)
    func prefetch(asciiHash: UInt64) {
        table.prefetch(hash: asciiHash)
    }

    /// Adds `entry` under `key`; returns the first entry already holding the key, if any.
    @discardableResult
    mutating func insert(_ entry: Int, key: String, keyOf: (Int) -> String?) -> Int? {
        insert(entry, key: key, asciiHash: asciiHash(key), keyOf: keyOf)
    }

    /// `insert(_:key:keyOf:)` with the key's `asciiHash(key)` worked out ahead.
    @discardableResult
    mutating func insert(_ entry: Int, key: String, asciiHash: UInt64?, keyOf: (Int) -> String?) -> Int? {
        let existing: Int?
        let folding = self.folding
        if let asciiHash {
            existing = table.insert(entry, hash: asciiHash) {
                Self.isSame(stored: $0, asText: key, folding: folding, keyOf: keyOf)
            }
        } else {
            var canonical = Self.canonicalForm(key, folding: folding)
            let canonicalHash = canonical.withUTF8 { bytes -> UInt64? in
                let (hash, isASCII) = TextKeyTable.hash(bytes, foldingASCIICase: folding)
                return isASCII ? hash : nil
            }
            if let canonicalHash {
                existing = table.insert(entry, hash: canonicalHash) {
                    Self.isSame(stored: $0, asText: canonical, folding: folding, keyOf: keyOf)
                }
            } else if let head = others[canonical] {
                existing = Int(head)
            } else {
                others[canonical] = Int32(entry)
                existing = nil
            }
        }
        if let head = existing {
            let tail = Int(last[head])
            next[tail == -1 ? head : tail] = Int32(entry)
            last[head] = Int32(entry)
        }
        return existing
    }

    /// The first entry holding `key`, if any; `next(after:)` gives the others.
    func first(_ key: String, keyOf: (Int) -> String?) -> Int? {
        first(key, asciiHash: asciiHash(key), keyOf: keyOf)
    }

    /// `first(_:keyOf:)` with the key's `asciiHash(key)` worked out ahead.
    func first(_ key: String, asciiHash: UInt64?, keyOf: (Int) -> String?) -> Int? {
        if let asciiHash {
            return table.find(hash: asciiHash) { Self.isSame(stored: $0, asText: key, folding: folding, keyOf: keyOf) }
        }
        var canonical = Self.canonicalForm(key, folding: folding)
        let canonicalHash = canonical.withUTF8 { bytes -> UInt64? in
            let (hash, isASCII) = TextKeyTable.hash(bytes, foldingASCIICase: folding)
            return isASCII ? hash : nil
        }
        if let canonicalHash {
            return table.find(hash: canonicalHash) {
                Self.isSame(stored: $0, asText: canonical, folding: folding, keyOf: keyOf)
            }
        }
        return others[canonical].map(Int.init)
    }

    /// The entry after `entry` holding the same key, in insertion order.
    @inline(__always)
    func next(after entry: Int) -> Int? {
        let following = next[entry]
        return following == -1 ? nil : Int(following)
    }

    /// Every entry holding `key`, in insertion order.
    func all(_ key: String, keyOf: (Int) -> String?) -> [Int] {
        var found: [Int] = []
        var entry = first(key, keyOf: keyOf)
        while let current = entry {
            found.append(current)
            entry = next(after: current)
        }
        return found
    }

    /// Whether the stored entry's key equals `wanted`, an ASCII text (compared ignoring ASCII case when folding).
    private static func isSame(stored: Int, asText wanted: String, folding: Bool, keyOf: (Int) -> String?) -> Bool {
        guard var other = keyOf(stored) else { return false }
        var wantedText = wanted
        let answer = other.withUTF8 { otherBytes -> Bool? in
            guard otherBytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return wantedText.withUTF8 { wantedBytes in
                folding
                    ? TextKeyTable.equalIgnoringASCIICase(otherBytes, wantedBytes)
                    : otherBytes.elementsEqual(wantedBytes)
            }
        }
        if let answer { return answer }
        // A non-ASCII stored key whose canonical form is ASCII.
        var canonical = canonicalForm(other, folding: folding)
        return canonical.withUTF8 { otherBytes in
            wantedText.withUTF8 { wantedBytes in
                folding
                    ? TextKeyTable.equalIgnoringASCIICase(otherBytes, wantedBytes)
                    : otherBytes.elementsEqual(wantedBytes)
            }
        }
    }

    /// A non-ASCII key as keys compare: lower-cased when folding, in NFC.
    private static func canonicalForm(_ text: String, folding: Bool) -> String {
        (folding ? text.lowercased() : text).precomposedStringWithCanonicalMapping
    }
}
