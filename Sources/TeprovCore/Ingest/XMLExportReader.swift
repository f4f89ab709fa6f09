/// Streaming XML reader (SPEC §2). Placeholder signature; the implementation lands with its tests.
public enum XMLExportReader {
    public static func read(path: String, context: ReadContext) throws -> ExportFormat {
        throw TeprovError(.input, "XML reading is being built", file: path)
    }
}
