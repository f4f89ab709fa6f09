import Foundation

/// Streaming JSON export reader (SPEC §2).
///
/// Accepts a top-level array of user objects (`array`), a Graph page `{"value": [...]}`
/// (`graph-page`), an array of Graph pages (`graph-pages`), JSON Lines or concatenated documents
/// of users or pages (`json-lines`), and SCIM ListResponses, alone or in an array
/// (`scim-list-response`). How users flatten into records is described on `JSONUserFlattener`;
/// partial exports are refused as described on `JSONExportCompleteness`.
public enum JSONExportReader {
    /// Reads the JSON export at `path`, streaming valid records into `context`.
    /// - Returns: the format, `json/<dialect>`.
    /// - Throws: `TeprovError(.input)` for invalid JSON or a partial export, `.io` for an unreadable file.
    public static func read(path: String, context: ReadContext) throws -> ExportFormat {
        try read(path: path, context: context, chunkSize: 1 << 20)
    }

    /// Files at least this large are tokenized on a second thread (`JSONTokenPrefetcher`).
    static let prefetchThreshold = 8 << 20

    /// `read(path:context:)` with a chosen read size (tests use tiny chunks to cross every boundary).
    /// - Parameter prefetch: tokenize on a second thread; by default for files of at least
    ///   ``prefetchThreshold`` bytes.
    static func read(path: String, context: ReadContext, chunkSize: Int, prefetch: Bool? = nil) throws
        -> ExportFormat
    {
        let tokenizer = try JSONTokenizer(path: path, chunkSize: chunkSize)
        guard prefetch ?? (ExportReader.fileSize(path) >= prefetchThreshold) else {
            return try read(tokenizer: tokenizer, context: context)
        }
        let prefetcher = JSONTokenPrefetcher(tokenizer: tokenizer)
        defer { prefetcher.finish() }
        return try read(tokenizer: JSONTokenizer(replaying: prefetcher), context: context)
    }

    /// Reads an export from any tokenizer (a file or bytes in memory).
    static func read(tokenizer: JSONTokenizer, context: ReadContext) throws -> ExportFormat {
        let dialect = try JSONEnvelopeReader(tokenizer: tokenizer, context: context).read()
        return ExportFormat(.json, dialect)
    }
}
