/// The byte-level searches of ``CSVTokenizer``'s hot loop, on raw UTF-8.
enum CSVByteScan {
    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    private static let lowBits: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080
    private static let commas = lowBits &* UInt64(comma)
    private static let lineFeeds = lowBits &* UInt64(lineFeed)
    private static let carriageReturns = lowBits &* UInt64(carriageReturn)

    /// The first comma, line break or NUL at or after `start`, or `end`; sets `nonASCII` when it
    /// passes a byte >= 0x80 (possibly also for one of the eight bytes just after the result).
    ///
    /// Looks at eight bytes at a time once past the first byte (empty cells end at once): a byte
    /// equal to `c` shows up in `hasZeroByte(word ^ c * 0x01…01)`, and the lowest flagged byte is
    /// always a true match, so `trailingZeroBitCount / 8` is its offset (little-endian load).
    @inline(__always)
    static func firstDelimiter(
        _ base: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int, nonASCII: inout Bool
    ) -> Int {
        var cursor = start
        if cursor < end {
            let first = base[cursor]
            if first == comma || first == lineFeed || first == carriageReturn || first == 0 { return cursor }
        }
        let raw = UnsafeRawPointer(base)
        while cursor + 8 <= end {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: cursor, as: UInt64.self))
            if word & highBits != 0 { nonASCII = true }
            let matches =
                hasZeroByte(word ^ commas) | hasZeroByte(word ^ lineFeeds) | hasZeroByte(word ^ carriageReturns)
                | hasZeroByte(word)
            if matches != 0 { return cursor + matches.trailingZeroBitCount >> 3 }
            cursor += 8
        }
        while cursor < end {
            let byte = base[cursor]
            if byte > comma && byte < 0x80 {
                cursor &+= 1
                continue
            }
            if byte == comma || byte == lineFeed || byte == carriageReturn || byte == 0 { return cursor }
            if byte >= 0x80 { nonASCII = true }
            cursor &+= 1
        }
        return end
    }

    /// `true` when the bytes in `start..<end` are only spaces and tabs.
    static func isBlank(_ base: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int) -> Bool {
        var cursor = start
        while cursor < end {
            if base[cursor] != space && base[cursor] != tab { return false }
            cursor += 1
        }
        return true
    }

    /// The high bit of each zero byte of `word` (and possibly of bytes above the first zero byte).
    @inline(__always)
    private static func hasZeroByte(_ word: UInt64) -> UInt64 {
        (word &- lowBits) & ~word & highBits
    }
}
