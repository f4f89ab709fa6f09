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
final class DSMLDialectReader {
    enum Version { case v2, v1 }

    static let v2Namespace = "urn:oasis:names:tc:DSML:2:0:core"
    static let v1Namespace = "http://www.dsml.org/DSML"
    static let soapNamespaces = [
        "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope",
    ]
    static let schemaInstanceNamespace = "http://www.w3.org/2001/XMLSchema-instance"

    private let reader: XMLStreamReader
    private let context: ReadContext
    private let version: Version
    private let names: XMLAttributeNameTable
    private let builder: XMLRecordBuilder
    private let vocabulary: Vocabulary
    private let dnEntry: XMLAttributeNameTable.Entry
    private let objectClassKeyID: Int
    private var text: [UInt8] = []
    /// Buffers reused from value to value; moved into a local while an entry is read, so the hot
    /// loop works on a local variable rather than on class properties.
    private var scratch = Scratch()
    private var referrals = 0
    private var firstReferralLine: Int?

    private struct Scratch {
        var text: [UInt8] = []
        var values: [AttributeValue] = []
    }

    /// Interned names of the DSML vocabulary.
    private struct Vocabulary {
        let namespace: UnsafePointer<xmlChar>
        let soap: [UnsafePointer<xmlChar>]
        let schemaInstance: UnsafePointer<xmlChar>
        let entry, attr, value, dn, name, type, encoding, objectclass, ocValue: UnsafePointer<xmlChar>
        let searchResponse, searchResultDone, searchResultReference, errorResponse, resultCode, code, descr,
            errorMessage, message, batchResponse, envelope, body: UnsafePointer<xmlChar>

        init(_ reader: XMLStreamReader, version: Version) {
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

    init(reader: XMLStreamReader, version: Version) {
        self.reader = reader
        self.context = reader.context
        self.version = version
        reader.context.alwaysKeep = DirectoryRecordFixups.sourceKeys
        names = XMLAttributeNameTable(context: reader.context, aliases: .directory)
        builder = XMLRecordBuilder(context: reader.context, isDirectory: true)
        vocabulary = Vocabulary(reader, version: version)
        dnEntry = names.resolve("dn")
        objectClassKeyID = names.keyID(of: "objectClass")
    }

    /// Reads the document; the reader is on the root element's start tag.
    func read() throws {
        var responseDone = true
        var responseLine = 0
        repeat {
            let type = reader.nodeType
            guard let node = reader.currentNode else { continue }
            if type == XMLNodeKind.endElement {
                if version == .v2, node.is(vocabulary.searchResponse, in: vocabulary.namespace), !responseDone {
                    throw missingDone(line: responseLine)
                }
                continue
            }
            guard type == XMLNodeKind.element else { continue }
            if node.isInNamespace(vocabulary.namespace) {
                switch node.localName {
                case vocabulary.entry:
                    let line = reader.startLine
                    try readEntry(try reader.expandCurrent(), line: line)
                    try reader.skipCurrent()
                case vocabulary.searchResponse where version == .v2:
                    responseLine = reader.startLine
                    if reader.isEmptyElement { throw missingDone(line: responseLine) }
                    responseDone = false
                case vocabulary.searchResultDone where version == .v2:
                    let line = reader.startLine
                    try checkDone(try reader.expandCurrent(), line: line)
                    responseDone = true
                    try reader.skipCurrent()
                case vocabulary.searchResultReference where version == .v2:
                    referrals += 1
                    if firstReferralLine == nil { firstReferralLine = reader.startLine }
                    try reader.skipCurrent()
                case vocabulary.errorResponse where version == .v2:
                    let line = reader.startLine
                    throw errorResponse(try reader.expandCurrent(), line: line)
                case vocabulary.batchResponse where version == .v2:
                    break  // descend
                default:
                    // v1 containers (`dsml`, `directory-entries`) are descended; other v2 responses skipped.
                    if version == .v2 { try reader.skipCurrent() }
                }
            } else if vocabulary.soap.contains(where: { node.isInNamespace($0) }),
                node.isNamed(vocabulary.envelope) || node.isNamed(vocabulary.body)
            {
                continue  // descend into the SOAP envelope and body
            } else {
                try reader.skipCurrent()
            }
        } while try reader.next()
        builder.finishFile()
        if referrals > 0 {
            context.warn(
                line: firstReferralLine,
                "the search returned \(referrals) referral(s) (searchResultReference) that were not followed; "
                    + "entries held by other directory servers are not in this file")
        }
    }

    // MARK: Entries

    private func readEntry(_ entry: XMLNodeView, line: Int) throws {
        builder.begin(line: line)
        let dn = entry.withAttribute(vocabulary.dn) { try? TextNormalization.value($0) } ?? nil
        if let dn, dnEntry.kept { builder.add(dnEntry, .string(dn)) }
        var scratch = self.scratch
        self.scratch = Scratch()
        defer { self.scratch = scratch }
        entry.forEachChildElement { child in
            if builder.isRejected { return }
            if child.isNamed(vocabulary.attr), child.isInNamespace(vocabulary.namespace, like: entry) {
                readAttr(child, entry: entry, &scratch)
            } else if version == .v1, child.is(vocabulary.objectclass, in: vocabulary.namespace) {
                readObjectClassV1(child)
            }
        }
        try builder.finish(label: dn.map { "entry \"\($0)\"" } ?? "entry")
    }

    private func readAttr(_ attr: XMLNodeView, entry: XMLNodeView, _ scratch: inout Scratch) {
        guard let name = attr.withAttribute(vocabulary.name, { names.resolve($0) }) else {
            builder.reject("an attr element has no name attribute")
            return
        }
        let isObjectClass = name.keyID == objectClassKeyID
        guard name.kept || isObjectClass else { return }
        scratch.values.removeAll(keepingCapacity: true)
        attr.forEachChildElement { value in
            guard value.isNamed(vocabulary.value), value.isInNamespace(vocabulary.namespace, like: entry) else {
                return
            }
            scratch.text.removeAll(keepingCapacity: true)
            guard value.appendText(to: &scratch.text) else {
                builder.reject("a value of \(name.rawName) contains an entity reference")
                return
            }
            if isBinary(value) {
                let outcome = scratch.text.withUnsafeBufferPointer {
                    DSMLBinaryValue.decode($0, rawKey: name.rawKey, rawName: name.rawName)
                }
                switch outcome {
                case .value(let decoded): scratch.values.append(decoded)
                case .absent: break
                case .problem(let message): builder.reject(message)
                }
                return
            }
            // libxml2 hands out valid UTF-8 only, so normalisation cannot fail here.
            if let normalized = scratch.text.withUnsafeBufferPointer({ try? TextNormalization.value($0) }) {
                scratch.values.append(XMLRecordBuilder.untyped(normalized))
            }
        }
        if isObjectClass { builder.noteObjectClasses(scratch.values.compactMap(\.scalarText)) }
        guard name.kept, !scratch.values.isEmpty else { return }
        builder.add(name, scratch.values.count == 1 ? scratch.values[0] : .multi(scratch.values))
    }

    /// v2: `xsi:type="xsd:base64Binary"` (any prefix for the schema namespace); v1: `encoding="base64"`.
    @inline(__always)
    private func isBinary(_ value: XMLNodeView) -> Bool {
        guard value.node.pointee.properties != nil else { return false }
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
        let local = qualifiedName.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).last
        return local?.elementsEqual("base64Binary".utf8) ?? false
    }

    private func readObjectClassV1(_ element: XMLNodeView) {
        let name = names.resolve("objectClass")
        var classes: [AttributeValue] = []
        element.forEachChildElement { ocValue in
            guard ocValue.is(vocabulary.ocValue, in: vocabulary.namespace) else { return }
            text.removeAll(keepingCapacity: true)
            ocValue.appendText(to: &text)
            if let normalized = text.withUnsafeBufferPointer({ try? TextNormalization.value($0) }) {
                classes.append(.string(normalized))
            }
        }
        builder.noteObjectClasses(classes.compactMap(\.scalarText))
        if name.kept, !classes.isEmpty { builder.add(name, classes.count == 1 ? classes[0] : .multi(classes)) }
    }

    // MARK: Search results

    private func checkDone(_ done: XMLNodeView, line: Int) throws {
        var code: String?
        var description: String?
        var message: String?
        done.forEachChildElement { child in
            if child.is(vocabulary.resultCode, in: vocabulary.namespace) {
                code = child.withAttribute(vocabulary.code) { String(decoding: $0, as: UTF8.self) }
                description = child.withAttribute(vocabulary.descr) { String(decoding: $0, as: UTF8.self) }
            } else if child.is(vocabulary.errorMessage, in: vocabulary.namespace) {
                message = elementText(child)
            }
        }
        guard let code else {
            throw context.documentError(
                line: line, "has a searchResultDone without a resultCode; the export may be partial, export it again")
        }
        guard code.trimmingCharacters(in: .whitespacesAndNewlines) != "0" else { return }
        let details = [description, message].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        throw context.documentError(
            line: line,
            "the directory search ended with result code \(code)\(details.isEmpty ? "" : " (\(details))"), "
                + "so the export is partial and is refused; raise the size limit or page the search, then export again")
    }

    private func errorResponse(_ element: XMLNodeView, line: Int) -> TeprovError {
        let type = element.withAttribute(vocabulary.type) { String(decoding: $0, as: UTF8.self) } ?? "unknown"
        var message = ""
        element.forEachChildElement { child in
            if child.isNamed(vocabulary.message) || child.isNamed(vocabulary.errorMessage) {
                message = elementText(child) ?? ""
            }
        }
        let details = message.isEmpty ? "" : ": \(message)"
        return context.documentError(
            line: line,
            "holds a DSML errorResponse (\(type)\(details)), so the export is partial and is refused; "
                + "fix the request and export again")
    }

    private func missingDone(line: Int) -> TeprovError {
        context.documentError(
            line: line,
            "has a searchResponse without searchResultDone, so the export may be partial and is refused; "
                + "export the users again")
    }

    private func elementText(_ element: XMLNodeView) -> String? {
        text.removeAll(keepingCapacity: true)
        element.appendText(to: &text)
        return text.withUnsafeBufferPointer { try? TextNormalization.value($0) } ?? nil
    }
}
