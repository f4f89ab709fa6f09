import Foundation

/// Streaming CSV reader (SPEC §2): the header row picks the dialect and names the attributes, every
/// following row becomes one `SourceRecord` handed to the context as soon as it is read.
///
/// - Blank rows (empty lines, rows of commas only) are skipped and not counted.
/// - A short row is padded with nulls; a row with more fields than the header is an invalid record.
/// - Values are trimmed and NFC-normalized, an empty value is not stored, `true/True/TRUE/false/...`
///   become booleans.
/// - Record origins are physical lines (1-based, every line of the file counts, a version line too).
public enum CSVExportReader {
    /// Reads the CSV file at `path` into `context`.
    /// - Returns: `csv/entra-download`, `csv/entra-bulk-create` or `csv/generic`.
    /// - Throws: `TeprovError(.input)` naming the file and line for a document-level problem (no header,
    ///   unclosed quote, invalid UTF-8, NUL bytes, duplicate or empty header names, an oversized field);
    ///   `TeprovError(.io)` when the file cannot be read.
    public static func read(path: String, context: ReadContext) throws -> ExportFormat {
        try read(path: path, context: context, chunkSize: 1 << 20)
    }

    /// Files at least this large are split into rows on a second thread (`CSVRowPrefetcher`).
    static let prefetchThreshold = 8 << 20

    /// As ``read(path:context:)`` with a chosen read size (tests use tiny chunks to cross every boundary).
    /// - Parameter prefetch: split rows on a second thread; by default for files of at least
    ///   ``prefetchThreshold`` bytes.
    static func read(path: String, context: ReadContext, chunkSize: Int, prefetch: Bool? = nil) throws
        -> ExportFormat
    {
        let reader = try UTF8ChunkReader(path: path, chunkSize: chunkSize)
        let tokenizer = CSVTokenizer(reader: reader)
        do {
            if prefetch ?? (ExportReader.fileSize(path) >= prefetchThreshold) {
                let rows = CSVRowPrefetcher(tokenizer: tokenizer)
                defer { rows.finish() }
                var session = CSVReadSession(tokenizer: rows, context: context)
                return try session.run()
            }
            var session = CSVReadSession(tokenizer: tokenizer, context: context)
            return try session.run()
        } catch let error as CSVSyntaxError {
            throw context.documentError(line: error.line, error.message)
        }
    }
}
