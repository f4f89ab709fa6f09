import CLibXML2
import Foundation

/// Reads DSML exports (SPEC §2): DSML v2 (`urn:oasis:names:tc:DSML:2:0:core`), bare or inside a SOAP
/// envelope, with or without a prefix, one or more `searchResponse`s; and DSML v1
/// (`http://www.dsml.org/DSML`, `directory-entries/entry`).
///
/// Each `searchResultEntry` (v1: `entry`) is a record: its `dn` is the attribute `dn`, each
/// `attr/@name` with its `value`s an attribute (two or more values: multi-valued). Binary values
/// are decoded by `DSMLBinaryValue`. Entries whose `objectClass` says they are not user accounts are
/// skipped (one summary warning). A `searchResultDone` with a non-zero result code, an
/// `errorResponse`, or a `searchResponse` without `searchResultDone` means the export is partial:
/// the file is refused.
///
/// The file is read by a SAX parse (`XMLSAXParser`): an entry's subtree (or a `searchResultDone`'s, an
/// `errorResponse`'s) is collected into an `XMLRecordTree` and read when its end tag arrives; other
/// responses and foreign elements are skipped, containers descended.
final class DSMLDialectReader: XMLSAXParser {
    enum Version { case v2, v1 }

    static let v2Namespace = "urn:oasis:names:tc:DSML:2:0:core"
    static let v1Namespace = "http://www.dsml.org/DSML"
    static let soapNamespaces = [
        "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope",
    ]
    static let schemaInstanceNamespace = "http://www.w3.org/2001/XMLSchema-instance"

    private let version: Version
    private let names: XMLAttributeNameTable
    private let builder: XMLRecordBuilder
    let vocabulary: Vocabulary
    private let dnEntry: XMLAttributeNameTable.Entry
    private let objectClassKeyID: Int
    private let tree = XMLRecordTree()
    private var referrals = 0
    private var firstReferralLine: Int?

    /// What the subtree being collected into `tree` is.
    private enum Collected {
        case entry(line: Int)
        case done(line: Int)
        case errorResponse(line: Int)
    }
    private var collecting: Collected?
    /// Inside a skipped subtree: how deep (0: not skipping).
    private var skippedDepth = 0
    /// The descended elements still open: `true` for a v2 `searchResponse`.
    private var openResponses: [Bool] = []
    private var responseDone = true
    private var responseLine = 0

    /// Interned names of the DSML vocabulary.
    struct Vocabulary {
        let namespace: UnsafePointer<xmlChar>
        let soap: [UnsafePointer<xmlChar>]
        let schemaInstance: UnsafePointer<xmlChar>
        let entry, attr, value, dn, name, type, encoding, objectclass, ocValue: UnsafePointer<xmlChar>
        let searchResponse, searchResultDone, searchResultReference, errorResponse, resultCode, code, descr,
            errorMessage, message, batchResponse, envelope, body: UnsafePointer<xmlChar>

        init(_ reader: XMLSAXDocument, version: Version) {
            namespace = reader.intern(version == .v2 ? DSMLDialectReader.v2Namespace : DSMLDialectReader.v1Namespace)
            soap = DSMLDialectReader.soapNamespaces.map(reader.intern)
            schemaInstance = reader.intern(DSMLDialectReader.schemaInstanceNamespace)
            entry = reader.intern(version == .v2 ? "searchResultEntry" : "entry")
            attr = reader.intern("attr")
            value = reader.intern("value")
            dn = reader.intern("dn")
            name = reader.intern("name")
            type = reader.intern("type")
            encoding = reader.intern("encoding")
            objectclass = reader.intern("objectclass")
            ocValue = reader.intern("oc-value")
            searchResponse = reader.intern("searchResponse")
            searchResultDone = reader.intern("searchResultDone")
            searchResultReference = reader.intern("searchResultReference")
            errorResponse = reader.intern("errorResponse")
            resultCode = reader.intern("resultCode")
            code = reader.intern("code")
            descr = reader.intern("descr")
            errorMessage = reader.intern("errorMessage")
            message = reader.intern("message")
            batchResponse = reader.intern("batchResponse")
            envelope = reader.intern("Envelope")
            body = reader.intern("Body")
        }
    }

    /// Reads the DSML file `input` from its start (its dialect already told by its root element).
    static func read(input: XMLFileInput, context: ReadContext, version: Version) throws {
        let reader = DSMLDialectReader(
            document: try XMLSAXDocument(input: input, path: context.path, handlers: XMLSAXParser.handlers),
            context: context,
            version: version)
        try reader.parse()
        reader.finish()
    }

    private init(document: XMLSAXDocument, context: ReadContext, version: Version) {
        self.version = version
        context.alwaysKeep = DirectoryRecordFixups.sourceKeys
        let names = XMLAttributeNameTable(context: context, aliases: .directory)
        self.names = names
        builder = XMLRecordBuilder(context: context, isDirectory: true, names: names)
        vocabulary = Vocabulary(document, version: version)
        dnEntry = names.resolve("dn")
        objectClassKeyID = names.keyID(of: "objectClass")
        super.init(document: document, context: context)
    }

    // MARK: Events

    override func startElement(_ tag: XMLStartTag) throws {
        if collecting != nil {
            tree.openElement(tag)
            return
        }
        if skippedDepth > 0 {
            skippedDepth += 1
            return
        }
        if tag.namespaceURI == vocabulary.namespace {
            switch tag.localName {
            case vocabulary.entry:
                collect(.entry(line: tag.line), tag)
                return
            case vocabulary.searchResponse where version == .v2:
                responseLine = tag.line
                responseDone = false
                openResponses.append(true)
                return
            case vocabulary.searchResultDone where version == .v2:
                collect(.done(line: tag.line), tag)
                return
            case vocabulary.searchResultReference where version == .v2:
                referrals += 1
                if firstReferralLine == nil { firstReferralLine = tag.line }
                skippedDepth = 1
                return
            case vocabulary.errorResponse where version == .v2:
                collect(.errorResponse(line: tag.line), tag)
                return
            case vocabulary.batchResponse where version == .v2:
                break  // descend
            default:
                // v1 containers (`dsml`, `directory-entries`) are descended; other v2 responses skipped.
                if version == .v2 {
                    skippedDepth = 1
                    return
                }
            }
        } else if !(tag.localName == vocabulary.envelope || tag.localName == vocabulary.body)
            || !vocabulary.soap.contains(where: { tag.namespaceURI == $0 })
        {
            skippedDepth = 1  // anything else than the SOAP envelope and body, which are descended
            return
        }
        openResponses.append(false)
    }

    override func endElement() throws {
        if let collected = collecting {
            guard tree.closeElement() else { return }
            collecting = nil
            switch collected {
            case .entry(let line): try readEntry(tree.root, line: line)
            case .done(let line):
                try checkDone(tree.root, line: line)
                responseDone = true
            case .errorResponse(let line): throw errorResponse(tree.root, line: line)
            }
            return
        }
        if skippedDepth > 0 {
            skippedDepth -= 1
            return
        }
        if openResponses.popLast() == true, !responseDone { throw missingDone(line: responseLine) }
    }

    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if collecting != nil { tree.appendText(bytes) }
    }

    private func collect(_ collected: Collected, _ tag: XMLStartTag) {
        tree.reset()
        tree.openElement(tag)
        collecting = collected
    }

    /// The end of the document: the summary warnings.
    private func finish() {
        builder.finishFile()
        if referrals > 0 {
            context.warn(
                line: firstReferralLine,
                "the search returned \(referrals) referral(s) (searchResultReference) that were not followed; "
                    + "entries held by other directory servers are not in this file")
        }
    }

    // MARK: Entries

    private func readEntry(_ entry: XMLTreeNode, line: Int) throws {
        builder.begin(line: line)
        let dn = entry.withAttribute(vocabulary.dn) { try? TextNormalization.value($0) } ?? nil
        if let dn, dnEntry.kept { builder.add(dnEntry, .string(dn)) }
        entry.forEachChildElement { child in
            if builder.isRejected { return }
            if child.is(vocabulary.attr, in: vocabulary.namespace) {
                readAttr(child)
            } else if version == .v1, child.is(vocabulary.objectclass, in: vocabulary.namespace) {
                readObjectClassV1(child)
            }
        }
        try builder.finish(label: dn.map { "entry \"\($0)\"" } ?? "entry")
    }

    private func readAttr(_ attr: XMLTreeNode) {
        guard let name = attr.withAttribute(vocabulary.name, { names.resolve($0) }) else {
            builder.reject("an attr element has no name attribute")
            return
        }
        let isObjectClass = name.keyID == objectClassKeyID
        guard name.kept || isObjectClass else { return }
        // Most attributes have one value: the list is made only for a second one.
        var count = 0
        var first = AttributeValue.bool(false)  // meaningful once `count` > 0
        var all: [AttributeValue] = []
        func append(_ value: AttributeValue) {
            switch count {
            case 0: first = value
            case 1:
                all.reserveCapacity(4)
                all.append(first)
                all.append(value)
            default: all.append(value)
            }
            count += 1
        }
        attr.forEachChildElement { value in
            guard value.is(vocabulary.value, in: vocabulary.namespace) else { return }
            if isBinary(value) {
                let outcome = value.withText { DSMLBinaryValue.decode($0, rawKey: name.rawKey, rawName: name.rawName) }
                switch outcome {
                case .value(let decoded): append(decoded)
                case .absent: break
                case .problem(let message): builder.reject(message)
                }
                return
            }
            // libxml2 hands out valid UTF-8 only, so normalisation cannot fail here.
            if let normalized = value.withText({ try? TextNormalization.value($0) }) {
                append(XMLRecordBuilder.untyped(normalized))
            }
        }
        if isObjectClass {
            if count > 1 {
                builder.noteObjectClasses(all.compactMap(\.scalarText))
            } else if count == 1, let text = first.scalarText {
                builder.noteObjectClass(text)
            } else {
                builder.noteObjectClasses([])
            }
        }
        guard name.kept, count > 0 else { return }
        builder.add(name, count == 1 ? first : .multi(all))
    }

    /// v2: `xsi:type="xsd:base64Binary"` (any prefix for the schema namespace); v1: `encoding="base64"`.
    @inline(__always)
    private func isBinary(_ value: XMLTreeNode) -> Bool {
        guard value.hasAttributes else { return false }
        if version == .v1 {
            return value.withAttribute(vocabulary.encoding) { $0.elementsEqual("base64".utf8) } ?? false
        }
        let declared =
            value.withAttribute(vocabulary.type, in: vocabulary.schemaInstance) { DSMLDialectReader.isBase64Type($0) }
            ?? value.withAttribute(vocabulary.type) { DSMLDialectReader.isBase64Type($0) }
        return declared ?? false
    }

    /// `true` for a QName whose local part is `base64Binary` (`xsd:base64Binary`, `xs:base64Binary`).
    static func isBase64Type(_ qualifiedName: UnsafeBufferPointer<UInt8>) -> Bool {
        let expected: StaticString = "base64Binary"
        let length = expected.utf8CodeUnitCount
        guard let base = qualifiedName.baseAddress, qualifiedName.count >= length else { return false }
        let localStart = qualifiedName.count - length
        // The local part is what follows the last colon: the whole name, or the text after a prefix.
        guard localStart == 0 || base[localStart - 1] == UInt8(ascii: ":") else { return false }
        return memcmp(base + localStart, expected.utf8Start, length) == 0
    }

    private func readObjectClassV1(_ element: XMLTreeNode) {
        let name = names.resolve("objectClass")
        var classes: [AttributeValue] = []
        element.forEachChildElement { ocValue in
            guard ocValue.is(vocabulary.ocValue, in: vocabulary.namespace) else { return }
            if let normalized = ocValue.withText({ try? TextNormalization.value($0) }) {
                classes.append(.string(normalized))
            }
        }
        builder.noteObjectClasses(classes.compactMap(\.scalarText))
        if name.kept, !classes.isEmpty { builder.add(name, classes.count == 1 ? classes[0] : .multi(classes)) }
    }
}
