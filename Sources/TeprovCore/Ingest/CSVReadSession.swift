#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One pass over one CSV file: the header first, then every user row turned into a record.
struct CSVReadSession<Rows: CSVRowSource> {
    let tokenizer: Rows
    let context: ReadContext
    var scratch: [UInt8] = []

    init(tokenizer: Rows, context: ReadContext) {
        self.tokenizer = tokenizer
        self.context = context
    }

    /// A column the rows are read for: stored when the projection keeps it, or checked for stray values.
    private struct ActiveColumn {
        var index: Int
        var key: AttributeKey
        var kind: CSVHeaderLayout.ColumnKind
    }

    mutating func run() throws -> ExportFormat {
        let layout = try readHeader()
        var active: [ActiveColumn] = []
        for (index, column) in layout.columns.enumerated() {
            switch column.kind {
            case .text, .blockSignIn:
                context.noteAttribute(column.name)
                if context.keeps(column.key) {
                    active.append(ActiveColumn(index: index, key: column.key, kind: column.kind))
                }
            case .unnamed:
                active.append(ActiveColumn(index: index, key: column.key, kind: .unnamed))
            case .secret:
                context.warn(
                    line: nil,
                    "column \(index + 1) (\"\(column.heading)\") holds initial passwords; teprov does not keep them")
            }
        }
        tokenizer.prepare(columns: active.filter { $0.kind == .text }.map(\.index))
        var repeated = CSVRepeatedText(columns: active.count)
        let headerWidth = layout.columns.count
        let skipsExampleRows = layout.dialect == .entraBulkCreate
        var dataRows = 0
        let everyColumnIsText = active.allSatisfy { $0.kind == .text }
        let keys = active.map(\.key)
        let indexes = active.map(\.index)
        // One array of fields for every row: the record built from it is gone once emitted (unless kept, when
        // the next row copies it), so a row reuses the storage instead of allocating an array of its own.
        var rowFields: [SourceRecord.Field] = []
        rowFields.reserveCapacity(active.count)

        while let row = try tokenizer.nextRow() {
            if row.fieldIsBlank(0), row.isBlank { continue }
            if skipsExampleRows, try CSVDialect.isExampleRow(firstCell: fieldText(row, 0)) { continue }
            dataRows += 1
            let line = row.line
            let fieldCount = row.fieldCount
            // An invalid row is still read as far as it goes: its values are its partial record, which
            // the plan uses only to protect the targets they match (SPEC §6), never to change a user.
            // A row with extra fields keeps its first header-width fields, shifted or not.
            var problem: String?
            if fieldCount > headerWidth {
                problem =
                    "row has \(fieldCount) fields but the header has \(headerWidth); quote values that contain "
                    + "commas (\"a, b\") or remove the extra fields"
            }
            let readable = min(fieldCount, headerWidth)
            if let prepared = row.prepared, everyColumnIsText {
                try preparedFields(
                    row, prepared, readable: readable, keys: keys, indexes: indexes, &repeated, into: &rowFields)
            } else {
                rowFields = try generalFields(row, active: active, readable: readable, &problem, &repeated)
            }
            let record = SourceRecord(origin: context.origin(line: line), fields: rowFields)
            if let problem {
                context.rejectRecord(line: line, problem, partial: record)
            } else {
                try context.emit(record)
            }
        }
        if dataRows == 0 {
            context.warn(line: nil, "has a header but no user rows; export the users again if users were expected")
        }
        return ExportFormat(.csv, layout.dialect.rawValue)
    }

    /// The fields of a row, every case: columns of any kind, values worked out ahead or not.
    private mutating func generalFields(
        _ row: CSVRow, active: [ActiveColumn], readable: Int, _ problem: inout String?,
        _ repeated: inout CSVRepeatedText
    ) throws -> [SourceRecord.Field] {
        let line = row.line
        var fields: [SourceRecord.Field] = []
        fields.reserveCapacity(active.count)
        for position in active.indices {
            let index = active[position].index
            guard index < readable else { continue }
            // Most cells: text without quotes to resolve, and ASCII text needs no Unicode work.
            if active[position].kind == .text, let (bytes, isASCII) = row.plainField(index) {
                if bytes.isEmpty { continue }
                if isASCII {
                    let value: AttributeValue =
                        bytes.count >= CSVRepeatedText.minimumLength
                        ? .string(
                            Self.earlierText(equalTo: bytes, in: fields) ?? repeated.text(column: position, bytes))
                        : Self.asciiValue(bytes)
                    fields.append(SourceRecord.Field(key: active[position].key, value: value))
                } else if let text = try Self.nonASCIIText(bytes, line: line) {
                    fields.append(SourceRecord.Field(key: active[position].key, value: Self.untypedValue(text)))
                }
                continue
            }
            guard let text = try fieldText(row, index) else { continue }
            switch active[position].kind {
            case .text:
                fields.append(SourceRecord.Field(key: active[position].key, value: Self.untypedValue(text)))
            case .blockSignIn:
                switch text.lowercased() {
                case "no": fields.append(SourceRecord.Field(key: active[position].key, value: .bool(true)))
                case "yes": fields.append(SourceRecord.Field(key: active[position].key, value: .bool(false)))
                default:
                    problem =
                        problem
                        ?? "\"Block sign in\" is \"\(text)\" but must be Yes or No; correct the value in column "
                        + "\(index + 1)"
                }
            case .unnamed:
                problem =
                    problem
                    ?? "column \(index + 1) holds \"\(text)\" but has no name in the header row; "
                    + "name the column or remove the value"
            case .secret:
                continue
            }
        }
        return fields
    }

    /// The fields of a row whose values the row-splitting thread worked out (`CSVPreparedField`), when
    /// every column read is a text column: the common case. They replace the contents of `fields`.
    @inline(__always)
    private mutating func preparedFields(
        _ row: CSVRow, _ prepared: UnsafePointer<CSVPreparedField>, readable: Int, keys: [AttributeKey],
        indexes: [Int], _ repeated: inout CSVRepeatedText, into fields: inout [SourceRecord.Field]
    ) throws {
        fields.removeAll(keepingCapacity: true)
        for position in 0..<indexes.count {
            let index = indexes[position]
            guard index < readable else { continue }
            let value: AttributeValue
            let kind = prepared[index]
            if kind == .shortASCII {
                value = .string(row.preparedTexts.unsafelyUnwrapped[index])
            } else if kind == .ascii {
                let bytes = row.spanBytes(index)
                if bytes.count >= CSVRepeatedText.minimumLength {
                    value = .string(
                        Self.earlierText(equalTo: bytes, in: fields) ?? repeated.text(column: position, bytes))
                } else {
                    value = .string(String(decoding: bytes, as: UTF8.self))
                }
            } else {
                switch kind {
                case .empty, .ascii, .shortASCII:
                    continue
                case .boolTrue:
                    value = .bool(true)
                case .boolFalse:
                    value = .bool(false)
                case .nonASCII:
                    guard let text = try Self.nonASCIIText(row.spanBytes(index), line: row.line) else { continue }
                    value = Self.untypedValue(text)
                case .unprepared:
                    guard let text = try fieldText(row, index) else { continue }
                    value = Self.untypedValue(text)
                }
            }
            fields.append(SourceRecord.Field(key: keys[position], value: value))
        }
    }

    /// The text of a field already read from this row whose bytes are `bytes`, if any: `mail` is usually the
    /// `userPrincipalName` (and `otherMails` often repeats it), and sharing one string saves an allocation and
    /// about 70 bytes per user (70 MB at a million users).
    @inline(__always)
    private static func earlierText(equalTo bytes: UnsafeBufferPointer<UInt8>, in fields: [SourceRecord.Field])
        -> String?
    {
        guard let base = bytes.baseAddress else { return nil }
        return fields.withUnsafeBufferPointer { earlier in
            for position in earlier.indices {
                guard case .string(let text) = earlier[position].value, text.utf8.count == bytes.count else { continue }
                let same = text.utf8.withContiguousStorageIfAvailable { stored in
                    stored.baseAddress.map { memcmp($0, base, stored.count) == 0 } ?? false
                }
                if same == true { return text }
            }
            return nil
        }
    }

    /// Finds the header row, skipping blank rows and a bulk template's version line.
    private mutating func readHeader() throws -> CSVHeaderLayout {
        var afterVersionLine = false
        while let row = try tokenizer.nextRow() {
            if row.isBlank { continue }
            var cells: [String?] = []
            cells.reserveCapacity(row.fieldCount)
            for index in 0..<row.fieldCount { cells.append(try fieldText(row, index)) }
            if !afterVersionLine, CSVDialect.isVersionLine(cells) {
                afterVersionLine = true
                continue
            }
            return try CSVHeaderLayout(header: cells, line: row.line, afterVersionLine: afterVersionLine)
        }
        let message =
            afterVersionLine
            ? "has a version line but no header row; add the template's header row and try again"
            : "has no header row; export the users again with the header row"
        throw CSVSyntaxError(line: nil, message: message)
    }

    /// Field `index` of the current row as stored text: trimmed, NFC, `nil` when empty.
    @inline(__always)
    private mutating func fieldText(_ row: CSVRow, _ index: Int) throws -> String? {
        do {
            return try row.withFieldBytes(index, scratch: &scratch) { try TextNormalization.value($0) }
        } catch is TextNormalization.InvalidUTF8 {
            // Rows are validated as a whole before this, so this only guards against a gap in that check.
            throw CSVSyntaxError.invalidUTF8(line: row.line)
        }
    }

    /// `TextNormalization.value` for trimmed bytes holding a non-ASCII byte.
    private static func nonASCIIText(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) throws -> String? {
        do {
            return try TextNormalization.nonASCIIValue(bytes)
        } catch {
            // Rows are validated as a whole before this, so this only guards against a gap in that check.
            throw CSVSyntaxError.invalidUTF8(line: line)
        }
    }

    /// `untypedValue(_:)` for trimmed, non-empty ASCII bytes: the boolean spellings are told on the
    /// bytes, and other text becomes a `String` without validation or normalization (ASCII is NFC).
    @inline(__always)
    static func asciiValue(_ bytes: UnsafeBufferPointer<UInt8>) -> AttributeValue {
        if bytes.count == 4 || bytes.count == 5, let flag = BooleanText.parse(bytes) { return .bool(flag) }
        return .string(String(decoding: bytes, as: UTF8.self))
    }

    /// `TextNormalization.untypedScalar`, skipped for text that cannot be a boolean spelling
    /// (only 4- or 5-byte text starting with t/T/f/F can), which most values are.
    @inline(__always)
    private static func untypedValue(_ text: String) -> AttributeValue {
        let utf8 = text.utf8
        let length = utf8.count
        guard length == 4 || length == 5, let first = utf8.first, first | 0x20 == 0x74 || first | 0x20 == 0x66 else {
            return .string(text)
        }
        return TextNormalization.untypedScalar(text)
    }
}
