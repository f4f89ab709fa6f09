/// Streaming JSON reader (SPEC §2). Placeholder signature; the implementation lands with its tests.
public enum JSONExportReader {
    public static func read(path: String, context: ReadContext) throws -> ExportFormat {
        throw TeprovError(.input, "JSON reading is being built", file: path)
    }
}
