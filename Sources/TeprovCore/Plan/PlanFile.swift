#if canImport(Glibc)
    import Glibc
#endif

/// Writing plans atomically and reading them back with their digest checked (SPEC §7).
public enum PlanFile {
    /// Writes `plan` (JSON in the plan layout, `JSONValue.Style.plan`, members in canonical order) to `path` through a temporary file and a
    /// rename, fsync'ed.
    public static func write(_ plan: Plan, to path: String) throws {
        try PlanFileWriter.write(plan, to: path)
    }

    /// Computes `plan`'s digest while writing it to `path` (as `write` would write the sealed plan), in one
    /// serialization pass; returns the sealed plan. For a plan built with `PlanPipeline.Options.seal` off.
    public static func writeSealing(_ plan: Plan, to path: String) throws -> Plan {
        try PlanFileWriter.writeSealing(plan, to: path)
    }

    /// A plan read from disk, with the outcome of the digest check.
    public struct Loaded: Sendable {
        public var plan: Plan
        /// The raw document, for renderers that want every field. A file read in one streaming pass holds
        /// exactly the fields of `plan`, so its document is `plan.jsonValue()`, built when asked for.
        public var document: JSONValue { readDocument ?? plan.jsonValue() }
        /// The tree of a file read as a tree (`nil` when it was streamed).
        var readDocument: JSONValue?
        /// `true` when the recorded digest equals the digest of the content.
        public var digestVerified: Bool
        public var computedDigest: String
        /// `true` when the file was verified and decoded in one streaming pass (a file `write` made), `false`
        /// when it had to be read as a tree (members in another order, unknown fields, or not a plan).
        public var wasStreamed: Bool { readDocument == nil }
        /// `true` when the file's bytes are exactly `document.serialized(style: .plan)`, so the document's
        /// JSON can be copied from the file; only found out when `load` is asked to check the layout.
        public var fileIsDocumentText = false
    }

    /// Reads a plan file: in one streaming pass when it is laid out as `write` lays it out, as a tree
    /// otherwise; both give the same plan and the same digest verdict.
    ///
    /// A streamed file whose digest does not verify is read again as a tree, so a refusal never rests on
    /// the streaming path alone (it costs a second pass only for edited or damaged files).
    /// - Parameter checkingLayout: also compare the file with the document's plan layout
    ///   (`Loaded.fileIsDocumentText`), reading it a second time; for `show --format json`.
    /// - Throws: `TeprovError(.input)` when it is not a teprov plan (malformed JSON, wrong formatVersion, missing fields).
    public static func load(path: String, checkingLayout: Bool = false) throws -> Loaded {
        if let streamed = try? PlanStreamReader(path: path, checkingLayout: checkingLayout).read(),
            streamed.plan.digest == streamed.computedDigest
        {
            var loaded = Loaded(
                plan: streamed.plan, readDocument: nil, digestVerified: true, computedDigest: streamed.computedDigest)
            loaded.fileIsDocumentText = streamed.fileIsDocumentText
            return loaded
        }
        return try loadTree(path: path)
    }

    /// Reads a plan file as a `JSONValue` tree, serializes it canonically for the digest, then decodes it.
    static func loadTree(path: String) throws -> Loaded {
        let tokenizer = try JSONTokenizer(path: path)
        let document = try tokenizer.readValue()
        try tokenizer.expectEndOfInput()
        guard case .object(let members) = document else {
            throw TeprovError(
                .input, "is not a teprov plan (expected a JSON object); pass a file written by teprov plan", file: path)
        }
        let withoutDigest = JSONValue.object(members.filter { $0.0 != "digest" })
        var canonical: [UInt8] = []
        withoutDigest.write(into: &canonical, style: .canonical)
        let computed = "sha256:" + SHA256Digest.hex(of: canonical)
        let plan = try PlanDecoder(path: path).decode(document)
        return Loaded(
            plan: plan, readDocument: document, digestVerified: plan.digest == computed, computedDigest: computed)
    }
}

/// Writes files atomically: a temporary file beside the target, fsync, rename, fsync of the directory.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { fd in
            if let failure = DescriptorWrite.all(bytes, to: fd) { throw PlanFileWriteError(code: failure) }
        }
    }

    /// Creates a temporary file beside `path`, lets `body` write it, then fsyncs it, renames it over
    /// `path` and fsyncs the directory; on any failure the temporary file is removed and `path` is left
    /// as it was.
    static func write(to path: String, _ body: (Int32) throws -> Void) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw TeprovError(
                .io, "cannot be written (\(String(cString: strerror(errno)))); check the directory", file: path)
        }
        var failure: Int32?
        do {
            try body(fd)
            if fsync(fd) != 0 { failure = errno }
        } catch let error as PlanFileWriteError {
            failure = error.code
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        if let failure {
            unlink(temporary)
            throw TeprovError(
                .io, "cannot be written (\(String(cString: strerror(failure)))); check free space", file: path)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw TeprovError(.io, "cannot be replaced (\(reason)); check the directory's permissions", file: path)
        }
        let directory = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
        let directoryFD = open(directory.isEmpty ? "/" : directory, O_RDONLY)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }
}
