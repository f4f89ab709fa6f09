/// What the row-splitting thread (``CSVRowPrefetcher``) worked out ahead about one CSV value, so that
/// the reading thread, which builds the records and is the busier of the two, has less to do per field.
///
/// Only work that makes no heap object is done ahead: trimming, booleans, telling ASCII from other
/// text, and short ASCII text, which a `String` holds inline. Longer `String`s are made on the reading
/// thread, which later frees them: memory freed on another thread than the one that allocated it costs
/// more than it saves. For `.ascii` and `.nonASCII` the field's span is narrowed to the trimmed bytes.
enum CSVPreparedField: UInt8 {
    /// Not worked out (a quoted value with escapes, or a column not read): the general path.
    case unprepared
    /// Nothing but blanks: no value.
    case empty
    case boolTrue
    case boolFalse
    /// ASCII text that is not a boolean spelling: the span's bytes, trimmed.
    case ascii
    /// ASCII text short enough to be stored inside a `String` value (no heap object): made ahead, in
    /// the batch's text slot for the field.
    case shortASCII
    /// Text with a non-ASCII byte: the span's bytes, trimmed of ASCII blanks (Unicode blanks and NFC are
    /// the reading thread's work).
    case nonASCII

    /// Works out the value of `span` (in `bytes`), narrowing the span to the trimmed bytes.
    /// - Parameters:
    ///   - rowIsASCII: every byte of the row is ASCII (no per-field check needed).
    ///   - text: where a `.shortASCII` value goes.
    @inline(__always)
    static func prepare(
        _ span: inout CSVTokenizer.FieldSpan, in bytes: UnsafeMutablePointer<UInt8>, rowIsASCII: Bool,
        text: UnsafeMutablePointer<String>
    ) -> CSVPreparedField {
        guard let (start, end, isASCII) = CSVRow.trimmedPlainField(span, in: bytes, rowIsASCII: rowIsASCII) else {
            return .unprepared
        }
        let count = end &- start
        if count == 0 { return .empty }
        if isASCII, count < CSVRepeatedText.minimumLength {
            let field = UnsafeBufferPointer(start: bytes + start, count: count)
            if count == 4 || count == 5, let flag = BooleanText.parse(field) { return flag ? .boolTrue : .boolFalse }
            text.pointee = String(decoding: field, as: UTF8.self)
            return .shortASCII
        }
        span.start = start
        span.end = end
        return isASCII ? .ascii : .nonASCII
    }
}
