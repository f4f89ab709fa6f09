import CLibXML2

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Receives libxml2's structured errors for one reader, so a malformed document becomes one
/// `TeprovError` sentence and libxml2 itself prints nothing.
///
/// libxml2 calls `XMLParseErrorSink.callback` synchronously, on the thread that is reading, with
/// an opaque pointer to the sink; there is no global state.
final class XMLParseErrorSink {
    /// The first fatal (or error-level) problem libxml2 reported.
    struct Failure {
        var domain: Int32
        var code: Int32
        var message: String
        var line: Int
        /// Elements still open in the parser when the error was raised (0: outside the root).
        var openElements: Int
        /// The innermost open element's name, when one is open.
        var openElement: String?
        /// Raised after the last byte of the file, with no input left unparsed: a cut-off file.
        var atEndOfInput: Bool
        /// The document had a root element when the error was raised.
        var hadRoot: Bool
    }

    private let input: XMLFileInput
    /// The parse builds no tree (`XMLSAXParser`): open elements come from the parser's name stack, and
    /// whether the root was met from `sawElement`.
    private let treeless: Bool
    /// Set by a treeless parse once the root element has started.
    var sawElement = false

    init(input: XMLFileInput, treeless: Bool = false) {
        self.input = input
        self.treeless = treeless
    }

    private(set) var failure: Failure?
    /// `true` once libxml2 reported a problem after the document declared a DTD (internal subset):
    /// entity trouble in such a file is reported as the DTD refusal, not as libxml2's wording.
    private(set) var sawDTD = false
    /// Non-fatal namespace problems (an undeclared prefix, ...), reported as warnings by the reader.
    private(set) var pendingWarnings: [(line: Int, message: String)] = []
    private var warningCount = 0

    /// The C entry point libxml2 calls; `userData` is an unretained pointer to the sink.
    static let callback: xmlStructuredErrorFunc = { userData, error in
        guard let userData, let error else { return }
        let sink = Unmanaged<XMLParseErrorSink>.fromOpaque(userData).takeUnretainedValue()
        sink.receive(error.pointee)
    }

    func receive(_ error: xmlError) {
        var openElements = 0
        var openElement: String?
        var remaining = Int.max
        var hadRoot = false
        if error.domain == Int32(XML_FROM_PARSER.rawValue) || error.domain == Int32(XML_FROM_NAMESPACE.rawValue),
            let rawContext = error.ctxt
        {
            let parser = rawContext.assumingMemoryBound(to: xmlParserCtxt.self)
            if let document = parser.pointee.myDoc {
                if document.pointee.intSubset != nil { sawDTD = true }
                hadRoot = xmlDocGetRootElement(document) != nil
            }
            if let current = parser.pointee.input?.pointee, let cursor = current.cur, let end = current.end {
                remaining = end - cursor
            }
            openElements = Int(treeless ? parser.pointee.nameNr : parser.pointee.nodeNr)
            if treeless { hadRoot = sawElement }
            if let name = parser.pointee.name { openElement = String(cString: name) }
        }
        let message = XMLParseErrorSink.oneLine(error.message)
        switch error.level {
        case XML_ERR_WARNING, XML_ERR_NONE:
            return
        case XML_ERR_ERROR where error.domain == Int32(XML_FROM_NAMESPACE.rawValue):
            // Namespace errors are not fatal to libxml2; the reader keeps going, so do we, but say so.
            warningCount += 1
            if warningCount <= 3 { pendingWarnings.append((Int(error.line), message)) }
        default:
            if failure == nil {
                failure = Failure(
                    domain: Int32(error.domain), code: Int32(error.code), message: message, line: Int(error.line),
                    openElements: openElements,
                    openElement: openElement, atEndOfInput: input.exhausted && remaining <= 1, hadRoot: hadRoot)
            }
        }
    }

    var hasPendingWarnings: Bool { !pendingWarnings.isEmpty }

    /// Hands out the warnings gathered since the last call.
    func takeWarnings() -> [(line: Int, message: String)] {
        defer { pendingWarnings.removeAll() }
        return pendingWarnings
    }

    /// libxml2 messages end with a newline and sometimes carry a second line (`Bytes: 0xFF ...`).
    private static func oneLine(_ raw: UnsafeMutablePointer<CChar>?) -> String {
        guard let raw else { return "unknown XML error" }
        let parts = String(cString: raw).split(whereSeparator: \.isNewline).map {
            String($0.drop(while: { $0 == " " || $0 == "\t" }))
        }
        return parts.filter { !$0.isEmpty }.joined(separator: ", ")
    }

    /// The document error to throw for the recorded failure (or a generic one when libxml2 gave none).
    /// - Parameter parserLine: where the parser is, for problems libxml2 reports without a line.
    func documentError(context: ReadContext, parserLine: Int?) -> TeprovError {
        if sawDTD { return XMLParseErrorSink.dtdRefusal(context: context, line: failure?.line) }
        if let readError = input.readError {
            let reason = String(cString: strerror(readError))
            return TeprovError(.io, "cannot be read (\(reason)); check the file and the disk", file: context.path)
        }
        guard let failure else {
            return context.documentError(
                line: nil, "could not be parsed as XML (libxml2 gave no reason); check the file or export it again")
        }
        let line = failure.line > 0 ? failure.line : nil
        if failure.atEndOfInput && failure.openElements > 0 {
            let inside = failure.openElement.map { " inside <\($0)>" } ?? ""
            return context.documentError(
                line: line, "ends\(inside) before the XML is complete; the file is truncated, export it again")
        }
        if failure.domain == Int32(XML_FROM_I18N.rawValue) || failure.domain == Int32(XML_FROM_IO.rawValue) {
            return context.documentError(
                line: line ?? parserLine,
                "has bytes that are not valid in its encoding (\(failure.message)); save it as UTF-8 or as UTF-16 "
                    + "with a byte-order mark, or declare its real encoding in the XML declaration")
        }
        let noRoot =
            failure.code == Int32(XML_ERR_DOCUMENT_END.rawValue)
            || failure.code == Int32(XML_ERR_DOCUMENT_EMPTY.rawValue)
        if noRoot && !failure.hadRoot {
            return context.documentError(
                line: line, "has no XML root element (\(failure.message)); export the users again")
        }
        switch failure.code {
        case Int32(XML_ERR_INVALID_ENCODING.rawValue), Int32(XML_ERR_UNSUPPORTED_ENCODING.rawValue),
            Int32(XML_ERR_UNKNOWN_ENCODING.rawValue):
            return context.documentError(
                line: line,
                "has an encoding problem (\(failure.message)); save it as UTF-8 or as UTF-16 with a byte-order mark")
        case Int32(XML_ERR_INVALID_CHAR.rawValue) where failure.message.contains("UTF-8"):
            return context.documentError(
                line: line,
                "is not valid UTF-8 (\(failure.message)); save it as UTF-8 or as UTF-16 with a byte-order mark, "
                    + "or declare its real encoding in the XML declaration")
        default:
            break
        }
        return context.documentError(
            line: line, "is not well-formed XML (\(failure.message)); fix the XML or export the file again")
    }

    /// The refusal for any document type declaration, on the line of its `<!DOCTYPE` (libxml2 does not
    /// keep that line; `fallbackLine` is where the parser was, which may be a little further on).
    static func dtdRefusal(context: ReadContext, line fallbackLine: Int?) -> TeprovError {
        context.documentError(
            line: doctypeLine(path: context.path) ?? fallbackLine,
            "declares a DTD; teprov refuses DTDs and entities in exports (billion laughs / XXE protection), "
                + "export the users again without a DOCTYPE")
    }

    /// The 1-based line of the first `<!DOCTYPE` in the file's prologue (any encoding with a BOM), or `nil`.
    static func doctypeLine(path: String) -> Int? {
        guard let reader = try? UTF8ChunkReader(path: path, chunkSize: 64 * 1024) else { return nil }
        let marker = Array("<!DOCTYPE".utf8)
        var line = 1
        var matched = 0
        var chunk: [UInt8] = []
        var scanned = 0
        // A DOCTYPE precedes the root element, so the first megabyte is more than enough.
        while scanned < 1 << 20, (try? reader.read(into: &chunk)) == true {
            scanned += chunk.count
            for byte in chunk {
                if byte == UInt8(ascii: "\n") { line += 1 }
                matched = byte == marker[matched] ? matched + 1 : (byte == marker[0] ? 1 : 0)
                if matched == marker.count { return line }
            }
        }
        return nil
    }
}
