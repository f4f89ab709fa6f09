import Foundation

/// Turns raw UTF-8 bytes of a value into the form every reader stores (SPEC §2):
/// valid UTF-8, surrounding whitespace trimmed, NFC-normalized, empty → `nil`.
public enum TextNormalization {
    /// Why a value could not be decoded.
    public struct InvalidUTF8: Error, Sendable {}

    /// Normalizes a value given as UTF-8 bytes.
    /// - Throws: `InvalidUTF8` when the bytes are not valid UTF-8.
    @inline(__always)
    public static func value(_ bytes: UnsafeBufferPointer<UInt8>) throws(InvalidUTF8) -> String? {
        guard let base = bytes.baseAddress else { return nil }
        // Trim ASCII blanks on the bytes first: most values need nothing else.
        var start = 0
        var end = bytes.count
        while start < end, isASCIISpace(base[start]) { start &+= 1 }
        while end > start, isASCIISpace(base[end &- 1]) { end &-= 1 }
        if start == end { return nil }
        var highest: UInt8 = 0
        for index in start..<end { highest |= base[index] }
        let trimmed = UnsafeBufferPointer(start: base + start, count: end &- start)
        if highest < 0x80 {
            return String(decoding: trimmed, as: UTF8.self)
        }
        return try nonASCIIValue(trimmed)
    }

    /// `value(_:)` for text with a non-ASCII byte, already trimmed of ASCII blanks: validated, trimmed of
    /// Unicode blanks (NBSP, U+2003, ...) on the bytes, and composed only when a scalar may compose.
    static func nonASCIIValue(_ bytes: UnsafeBufferPointer<UInt8>) throws(InvalidUTF8) -> String? {
        guard UTF8Validation.isValid(bytes) else { throw InvalidUTF8() }
        guard let base = bytes.baseAddress else { return nil }
        var start = 0
        var end = bytes.count
        while start < end {
            let width = leadingBlankWidth(base, from: start, to: end)
            if width == 0 { break }
            start &+= width
        }
        while end > start {
            let width = trailingBlankWidth(base, from: start, to: end)
            if width == 0 { break }
            end &-= width
        }
        if start == end { return nil }
        let trimmed = UnsafeBufferPointer(start: base + start, count: end &- start)
        let decoded = String(decoding: trimmed, as: UTF8.self)
        if !mayNeedComposition(trimmed) { return decoded }
        return decoded.precomposedStringWithCanonicalMapping
    }

    /// The byte length of the White_Space scalar starting at `start` (0: none). Unicode's White_Space
    /// set is U+0009–U+000D, U+0020, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
    /// U+205F and U+3000; the bytes are valid UTF-8.
    @inline(__always)
    static func leadingBlankWidth(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        let lead = base[start]
        if lead < 0x80 { return isASCIISpace(lead) ? 1 : 0 }
        if lead == 0xC2 { return start &+ 1 < end && isTwoByteBlank(base[start &+ 1]) ? 2 : 0 }
        guard lead >= 0xE1, lead <= 0xE3, start &+ 2 < end else { return 0 }
        return isThreeByteBlank(lead, base[start &+ 1], base[start &+ 2]) ? 3 : 0
    }

    /// The byte length of the White_Space scalar ending just before `end` (0: none).
    @inline(__always)
    static func trailingBlankWidth(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        let last = base[end &- 1]
        if last < 0x80 { return isASCIISpace(last) ? 1 : 0 }
        // 0xC2 and 0xE1...0xE3 are lead bytes, never continuation bytes: a match is a whole scalar.
        if end &- 2 >= start, base[end &- 2] == 0xC2, isTwoByteBlank(last) { return 2 }
        if end &- 3 >= start, isThreeByteBlank(base[end &- 3], base[end &- 2], last) { return 3 }
        return 0
    }

    /// U+0085 and U+00A0 after their 0xC2 lead byte.
    @inline(__always)
    private static func isTwoByteBlank(_ trail: UInt8) -> Bool { trail == 0x85 || trail == 0xA0 }

    /// U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
    @inline(__always)
    private static func isThreeByteBlank(_ lead: UInt8, _ second: UInt8, _ third: UInt8) -> Bool {
        switch (lead, second) {
        case (0xE1, 0x9A): return third == 0x80
        case (0xE2, 0x80): return third <= 0x8A || third == 0xA8 || third == 0xA9 || third == 0xAF
        case (0xE2, 0x81): return third == 0x9F
        case (0xE3, 0x80): return third == 0x80
        default: return false
        }
    }

    /// `false` when every scalar is below U+0300: no combining marks, nothing composes, already NFC.
    @inline(__always)
    static func mayNeedComposition(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte >= 0xCC { return true }
        return false
    }

    /// Normalizes a value that is already a `String`.
    public static func normalize(_ text: String) -> String? {
        // Text whose scalars are all below U+0300 (ASCII, Latin-1, Latin Extended-A/B) has no combining
        // marks and nothing that composes: it is already NFC. Its UTF-8 bytes are all below 0xCC.
        var isASCII = true
        for byte in text.utf8 where byte >= 0xCC {
            isASCII = false
            break
        }
        let scalars = text.unicodeScalars
        var lower = scalars.startIndex
        var upper = scalars.endIndex
        while lower < upper, scalars[lower].properties.isWhitespace { lower = scalars.index(after: lower) }
        while upper > lower, scalars[scalars.index(before: upper)].properties.isWhitespace {
            upper = scalars.index(before: upper)
        }
        if lower == upper { return nil }
        let trimmed = (lower == scalars.startIndex && upper == scalars.endIndex) ? text : String(scalars[lower..<upper])
        if isASCII { return trimmed }
        return trimmed.precomposedStringWithCanonicalMapping
    }

    @inline(__always)
    static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    /// The scalar a text value becomes: the recognised boolean spellings become `.bool`, everything
    /// else stays a string. Readers of untyped formats (CSV, DSML, generic XML) use this.
    @inline(__always)
    public static func untypedScalar(_ text: String) -> AttributeValue {
        if let flag = BooleanText.parse(text) { return .bool(flag) }
        return .string(text)
    }
}
