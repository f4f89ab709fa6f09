import Foundation

/// Reads one `--users` (or `--deleted`) file of any SPEC §2 format, streaming its records.
public enum ExportReader {
    /// Reads `path`, sniffing its format from content, and streams valid records into `context`.
    /// - Returns: the file's summary (format, counts, attribute names, diagnostics).
    /// - Throws: `TeprovError(.input/.io)` for a document-level problem: nothing from the file is usable.
    public static func read(path: String, context: ReadContext) throws -> ReadSummary {
        let (family, encoding) = try sniff(path: path)
        let format: ExportFormat
        switch family {
        case .csv: format = try CSVExportReader.read(path: path, context: context)
        case .json: format = try JSONExportReader.read(path: path, context: context)
        case .xml: format = try XMLExportReader.read(path: path, context: context)
        }
        return context.summary(format: format, encoding: encoding)
    }

    /// Reads a whole file into memory as records (for small files and tests).
    public static func readAll(path: String, projection: AttributeProjection? = nil) throws -> (
        ReadSummary, [SourceRecord]
    ) {
        var records: [SourceRecord] = []
        let context = ReadContext(path: path, projection: projection) { records.append($0) }
        let summary = try read(path: path, context: context)
        return (summary, records)
    }

    /// The size in bytes of the file at `path` (0 when it cannot be told, e.g. a pipe): large files are
    /// read with a second thread.
    static func fileSize(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// The format family and text encoding of a file, from its first bytes.
    public static func sniff(path: String) throws -> (ExportFormat.Family, TextEncoding) {
        let reader = try UTF8ChunkReader(path: path, chunkSize: 64 * 1024)
        var chunk: [UInt8] = []
        guard try reader.read(into: &chunk) else {
            throw TeprovError(.input, "is empty; export the users again", file: path)
        }
        var family = ExportFormat.sniffFamily(chunk)
        // A file of whitespace only is empty too.
        if chunk.allSatisfy({ TextNormalization.isASCIISpace($0) }) {
            var more: [UInt8] = []
            var sawContent = false
            while try reader.read(into: &more) {
                if !more.allSatisfy({ TextNormalization.isASCIISpace($0) }) {
                    family = ExportFormat.sniffFamily(more)
                    sawContent = true
                    break
                }
            }
            if !sawContent { throw TeprovError(.input, "holds only whitespace; export the users again", file: path) }
        }
        return (family, reader.encoding)
    }
}
