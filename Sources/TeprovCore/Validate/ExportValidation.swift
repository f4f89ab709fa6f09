/// The result of `teprov validate` for the `--users` files: what was read from each, or why not.
public struct ExportValidation: Sendable {
    /// One file's outcome.
    public struct FileResult: Sendable {
        public var path: String
        /// Present when the file could be read.
        public var summary: ReadSummary?
        /// Present when the file could not be read (a document-level problem).
        public var error: TeprovError?
        /// The valid records, kept only when asked for (`--show-records`).
        public var records: [SourceRecord]
    }

    public var files: [FileResult]

    /// `true` when every file could be read (diagnostics alone do not fail validation).
    public var everyFileRead: Bool { files.allSatisfy { $0.error == nil } }

    /// Reads every file, continuing past files that fail so the report covers all of them.
    /// - Parameter projection: keep only these attributes (what `plan` reads for its config); `nil` keeps all.
    /// - Parameter onRecord: receives each valid record with the index of its file in `paths`.
    public static func run(
        paths: [String], keepRecords: Bool, projection: AttributeProjection? = nil,
        onRecord: ((SourceRecord, Int) -> Void)? = nil
    ) -> ExportValidation {
        var results: [FileResult] = []
        for (fileIndex, path) in paths.enumerated() {
            var records: [SourceRecord] = []
            let context = ReadContext(path: path, projection: projection) { record in
                if keepRecords { records.append(record) }
                onRecord?(record, fileIndex)
            }
            do {
                let summary = try ExportReader.read(path: path, context: context)
                results.append(FileResult(path: path, summary: summary, error: nil, records: records))
            } catch let error as TeprovError {
                results.append(FileResult(path: path, summary: nil, error: error, records: []))
            } catch {
                let wrapped = TeprovError(.input, "could not be read (\(error)); re-export the file", file: path)
                results.append(FileResult(path: path, summary: nil, error: wrapped, records: []))
            }
        }
        return ExportValidation(files: results)
    }

    /// Human-readable report: per file the format, counts, attribute names and every diagnostic.
    public func renderText() -> String {
        var lines: [String] = []
        for file in files {
            if let summary = file.summary {
                lines.append(
                    "\(file.path): \(summary.format) (\(summary.encoding.rawValue)), \(summary.records) records, "
                        + "\(summary.invalid) invalid")
                lines.append("  attributes: " + summary.attributeNames.joined(separator: ", "))
                for diagnostic in summary.diagnostics {
                    lines.append("  \(diagnostic.severity.rawValue): \(diagnostic.rendered)")
                }
            } else if let error = file.error {
                lines.append("\(file.path): not read: \(error)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Machine-readable report (`--format json`).
    public func renderJSON(extra: [(String, JSONValue)] = [], includeRecords: Bool = true) -> String {
        let fileValues: [JSONValue] = files.map { file in
            var members: [(String, JSONValue)] = [("path", .string(file.path))]
            if let summary = file.summary {
                members.append(("format", .string(summary.format.description)))
                members.append(("encoding", .string(summary.encoding.rawValue)))
                members.append(("records", .int(Int64(summary.records))))
                members.append(("invalid", .int(Int64(summary.invalid))))
                members.append(("attributes", .array(summary.attributeNames.map { .string($0) })))
                members.append(("diagnostics", .array(summary.diagnostics.map(\.jsonValue))))
            }
            if let error = file.error {
                var errorMembers: [(String, JSONValue)] = [("message", .string(error.message))]
                if let line = error.line { errorMembers.append(("line", .int(Int64(line)))) }
                members.append(("error", .object(errorMembers)))
            }
            if includeRecords, !file.records.isEmpty {
                members.append(("users", .array(file.records.map(\.jsonValue))))
            }
            return .object(members)
        }
        return JSONValue.object([("files", .array(fileValues))] + extra).serialized(style: .pretty)
    }
}

extension Diagnostic {
    /// `{severity, file, line, message}` as SPEC §2 describes a diagnostic.
    public var jsonValue: JSONValue {
        .object([
            ("severity", .string(severity.rawValue)),
            ("file", .string(file)),
            ("line", line.map { .int(Int64($0)) } ?? .null),
            ("message", .string(message)),
        ])
    }
}

extension SourceRecord {
    /// The record as a JSON object: its origin line, then its attributes in reading order.
    public var jsonValue: JSONValue {
        var members: [(String, JSONValue)] = [("_line", .int(Int64(origin.line)))]
        for field in fields { members.append((field.key.rawValue, field.value.jsonValue)) }
        return .object(members)
    }
}
