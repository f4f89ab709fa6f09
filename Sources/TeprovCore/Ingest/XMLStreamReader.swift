import CLibXML2

/// A hardened, streaming libxml2 `xmlTextReader` over one export file (SPEC §2 "XML").
///
/// - No network (`XML_PARSE_NONET`), no entity substitution (no `XML_PARSE_NOENT`), no DTD loading,
///   defaulting or validation; any `DOCTYPE` is refused as soon as the reader meets it, and an entity
///   reference node is refused too. libxml2's own amplification checks stop a "billion laughs" the
///   parser meets while reading ahead; that error is then reported as the DTD refusal.
/// - The file is read through a descriptor we opened (`XMLFileInput`, `xmlReaderForIO`), so libxml2
///   never interprets the path as a URL and never decompresses it; it detects UTF-8 and UTF-16 (BOM)
///   and honours a declared encoding itself.
/// - Records are read with `expandCurrent()` (the current element's subtree, parsed in full) and then
///   `skipCurrent()`, which frees it: memory stays bounded by one record.
final class XMLStreamReader {
    let context: ReadContext
    private let reader: xmlTextReaderPtr
    private let input: XMLFileInput
    private let errors: XMLParseErrorSink
    private let savedHandlers: teprov_xml_thread_error_handlers
    private var closed = false
    /// `true` when `skipCurrent()` already moved to the next node, which `next()` must then hand out.
    private var staged = false
    private var finished = false
    /// Line of the whitespace node just before the current node (for start tags past line 65534,
    /// whose own line libxml2 does not store).
    private var gapLine: Int?
    private var currentGapLine: Int?
    /// While `true`, namespace warnings wait instead of going to the context (set while the dialect is
    /// told: a dialect read by `XMLSAXParser` parses the file again and reports them itself).
    var defersWarnings = false

    private static let parserReady: Void = { xmlInitParser() }()

    static let options: Int32 = {
        let flags =
            XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
            | XML_PARSE_BIG_LINES.rawValue
        return Int32(bitPattern: UInt32(flags))
    }()

    /// Opens `path` for reading on the calling thread, which must also call every other method and
    /// `close()` (the reader routes that thread's libxml2 error handlers to itself until then).
    /// - Throws: `TeprovError(.io)` when the file cannot be opened.
    /// - Parameter input: the opened file (`XMLExportReader` keeps it to parse the file again with SAX).
    init(path: String, input: XMLFileInput? = nil, context: ReadContext) throws {
        _ = XMLStreamReader.parserReady
        self.context = context
        let input = try input ?? XMLFileInput(path: path)
        let errors = XMLParseErrorSink(input: input)
        let sinkPointer = Unmanaged.passUnretained(errors).toOpaque()
        // Problems libxml2 raises without a parser context (encoding conversion) go to the thread's handlers.
        let savedHandlers = teprov_xml_route_thread_errors(XMLStreamReader.errorCallback, sinkPointer)
        guard
            let reader = xmlReaderForIO(
                XMLFileInput.readCallback, nil, Unmanaged.passUnretained(input).toOpaque(), path, nil,
                XMLStreamReader.options)
        else {
            teprov_xml_restore_thread_errors(savedHandlers)
            throw TeprovError(.io, "cannot start the XML reader (out of memory?); try again", file: path)
        }
        self.input = input
        self.errors = errors
        self.reader = reader
        self.savedHandlers = savedHandlers
        xmlTextReaderSetStructuredErrorHandler(reader, XMLStreamReader.errorCallback, sinkPointer)
    }

    /// Frees the libxml2 reader and gives the thread its error handlers back.
    func close() {
        guard !closed else { return }
        closed = true
        xmlFreeTextReader(reader)
        teprov_xml_restore_thread_errors(savedHandlers)
    }

    deinit {
        // Frees the reader before `input` (a stored property) is released: libxml2 may still read.
        close()
    }

    private static let errorCallback: xmlStructuredErrorFunc = XMLParseErrorSink.callback

    // MARK: Moving

    /// Moves to the next node in document order.
    /// - Returns: `false` at the end of the document.
    /// - Throws: the document error for a not-well-formed document, a DTD or an entity reference.
    func next() throws -> Bool {
        if staged {
            staged = false
        } else {
            if finished { return false }
            let status = xmlTextReaderRead(reader)
            try settle(status)
            if status == 0 { return false }
        }
        try inspectCurrent()
        return true
    }

    /// Leaves the current node and its subtree; the following node is handed out by the next `next()`.
    func skipCurrent() throws {
        let status = xmlTextReaderNext(reader)
        try settle(status)
        staged = status == 1
    }

    /// Visits each child element of the root (the reader is on the root), with the line of its start tag,
    /// then skips its subtree; ends at the root's end tag. The dialect readers' top-level loop.
    func forEachChildOfRoot(_ body: (XMLNodeView, Int) throws -> Void) throws {
        guard !isEmptyElement else { return }
        while try next() {
            let type = nodeType
            if type == XMLNodeKind.endElement, depth == 0 { break }
            guard type == XMLNodeKind.element, let node = currentNode else { continue }
            try body(node, startLine)
            try skipCurrent()
        }
    }

    /// Parses the whole subtree of the current element and returns it (valid until the reader moves).
    func expandCurrent() throws -> XMLNodeView {
        guard let node = xmlTextReaderExpand(reader) else {
            finished = true
            throw errors.documentError(context: context, parserLine: Int(xmlTextReaderGetParserLineNumber(reader)))
        }
        try flushWarnings()
        return XMLNodeView(node)
    }

    private func settle(_ status: Int32) throws {
        if status < 0 {
            finished = true
            throw errors.documentError(context: context, parserLine: Int(xmlTextReaderGetParserLineNumber(reader)))
        }
        if status == 0 { finished = true }
        try flushWarnings()
    }

    private func flushWarnings() throws {
        if errors.sawDTD { throw XMLParseErrorSink.dtdRefusal(context: context, line: nil) }
        guard errors.hasPendingWarnings, !defersWarnings else { return }
        for warning in errors.takeWarnings() {
            context.warn(
                line: warning.line, "XML namespace problem (\(warning.message)); the value was read as written")
        }
    }

    @inline(__always)
    private func inspectCurrent() throws {
        let type = xmlTextReaderNodeType(reader)
        currentGapLine = gapLine
        switch type {
        case XMLNodeKind.element:
            gapLine = nil
        case XMLNodeKind.whitespace, XMLNodeKind.significantWhitespace:
            if let node = xmlTextReaderCurrentNode(reader) { gapLine = Int(xmlGetLineNo(node)) }
        case XMLNodeKind.documentType:
            throw XMLParseErrorSink.dtdRefusal(context: context, line: Int(xmlTextReaderGetParserLineNumber(reader)))
        case XMLNodeKind.entityReference, XMLNodeKind.entity:
            throw XMLParseErrorSink.dtdRefusal(context: context, line: Int(xmlTextReaderGetParserLineNumber(reader)))
        default:
            gapLine = nil
        }
    }

    // MARK: The current node

    @inline(__always) var nodeType: Int32 { xmlTextReaderNodeType(reader) }
    @inline(__always) var depth: Int32 { xmlTextReaderDepth(reader) }
    @inline(__always) var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// The current node itself (not expanded): enough for its name, namespace and attributes.
    var currentNode: XMLNodeView? {
        xmlTextReaderCurrentNode(reader).map(XMLNodeView.init)
    }

    /// The 1-based line of the current element's start tag.
    ///
    /// libxml2 stores element lines up to 65534 exactly; past that, the whitespace node just before
    /// the tag (whose line `XML_PARSE_BIG_LINES` keeps) gives it, and the parser's own position
    /// (which may be a few lines ahead) is the last resort.
    var startLine: Int {
        if let node = xmlTextReaderCurrentNode(reader) {
            let stored = Int(node.pointee.line)
            if stored > 0 && stored < 65535 { return stored }
        }
        if let currentGapLine { return currentGapLine }
        return Int(xmlTextReaderGetParserLineNumber(reader))
    }

    /// Interns a name in the reader's dictionary, so element and attribute names (which libxml2 interns
    /// in the same dictionary) compare by pointer.
    func intern(_ name: String) -> UnsafePointer<xmlChar> {
        let interned = name.withCString {
            xmlTextReaderConstString(reader, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self))
        }
        guard let interned else { preconditionFailure("libxml2 could not intern a name (out of memory)") }
        return interned
    }
}

/// libxml2's `xmlReaderTypes`, as the `Int32` `xmlTextReaderNodeType` returns.
enum XMLNodeKind {
    static let element = Int32(XML_READER_TYPE_ELEMENT.rawValue)
    static let text = Int32(XML_READER_TYPE_TEXT.rawValue)
    static let entityReference = Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue)
    static let entity = Int32(XML_READER_TYPE_ENTITY.rawValue)
    static let documentType = Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue)
    static let whitespace = Int32(XML_READER_TYPE_WHITESPACE.rawValue)
    static let significantWhitespace = Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue)
    static let endElement = Int32(XML_READER_TYPE_END_ELEMENT.rawValue)
}
