/// What each column of a CSV file means, worked out once from the header row: the dialect, and for
/// every column its attribute name (after aliasing), its interned key and how its values are read.
struct CSVHeaderLayout {
    /// How a column's values become attribute values.
    enum ColumnKind: Equatable {
        /// Trimmed, NFC text; boolean spellings become `.bool`.
        case text
        /// The bulk template's `Block sign in (Yes/No) [accountEnabled]`: `No` → `true`, `Yes` → `false`.
        case blockSignIn
        /// A trailing header cell left empty (spreadsheet padding): a value under it makes the row invalid.
        case unnamed
        /// The bulk template's initial password (`[passwordProfile]`): a secret no mapping needs, never stored.
        case secret
    }

    /// One column of the file.
    struct Column {
        /// The header cell as written (trimmed), empty for an unnamed column.
        var heading: String
        /// The attribute name after aliasing, in its canonical spelling.
        var name: String
        var key: AttributeKey
        var kind: ColumnKind
    }

    let dialect: CSVDialect
    let columns: [Column]

    /// Builds the layout from the header cells (`nil` for an empty cell).
    /// - Throws: `CSVSyntaxError` at `line` for a column without a name (other than trailing
    ///   padding) or two columns naming the same attribute.
    init(header: [String?], line: Int, afterVersionLine: Bool) throws(CSVSyntaxError) {
        let namedCount = (header.lastIndex { $0 != nil } ?? -1) + 1
        if let emptyIndex = header[..<namedCount].firstIndex(where: { $0 == nil }) {
            throw CSVSyntaxError(
                line: line,
                message: "column \(emptyIndex + 1) of the header row has no name; name the column or delete it")
        }
        let headings = header[..<namedCount].map { $0 ?? "" }
        let dialect = CSVDialect.recognise(header: headings, afterVersionLine: afterVersionLine)
        var columns: [Column] = []
        var firstColumnByKey: [AttributeKey: Int] = [:]
        for (index, heading) in headings.enumerated() {
            let column = Self.column(heading: heading, dialect: dialect)
            if let earlier = firstColumnByKey[column.key] {
                let earlierHeading = columns[earlier].heading
                throw CSVSyntaxError(
                    line: line,
                    message: "columns \(earlier + 1) (\"\(earlierHeading)\") and \(index + 1) (\"\(heading)\") "
                        + "of the header row both name the attribute \"\(column.name)\"; rename or delete one of them")
            }
            firstColumnByKey[column.key] = index
            columns.append(column)
        }
        for _ in namedCount..<header.count {
            columns.append(Column(heading: "", name: "", key: AttributeKey(""), kind: .unnamed))
        }
        self.dialect = dialect
        self.columns = columns
    }

    private static func column(heading: String, dialect: CSVDialect) -> Column {
        guard dialect == .entraBulkCreate, let property = CSVDialect.bracketedPropertyName(in: heading) else {
            let name = dialect.aliases.canonicalName(heading)
            return Column(heading: heading, name: name, key: AttributeKey(name), kind: .text)
        }
        let name = dialect.aliases.canonicalName(property)
        let key = AttributeKey(name)
        let kind: ColumnKind
        switch key.rawValue {
        case "passwordprofile": kind = .secret
        case "accountenabled" where heading.lowercased().contains("block"): kind = .blockSignIn
        default: kind = .text
        }
        return Column(heading: heading, name: name, key: key, kind: kind)
    }
}
