/// One row found by ``CSVTokenizer``: the byte ranges of its fields inside the tokenizer's buffer.
///
/// A plain view (no class access per field, no copy of unquoted values); valid only until the
/// tokenizer's next `nextRow()`.
struct CSVRow {
    private static let quote = UInt8(ascii: "\"")

    let bytes: UnsafePointer<UInt8>
    let spans: UnsafePointer<CSVTokenizer.FieldSpan>
    let fieldCount: Int
    /// Physical line (1-based) where the row starts.
    let line: Int
    /// `true` when every byte of the row is ASCII: its fields need no UTF-8 or Unicode work.
    let isASCII: Bool
    /// One entry per field when the row-splitting thread worked values out ahead (``CSVPreparedField``).
    let prepared: UnsafePointer<CSVPreparedField>?
    /// Per field, the text of a `.shortASCII` prepared value.
    let preparedTexts: UnsafePointer<String>?

    init(
        bytes: UnsafeMutablePointer<UInt8>, spans: UnsafeMutablePointer<CSVTokenizer.FieldSpan>, fieldCount: Int,
        line: Int, isASCII: Bool = false, prepared: UnsafePointer<CSVPreparedField>? = nil,
        preparedTexts: UnsafePointer<String>? = nil
    ) {
        self.bytes = UnsafePointer(bytes)
        self.spans = UnsafePointer(spans)
        self.fieldCount = fieldCount
        self.line = line
        self.isASCII = isASCII
        self.prepared = prepared
        self.preparedTexts = preparedTexts
    }

    /// The bytes of field `index`'s span as they stand (trimmed when prepared as long text).
    @inline(__always)
    func spanBytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let span = spans[index]
        return UnsafeBufferPointer(start: bytes + span.start, count: span.end &- span.start)
    }

    /// The bytes of field `index` with surrounding ASCII blanks trimmed, when no quotes need resolving
    /// (unquoted, or quoted without escapes), with whether they are all ASCII; `nil` otherwise (the
    /// caller then takes the general path). An empty result means an empty value.
    @inline(__always)
    func plainField(_ index: Int) -> (bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool)? {
        guard let (start, end, isASCII) = Self.trimmedPlainField(spans[index], in: bytes, rowIsASCII: isASCII) else {
            return nil
        }
        return (UnsafeBufferPointer(start: bytes + start, count: end &- start), isASCII)
    }

    /// The bounds of `span`'s bytes with surrounding ASCII blanks trimmed, and whether they are all
    /// ASCII, when no quotes need resolving; `nil` otherwise.
    /// - Parameter rowIsASCII: every byte of the row is ASCII (no per-byte check needed).
    @inline(__always)
    static func trimmedPlainField(_ span: CSVTokenizer.FieldSpan, in bytes: UnsafePointer<UInt8>, rowIsASCII: Bool)
        -> (start: Int, end: Int, isASCII: Bool)?
    {
        guard !span.needsUnescaping else { return nil }
        var start = span.start
        var end = span.end
        while start < end, TextNormalization.isASCIISpace(bytes[start]) { start &+= 1 }
        while end > start, TextNormalization.isASCIISpace(bytes[end &- 1]) { end &-= 1 }
        if rowIsASCII { return (start, end, true) }
        var highest: UInt8 = 0
        for offset in start..<end { highest |= bytes[offset] }
        return (start, end, highest < 0x80)
    }

    /// Calls `body` with the bytes of field `index`, quotes resolved (`""` → `"`, the text after a
    /// closing quote appended).
    /// - Parameter scratch: reused storage for the few fields that need unescaping.
    @inline(__always)
    func withFieldBytes<Result>(
        _ index: Int, scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        let span = spans[index]
        if !span.needsUnescaping {
            return try body(UnsafeBufferPointer(start: bytes + span.start, count: span.end - span.start))
        }
        scratch.removeAll(keepingCapacity: true)
        var cursor = span.start + 1  // just after the opening quote
        var insideQuotes = true
        while cursor < span.end {
            let byte = bytes[cursor]
            if insideQuotes, byte == Self.quote {
                if cursor + 1 < span.end, bytes[cursor + 1] == Self.quote {
                    scratch.append(Self.quote)
                    cursor += 2
                } else {
                    insideQuotes = false
                    cursor += 1
                }
                continue
            }
            scratch.append(byte)
            cursor += 1
        }
        return try scratch.withUnsafeBufferPointer(body)
    }

    /// `true` when field `index` holds only blanks (an empty cell, or a blank line).
    @inline(__always)
    func fieldIsBlank(_ index: Int) -> Bool {
        let span = spans[index]
        if span.needsUnescaping { return false }
        for offset in span.start..<span.end where !TextNormalization.isASCIISpace(bytes[offset]) { return false }
        return true
    }

    /// `true` when every field is blank: a blank line, or a row of commas only (as spreadsheets
    /// save empty rows).
    var isBlank: Bool {
        for index in 0..<fieldCount where !fieldIsBlank(index) { return false }
        return true
    }
}
