import CLibXML2

/// An export file opened for a SAX parse (`XMLSAXParser`): our descriptor on the file and libxml2's
/// parser context, whose dictionary interns names before the parse starts.
final class XMLSAXDocument {
    let input: XMLFileInput
    let parser: xmlParserCtxtPtr

    private static let parserReady: Void = { xmlInitParser() }()

    /// Prepares the parse of `input` from where it is (nothing is read until the parse).
    /// - Parameters:
    ///   - path: the file as the user named it (for the error message).
    ///   - handlers: the SAX2 callbacks (their user data is set by the parser).
    /// - Throws: `TeprovError(.io)` when libxml2 cannot start.
    init(input: XMLFileInput, path: String, handlers: xmlSAXHandler) throws {
        _ = XMLSAXDocument.parserReady
        var handlers = handlers
        guard
            let parser = xmlCreateIOParserCtxt(
                &handlers, nil, XMLFileInput.readCallback, nil, Unmanaged.passUnretained(input).toOpaque(),
                XML_CHAR_ENCODING_NONE)
        else {
            throw TeprovError(.io, "cannot start the XML parser (out of memory?); try again", file: path)
        }
        xmlCtxtUseOptions(parser, XMLStreamReader.options)
        self.input = input
        self.parser = parser
    }

    deinit {
        // Frees the parser before `input` (a stored property) is released.
        xmlFreeParserCtxt(parser)
    }

    /// Interns a name in the parser's dictionary, where libxml2 interns element and attribute names
    /// and namespace URIs: they then compare by pointer.
    func intern(_ name: String) -> UnsafePointer<xmlChar> {
        let interned = name.withCString {
            xmlDictLookup(parser.pointee.dict, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self), -1)
        }
        guard let interned else { preconditionFailure("libxml2 could not intern a name (out of memory)") }
        return interned
    }
}
