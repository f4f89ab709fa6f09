/// The stored form of a JSON string value: `TextNormalization.value`, with a fast path.
///
/// Profiling a 100 MB Graph export showed Foundation's NFC normalization (used for any non-ASCII
/// value) taking more time than tokenizing. Text whose scalars are all below U+0300 (ASCII,
/// Latin-1, Latin Extended-A/B: `José`, `Łukasz`, `Gül`) has no combining marks and nothing that
/// composes, so it is already NFC; it only needs trimming. Only other text takes the full path.
enum JSONTextValue {
    /// Trimmed, NFC, non-empty text, or `nil` for an empty value; `bytes` must be valid UTF-8.
    @inline(__always)
    static func normalized(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let base = bytes.baseAddress else { return nil }
        var end = bytes.count
        // Most values are ASCII: one pass the compiler vectorizes tells, then only ASCII blanks trim.
        var highest: UInt8 = 0
        for index in 0..<end { highest |= base[index] }
        if highest < 0x80 {
            var start = 0
            while start < end, TextNormalization.isASCIISpace(base[start]) { start &+= 1 }
            while end > start, TextNormalization.isASCIISpace(base[end &- 1]) { end &-= 1 }
            if start == end { return nil }
            return String(decoding: UnsafeBufferPointer(start: base + start, count: end &- start), as: UTF8.self)
        }
        // Every byte below 0xCC: no scalar at or above U+0300 (its UTF-8 lead byte is 0xCC or more).
        for index in 0..<end where base[index] >= 0xCC {
            return try? TextNormalization.value(bytes)
        }
        var start = 0
        while start < end {
            if TextNormalization.isASCIISpace(base[start]) {
                start &+= 1
            } else if start &+ 1 < end && isTwoByteSpace(base[start], base[start &+ 1]) {
                start &+= 2
            } else {
                break
            }
        }
        while end > start {
            if TextNormalization.isASCIISpace(base[end &- 1]) {
                end &-= 1
            } else if end &- 2 >= start && isTwoByteSpace(base[end &- 2], base[end &- 1]) {
                // 0xC2 is never a continuation byte, so these two bytes are one character.
                end &-= 2
            } else {
                break
            }
        }
        if start == end { return nil }
        return String(decoding: UnsafeBufferPointer(start: base + start, count: end &- start), as: UTF8.self)
    }

    /// U+0085 (next line) and U+00A0 (no-break space): the White_Space characters between U+0080 and U+02FF.
    @inline(__always)
    private static func isTwoByteSpace(_ lead: UInt8, _ trail: UInt8) -> Bool {
        lead == 0xC2 && (trail == 0x85 || trail == 0xA0)
    }
}
