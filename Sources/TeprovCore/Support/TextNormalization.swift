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
        guard let decoded = String(validating: trimmed, as: UTF8.self) else { throw InvalidUTF8() }
        // Unicode blanks (NBSP, U+2003, ...) at either end, or scalars that may compose, need the full path.
        if base[start] < 0x80, base[end &- 1] < 0x80, !mayNeedComposition(trimmed) { return decoded }
        return normalize(decoded)
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
