import Foundation

/// Splits UTF-8 CSV text into rows of fields, one row at a time, reading the file in chunks (SPEC §2).
///
/// RFC 4180 plus the tolerance real exports need: CRLF, LF or a lone CR ends a row; quoted fields
/// may hold commas, doubled quotes and line breaks. Two deliberate tolerances (neither loses text):
/// - a quote inside an unquoted field (`ab"c`) is kept literally;
/// - characters between a closing quote and the next delimiter (`"ab"cd`) are appended to the
///   value (`abcd`), as Excel and Python's `csv` module read them.
/// Blanks before an opening quote (`a, "b,c"`) are dropped and the field is read as quoted.
///
/// Memory stays bounded: the buffer holds the current chunk plus the unfinished row, and a field
/// longer than ``maximumFieldLength`` (a binary file or an unbalanced quote) stops the read.
/// Fields are byte ranges of the buffer, so unquoted values are never copied; a ``CSVRow`` stays
/// valid until the next call to ``nextRow()``.
final class CSVTokenizer {
    /// Where one field's bytes are in the buffer.
    ///
    /// Eight bytes (32-bit offsets, the flag in the end's top bit): the reading thread pulls every span
    /// the tokenizer thread wrote, so a smaller span is fewer cache lines crossing between the cores.
    /// Offsets stay far below 2³¹: a row is at most ``maximumRowLength`` and a buffer or batch holds
    /// at most a chunk more than its longest row.
    struct FieldSpan {
        private var storedStart: UInt32
        private var storedEnd: UInt32

        private static let flag: UInt32 = 1 << 31

        init(start: Int, end: Int, needsUnescaping: Bool) {
            storedStart = UInt32(truncatingIfNeeded: start)
            storedEnd = UInt32(truncatingIfNeeded: end) | (needsUnescaping ? FieldSpan.flag : 0)
        }

        var start: Int {
            @inline(__always) get { Int(storedStart) }
            @inline(__always) set { storedStart = UInt32(truncatingIfNeeded: newValue) }
        }

        var end: Int {
            @inline(__always) get { Int(storedEnd & ~FieldSpan.flag) }
            @inline(__always) set {
                storedEnd = UInt32(truncatingIfNeeded: newValue) | (storedEnd & FieldSpan.flag)
            }
        }

        /// `true` when the range runs from the opening quote to the delimiter and still holds
        /// doubled quotes or text after the closing quote; `CSVRow.withFieldBytes` resolves it.
        var needsUnescaping: Bool {
            @inline(__always) get { storedEnd & FieldSpan.flag != 0 }
        }
    }

    /// The longest field accepted (1 MiB): anything longer is not a user attribute.
    static let maximumFieldLength = 1 << 20
    /// The longest row accepted (16 MiB), so a line of commas cannot grow the buffer without end.
    static let maximumRowLength = 16 << 20
    /// The most fields accepted in one row.
    static let maximumFieldsPerRow = 1 << 16

    private static let quote = CSVByteScan.quote
    private static let comma = CSVByteScan.comma
    private static let lineFeed = CSVByteScan.lineFeed
    private static let carriageReturn = CSVByteScan.carriageReturn
    private static let space = CSVByteScan.space
    private static let tab = CSVByteScan.tab

    private let reader: UTF8ChunkReader
    private var chunk: [UInt8] = []
    private var buffer: UnsafeMutablePointer<UInt8>
    private var bufferCapacity: Int
    private var bufferCount = 0
    private var readerFinished = false
    /// The next byte to read.
    private var position = 0
    /// The physical line (1-based) of `position`.
    private var line = 1
    /// The last row ended with a CR at the end of the buffer: an LF starting the next chunk belongs to it.
    private var pendingLineFeedSkip = false
    private var rowStart = 0

    private var spans: UnsafeMutablePointer<FieldSpan>
    private var spanCapacity: Int
    /// Number of fields in the current row.
    private(set) var fieldCount = 0
    /// Physical line (1-based) where the current row starts.
    private(set) var rowLine = 0
    /// `true` when every byte of the current row is ASCII (so is every field).
    private(set) var rowIsASCII = true

    init(reader: UTF8ChunkReader) {
        self.reader = reader
        bufferCapacity = 1 << 16
        buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bufferCapacity)
        spanCapacity = 64
        spans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: spanCapacity)
    }

    deinit {
        buffer.deallocate()
        spans.deallocate()
    }

    /// Reads the next row (a blank line is a row of one empty field).
    /// - Returns: the row, valid until the next call; `nil` at the end of the file.
    /// - Throws: ``CSVSyntaxError`` for an unclosed quote, a NUL byte, invalid UTF-8 or an oversized
    ///   field or row; `TeprovError` when the file cannot be read.
    func nextRow() throws -> CSVRow? {
        guard try advance() else { return nil }
        return CSVRow(bytes: buffer, spans: spans, fieldCount: fieldCount, line: rowLine, isASCII: rowIsASCII)
    }

    private func advance() throws -> Bool {
        fieldCount = 0
        if pendingLineFeedSkip {
            if position == bufferCount, !readerFinished { try refill(keepingFrom: position) }
            if position < bufferCount, buffer[position] == Self.lineFeed { position += 1 }
            pendingLineFeedSkip = false
        }
        if position == bufferCount {
            if !readerFinished { try refill(keepingFrom: position) }
            if position == bufferCount { return false }
        }
        rowStart = position
        rowLine = line
        var rowHasNonASCII = false
        while try !scanFields(nonASCII: &rowHasNonASCII) {
            // The unfinished field is scanned again from its start, so read at least as much again as
            // it already holds: a long field then costs linear time whatever the chunk size.
            try refill(keepingFrom: rowStart, minimumNewBytes: bufferCount - position)
        }
        if rowHasNonASCII { try validateUTF8(from: rowStart, to: position) }
        rowIsASCII = !rowHasNonASCII
        return true
    }

    // MARK: - Scanning

    /// Scans fields from `position` until the row ends (`true`) or the buffer runs out (`false`,
    /// with `position` and `line` back at the start of the unfinished field).
    private func scanFields(nonASCII: inout Bool) throws(CSVSyntaxError) -> Bool {
        let base = buffer
        let end = bufferCount
        let finished = readerFinished
        var spanBase = spans
        var count = fieldCount
        var cursor = position
        var currentLine = line
        var sawNonASCII = false
        defer { nonASCII = nonASCII || sawNonASCII }

        while true {
            let fieldStart = cursor
            let fieldLine = currentLine
            let span: FieldSpan
            let stop: Int

            var firstContent = cursor
            while firstContent < end, base[firstContent] == Self.space || base[firstContent] == Self.tab {
                firstContent += 1
            }
            if firstContent < end, base[firstContent] == Self.quote {
                var closing = firstContent + 1
                var hasDoubledQuote = false
                scanQuoted: while true {
                    if closing == end {
                        if finished {
                            throw CSVSyntaxError.unclosedQuote(line: fieldLine)
                        }
                        return try suspend(fieldStart: fieldStart, fieldLine: fieldLine, count: count)
                    }
                    let byte = base[closing]
                    if byte > Self.quote && byte < 0x80 {
                        closing &+= 1
                        continue
                    }
                    switch byte {
                    case Self.quote:
                        if closing + 1 == end && !finished {
                            return try suspend(fieldStart: fieldStart, fieldLine: fieldLine, count: count)
                        }
                        if closing + 1 < end && base[closing + 1] == Self.quote {
                            closing += 2
                            hasDoubledQuote = true
                            continue scanQuoted
                        }
                        break scanQuoted
                    case Self.lineFeed:
                        currentLine += 1
                    case Self.carriageReturn:
                        if closing + 1 == end && !finished {
                            return try suspend(fieldStart: fieldStart, fieldLine: fieldLine, count: count)
                        }
                        if closing + 1 == end || base[closing + 1] != Self.lineFeed { currentLine += 1 }
                    case 0:
                        throw CSVSyntaxError.nulByte(line: currentLine)
                    default:
                        if byte >= 0x80 { sawNonASCII = true }
                    }
                    closing += 1
                }
                stop = CSVByteScan.firstDelimiter(base, from: closing + 1, to: end, nonASCII: &sawNonASCII)
                if stop == end && !finished {
                    return try suspend(fieldStart: fieldStart, fieldLine: fieldLine, count: count)
                }
                if hasDoubledQuote || !CSVByteScan.isBlank(base, from: closing + 1, to: stop) {
                    span = FieldSpan(start: firstContent, end: stop, needsUnescaping: true)
                } else {
                    span = FieldSpan(start: firstContent + 1, end: closing, needsUnescaping: false)
                }
            } else {
                stop = CSVByteScan.firstDelimiter(base, from: firstContent, to: end, nonASCII: &sawNonASCII)
                if stop == end && !finished {
                    return try suspend(fieldStart: fieldStart, fieldLine: fieldLine, count: count)
                }
                span = FieldSpan(start: fieldStart, end: stop, needsUnescaping: false)
            }
            if stop < end && base[stop] == 0 { throw CSVSyntaxError.nulByte(line: currentLine) }
            if span.end - span.start > Self.maximumFieldLength { throw CSVSyntaxError.fieldTooLong(line: fieldLine) }
            if count == spanCapacity {
                if count == Self.maximumFieldsPerRow {
                    throw CSVSyntaxError.tooManyFields(line: rowLine, limit: Self.maximumFieldsPerRow)
                }
                growSpans(keeping: count)
                spanBase = spans
            }
            spanBase[count] = span
            count += 1

            if stop == end {  // end of file without a final line break
                cursor = end
                break
            }
            let terminator = base[stop]
            if terminator == Self.comma {
                cursor = stop + 1
                continue
            }
            currentLine += 1
            if terminator == Self.lineFeed {
                cursor = stop + 1
            } else if stop + 1 < end {  // CR, or CR LF
                cursor = base[stop + 1] == Self.lineFeed ? stop + 2 : stop + 1
            } else {
                cursor = stop + 1
                pendingLineFeedSkip = !finished
            }
            break
        }
        fieldCount = count
        position = cursor
        line = currentLine
        return true
    }

    /// Remembers where the unfinished field starts so the row resumes there once more input is in.
    private func suspend(fieldStart: Int, fieldLine: Int, count: Int) throws(CSVSyntaxError) -> Bool {
        if bufferCount - fieldStart > Self.maximumFieldLength + 2 { throw CSVSyntaxError.fieldTooLong(line: fieldLine) }
        if bufferCount - rowStart > Self.maximumRowLength {
            throw CSVSyntaxError.rowTooLong(line: rowLine)
        }
        fieldCount = count
        position = fieldStart
        line = fieldLine
        return false
    }

    // MARK: - Buffer

    /// Drops the bytes before `keep`, moves the rest to the front and appends chunks until at least
    /// `minimumNewBytes` (and at least one byte) came in or the file ended.
    private func refill(keepingFrom keep: Int, minimumNewBytes: Int = 1) throws {
        if keep > 0 {
            let remaining = bufferCount - keep
            if remaining > 0 { memmove(buffer, buffer + keep, remaining) }
            bufferCount = remaining
            position -= keep
            rowStart -= keep
            for index in 0..<fieldCount {
                spans[index].start -= keep
                spans[index].end -= keep
            }
        }
        var added = 0
        while added < max(minimumNewBytes, 1) {
            guard try reader.read(into: &chunk) else {
                readerFinished = true
                return
            }
            append(chunk)
            added += chunk.count
        }
    }

    private func append(_ bytes: [UInt8]) {
        let needed = bufferCount + bytes.count
        if needed > bufferCapacity {
            let newCapacity = max(needed, bufferCapacity * 2)
            let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBuffer.update(from: buffer, count: bufferCount)
            buffer.deallocate()
            buffer = newBuffer
            bufferCapacity = newCapacity
        }
        bytes.withUnsafeBufferPointer { source in
            if let start = source.baseAddress { (buffer + bufferCount).update(from: start, count: source.count) }
        }
        bufferCount = needed
    }

    /// Doubles the span storage, keeping the first `count` spans (the fields of the row so far).
    private func growSpans(keeping count: Int) {
        let newCapacity = min(spanCapacity * 2, Self.maximumFieldsPerRow)
        let newSpans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: newCapacity)
        newSpans.update(from: spans, count: count)
        spans.deallocate()
        spans = newSpans
        spanCapacity = newCapacity
    }

    // MARK: - UTF-8

    /// Checks the row's bytes are valid UTF-8 and names the physical line of the first bad byte.
    private func validateUTF8(from start: Int, to end: Int) throws(CSVSyntaxError) {
        let bytes = UnsafeBufferPointer(start: buffer + start, count: end - start)
        guard let offset = CSVUTF8Validation.firstInvalidOffset(in: bytes) else { return }
        var badLine = rowLine
        for index in 0..<offset {
            let byte = bytes[index]
            let endsLine =
                byte == Self.lineFeed
                || (byte == Self.carriageReturn && (index + 1 == bytes.count || bytes[index + 1] != Self.lineFeed))
            if endsLine { badLine += 1 }
        }
        throw CSVSyntaxError.invalidUTF8(line: badLine)
    }
}
