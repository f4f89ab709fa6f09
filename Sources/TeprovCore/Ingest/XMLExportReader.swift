import CLibXML2

/// Streaming XML reader (SPEC §2 "XML"): libxml2's `xmlTextReader`, hardened (`XMLStreamReader`),
/// with the dialect told by the root element's namespace URI and local name (never its prefix):
///
/// | root | dialect |
/// |---|---|
/// | `{urn:oasis:names:tc:DSML:2:0:core}*`, or a SOAP `Envelope` whose `Body` holds one | `dsml` |
/// | `{http://www.dsml.org/DSML}*` | `dsml-v1` |
/// | `{http://schemas.microsoft.com/powershell/2004/04}Objs` or `Obj` | `clixml` |
/// | `Objects` (no namespace) | `convertto-xml` |
/// | anything else | `generic` |
public enum XMLExportReader {
    /// Reads `path` and streams its records into `context`.
    /// - Returns: `xml/<dialect>`.
    /// - Throws: `TeprovError(.input)` for a document-level problem (not well-formed, a DTD, a partial
    ///   DSML search), `TeprovError(.io)` when the file cannot be opened.
    public static func read(path: String, context: ReadContext) throws -> ExportFormat {
        let input = try XMLFileInput(path: path)
        input.startRecording()
        let reader = try XMLStreamReader(path: path, input: input, context: context)
        defer { reader.close() }
        reader.defersWarnings = true
        guard try moveToRoot(reader) else {
            throw context.documentError(line: nil, "has no XML root element; export the users again")
        }
        let dialect = try detectDialect(reader)
        reader.defersWarnings = false
        switch dialect {
        // DSML and CLIXML need one record at a time and nothing else: a SAX parse from the start (the
        // bytes the reader already read are handed out again), which builds no libxml2 tree, is several
        // times cheaper than going on with the reader.
        case .dsml, .dsmlV1, .clixml:
            reader.close()
            input.rewind()
            if dialect == .clixml {
                try CLIXMLDialectReader.read(input: input, context: context)
            } else {
                try DSMLDialectReader.read(input: input, context: context, version: dialect == .dsml ? .v2 : .v1)
            }
        case .convertToXml:
            input.stopRecording()
            try XMLConvertToXmlDialectReader(reader: reader).read()
        case .generic:
            input.stopRecording()
            try XMLGenericDialectReader(reader: reader).read()
        }
        return ExportFormat(.xml, dialect.rawValue)
    }

    /// The XML dialects teprov reads.
    enum Dialect: String {
        case dsml
        case dsmlV1 = "dsml-v1"
        case clixml
        case convertToXml = "convertto-xml"
        case generic
    }

    private static func moveToRoot(_ reader: XMLStreamReader) throws -> Bool {
        while try reader.next() {
            if reader.nodeType == XMLNodeKind.element { return true }
        }
        return false
    }

    /// Tells the dialect from the root element. For a SOAP envelope the reader moves on to the first
    /// element inside `Body`, where the DSML reader then starts.
    private static func detectDialect(_ reader: XMLStreamReader) throws -> Dialect {
        guard let root = reader.currentNode else { return .generic }
        if root.isInNamespace(reader.intern(DSMLDialectReader.v2Namespace)) { return .dsml }
        if root.isInNamespace(reader.intern(DSMLDialectReader.v1Namespace)) { return .dsmlV1 }
        let powerShell = reader.intern(CLIXMLDialectReader.namespace)
        if root.isInNamespace(powerShell), root.isNamed(reader.intern("Objs")) || root.isNamed(reader.intern("Obj")) {
            return .clixml
        }
        if root.is(reader.intern("Objects"), in: nil) { return .convertToXml }
        let soap = DSMLDialectReader.soapNamespaces.map(reader.intern)
        if root.isNamed(reader.intern("Envelope")), soap.contains(where: { root.isInNamespace($0) }) {
            let line = reader.startLine
            let body = reader.intern("Body")
            let dsml = reader.intern(DSMLDialectReader.v2Namespace)
            while try reader.next() {
                guard reader.nodeType == XMLNodeKind.element, let node = reader.currentNode else { continue }
                if reader.depth == 1 {
                    if !node.isNamed(body) { try reader.skipCurrent() }  // the SOAP Header
                    continue
                }
                if node.isInNamespace(dsml) { return .dsml }
                break
            }
            throw reader.context.documentError(
                line: line,
                "is a SOAP envelope without a DSML v2 batchResponse in its Body; export the search response itself")
        }
        return .generic
    }
}
