/// Streaming CSV reader (SPEC §2). Placeholder signature; the implementation lands with its tests.
public enum CSVExportReader {
    public static func read(path: String, context: ReadContext) throws -> ExportFormat {
        throw TeprovError(.input, "CSV reading is being built", file: path)
    }
}
