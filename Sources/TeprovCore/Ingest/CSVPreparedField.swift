/// What the row-splitting thread (``CSVRowPrefetcher``) worked out ahead about one CSV value, so that
/// the reading thread, which builds the records and is the busier of the two, has less to do per field.
///
/// Only work that makes no heap object is done ahead: trimming, booleans, and telling ASCII from other
/// text. The `String`s are made on the reading thread, which later frees them: memory freed on another
/// thread than the one that allocated it costs more than it saves. For `.ascii` and `.nonASCII` the
/// field's span is narrowed to the trimmed bytes.
enum CSVPreparedField: UInt8 {
    /// Not worked out (a quoted value with escapes, or a column not read): the general path.
    case unprepared
    /// Nothing but blanks: no value.
    case empty
    case boolTrue
    case boolFalse
    /// ASCII text that is not a boolean spelling: the span's bytes, trimmed.
    case ascii
    /// Text with a non-ASCII byte: the span's bytes, trimmed of ASCII blanks (Unicode blanks and NFC are
    /// the reading thread's work).
    case nonASCII

    /// Works out the value of `span` (in `bytes`), narrowing the span to the trimmed bytes.
    /// - Parameter rowIsASCII: every byte of the row is ASCII (no per-field check needed).
    @inline(__always)
    static func prepare(
        _ span: inout CSVTokenizer.FieldSpan, in bytes: UnsafeMutablePointer<UInt8>, rowIsASCII: Bool
    ) -> CSVPreparedField {
        if span.needsUnescaping { return .unprepared }
        var start = span.start
        var end = span.end
        while start < end, TextNormalization.isASCIISpace(bytes[start]) { start &+= 1 }
        while end > start, TextNormalization.isASCIISpace(bytes[end &- 1]) { end &-= 1 }
        let count = end &- start
        if count == 0 { return .empty }
        var isASCII = rowIsASCII
        if !isASCII {
            var highest: UInt8 = 0
            for offset in start..<end { highest |= bytes[offset] }
            isASCII = highest < 0x80
        }
        if isASCII, count == 4 || count == 5,
            let flag = BooleanText.parse(UnsafeBufferPointer(start: bytes + start, count: count))
        {
            return flag ? .boolTrue : .boolFalse
        }
        span.start = start
        span.end = end
        return isASCII ? .ascii : .nonASCII
    }
}
