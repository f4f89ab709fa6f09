import CLibXML2

/// One start tag as libxml2's SAX2 parser reports it. Local names and namespace URIs are interned in
/// the parser's dictionary, so they compare by pointer with names from ``XMLSAXDocument/intern(_:)``.
struct XMLStartTag {
    /// The local name; for a prefix that names no declared namespace, the whole `prefix:name` (as the
    /// tree libxml2 builds names such an element).
    let localName: UnsafePointer<xmlChar>
    /// The namespace URI, or `nil` for no namespace.
    let namespaceURI: UnsafePointer<xmlChar>?
    /// libxml2's attribute array: five pointers per attribute (local name, prefix, URI, value, value end).
    let attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let attributeCount: Int
    /// 1-based line of the tag (the parser's line once it has read the tag, as libxml2 stores for nodes).
    let line: Int
    /// 0 for the root element.
    let depth: Int
    /// The parser's dictionary (for names built while the tag is read).
    let dictionary: OpaquePointer?
}

/// A hardened, streaming libxml2 SAX2 parse of one export file: no tree is built, which makes it several
/// times cheaper than `XMLStreamReader` for dialects that only need one record at a time (CLIXML).
/// A dialect reader subclasses it and overrides the event methods (a subclass is called without the
/// reference counting a handler object would cost on every event).
///
/// Same hardening as `XMLStreamReader` (SPEC §2 "XML"): no network, no entity substitution, no DTD
/// loading; a `DOCTYPE` or an entity reference stops the parse with the DTD refusal. The file is read
/// through a descriptor we opened (`XMLFileInput`); libxml2 detects UTF-8 and UTF-16 (BOM) and honours a
/// declared encoding. Errors become the same document errors as the reader's (`XMLParseErrorSink`).
class XMLSAXParser {
    let context: ReadContext
    let document: XMLSAXDocument
    private let errors: XMLParseErrorSink
    private var depth = 0
    private var handlerError: Error?
    private var refusedDTD = false

    /// The callbacks every parse installs (their user data is the parser).
    static var handlers: xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.startElementNs = XMLSAXParser.startElementCallback
        sax.endElementNs = XMLSAXParser.endElementCallback
        sax.characters = XMLSAXParser.charactersCallback
        sax.ignorableWhitespace = XMLSAXParser.charactersCallback
        sax.cdataBlock = XMLSAXParser.charactersCallback
        sax.internalSubset = XMLSAXParser.internalSubsetCallback
        sax.reference = XMLSAXParser.referenceCallback
        sax.serror = XMLSAXParser.errorCallback
        return sax
    }

    /// - Parameter document: opened with ``handlers``.
    init(document: XMLSAXDocument, context: ReadContext) {
        self.context = context
        self.document = document
        self.errors = XMLParseErrorSink(input: document.input, treeless: true)
        document.parser.pointee.userData = Unmanaged.passUnretained(self).toOpaque()
    }

    // MARK: Events (overridden by the dialect reader)

    /// An element starts; `tag` and its pointers are valid only during the call.
    func startElement(_ tag: XMLStartTag) throws {}

    /// The element started last (and not yet ended) ends.
    func endElement() throws {}

    /// Text (character data, CDATA, whitespace); one run of text may arrive in several pieces.
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) {}

    // MARK: Parsing

    /// Parses the whole document on the calling thread, calling the event methods.
    /// - Throws: what an event method threw; the DTD refusal; the document error for a document that
    ///   is not well-formed or cannot be decoded; `TeprovError(.io)` when the file cannot be read.
    final func parse() throws {
        let parser = document.parser
        let sinkPointer = Unmanaged.passUnretained(errors).toOpaque()
        // Problems libxml2 raises without a parser context (encoding conversion) go to the thread's handlers.
        let savedHandlers = teprov_xml_route_thread_errors(XMLParseErrorSink.callback, sinkPointer)
        let status = xmlParseDocument(parser)
        teprov_xml_restore_thread_errors(savedHandlers)
        if let handlerError { throw handlerError }
        if refusedDTD || errors.sawDTD {
            throw XMLParseErrorSink.dtdRefusal(context: context, line: currentLine)
        }
        if status != 0 || parser.pointee.wellFormed == 0 {
            throw errors.documentError(context: context, parserLine: currentLine)
        }
        flushWarnings()
    }

    /// The parser's current line.
    private var currentLine: Int { Int(document.parser.pointee.input?.pointee.line ?? 0) }

    /// Reports the namespace problems libxml2 raised so far as warnings.
    final func flushWarnings() {
        guard errors.hasPendingWarnings else { return }
        for warning in errors.takeWarnings() {
            context.warn(
                line: warning.line, "XML namespace problem (\(warning.message)); the value was read as written")
        }
    }

    /// Stops the parse after an event method's error or a refusal; libxml2 delivers no further events.
    private func stop(_ error: Error?) {
        if handlerError == nil, let error { handlerError = error }
        xmlStopParser(document.parser)
    }

    @inline(__always)
    private final func receiveStart(
        _ localName: UnsafePointer<xmlChar>, _ prefix: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?,
        _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, _ attributeCount: Int
    ) {
        guard handlerError == nil else { return }
        errors.sawElement = true
        if errors.hasPendingWarnings { flushWarnings() }
        let dictionary = document.parser.pointee.dict
        var name = localName
        if prefix != nil, uri == nil, let qualified = xmlDictQLookup(dictionary, prefix, localName) {
            name = qualified  // an undeclared prefix (a namespace warning): named as libxml2's tree names it
        }
        let tag = XMLStartTag(
            localName: name, namespaceURI: uri, attributes: attributes, attributeCount: attributeCount,
            line: currentLine, depth: depth, dictionary: dictionary)
        depth += 1
        do { try startElement(tag) } catch { stop(error) }
    }

    @inline(__always)
    private final func receiveEnd() {
        depth -= 1
        guard handlerError == nil else { return }
        do { try endElement() } catch { stop(error) }
    }

    private static let startElementCallback: startElementNsSAX2Func = {
        userData, localName, prefix, uri, _, _, attributeCount, _, attributes in
        guard let userData, let localName else { return }
        Unmanaged<XMLSAXParser>.fromOpaque(userData)._withUnsafeGuaranteedRef {
            $0.receiveStart(localName, prefix, uri, attributes, Int(attributeCount))
        }
    }

    private static let endElementCallback: endElementNsSAX2Func = { userData, _, _, _ in
        guard let userData else { return }
        Unmanaged<XMLSAXParser>.fromOpaque(userData)._withUnsafeGuaranteedRef { $0.receiveEnd() }
    }

    private static let charactersCallback: charactersSAXFunc = { userData, characters, length in
        guard let userData, let characters, length > 0 else { return }
        Unmanaged<XMLSAXParser>.fromOpaque(userData)._withUnsafeGuaranteedRef {
            $0.characters(UnsafeBufferPointer(start: characters, count: Int(length)))
        }
    }

    /// A `DOCTYPE`: refused before its declarations are read.
    private static let internalSubsetCallback: internalSubsetSAXFunc = { userData, _, _, _ in
        guard let userData else { return }
        Unmanaged<XMLSAXParser>.fromOpaque(userData)._withUnsafeGuaranteedRef {
            $0.refusedDTD = true
            $0.stop(nil)
        }
    }

    /// An entity reference left unexpanded (only possible with declared entities): refused like a DTD.
    private static let referenceCallback: referenceSAXFunc = { userData, _ in
        guard let userData else { return }
        Unmanaged<XMLSAXParser>.fromOpaque(userData)._withUnsafeGuaranteedRef {
            $0.refusedDTD = true
            $0.stop(nil)
        }
    }

    private static let errorCallback: xmlStructuredErrorFunc = { userData, error in
        guard let userData, let error else { return }
        Unmanaged<XMLSAXParser>.fromOpaque(userData)._withUnsafeGuaranteedRef { $0.errors.receive(error.pointee) }
    }
}

extension XMLStartTag {
    /// Calls `body` with each attribute: its namespace URI (or `nil`), its interned local name (for a
    /// prefix that names no declared namespace, the whole `prefix:name`), and its value as UTF-8 bytes
    /// (entities already resolved by libxml2).
    @inline(__always)
    func forEachAttribute(
        _ body: (UnsafePointer<xmlChar>?, UnsafePointer<xmlChar>, UnsafeBufferPointer<UInt8>) throws -> Void
    ) rethrows {
        guard let attributes else { return }
        for index in 0..<attributeCount {
            let slot = attributes + index * 5
            guard var name = slot[0], let value = slot[3], let end = slot[4] else { continue }
            if slot[1] != nil, slot[2] == nil, let qualified = xmlDictQLookup(dictionary, slot[1], name) {
                name = qualified
            }
            try body(slot[2], name, UnsafeBufferPointer(start: value, count: end - value))
        }
    }
}
