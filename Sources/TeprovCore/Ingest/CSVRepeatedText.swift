#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reuses the `String` of a long value that repeats in its column (a department, a street, an office,
/// an issuer): the record then shares the earlier value's storage instead of allocating, copying and
/// later freeing its own. Values are equal either way; only the allocations go.
///
/// Each column has a few slots found by a cheap hash of the bytes. A column whose values rarely repeat
/// (ids, user names, mail addresses) stops being looked up after its first rows, so it costs nothing.
struct CSVRepeatedText {
    /// Shorter strings are stored inline in the `String` value: nothing to save.
    static let minimumLength = 16
    private static let slotsPerColumn = 16
    /// Lookups per column before deciding whether the column repeats enough to keep looking.
    private static let trialLookups: Int32 = 512

    private var slots: [String]
    private var lookups: [Int32]
    private var hits: [Int32]
    private var enabled: [Bool]

    init(columns: Int) {
        slots = Array(repeating: "", count: columns * CSVRepeatedText.slotsPerColumn)
        lookups = Array(repeating: 0, count: columns)
        hits = Array(repeating: 0, count: columns)
        enabled = Array(repeating: true, count: columns)
    }

    /// The text of `bytes` (ASCII, at least `minimumLength` long) in `column`, reusing an earlier equal
    /// value when the column has one at hand.
    @inline(__always)
    mutating func text(column: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard enabled[column], let base = bytes.baseAddress else { return String(decoding: bytes, as: UTF8.self) }
        let count = bytes.count
        let hash = count &* 31 ^ Int(base[count &- 1]) &* 7 ^ Int(base[count &>> 1]) &* 131 ^ Int(base[count &- 5])
        let slot = column &* CSVRepeatedText.slotsPerColumn &+ (hash & (CSVRepeatedText.slotsPerColumn - 1))
        lookups[column] &+= 1
        if lookups[column] == CSVRepeatedText.trialLookups, hits[column] &* 4 < CSVRepeatedText.trialLookups {
            // Mostly distinct values: stop looking, and let the slots go.
            enabled[column] = false
            for index in 0..<CSVRepeatedText.slotsPerColumn {
                slots[column &* CSVRepeatedText.slotsPerColumn &+ index] = ""
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        let stored = slots[slot]
        let same =
            stored.utf8.count == count
            && stored.utf8.withContiguousStorageIfAvailable { storedBytes in
                storedBytes.baseAddress.map { memcmp($0, base, count) == 0 } ?? false
            } == true
        if same {
            hits[column] &+= 1
            return stored
        }
        let text = String(decoding: bytes, as: UTF8.self)
        slots[slot] = text
        return text
    }
}
