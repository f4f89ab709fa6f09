import CLibXML2

/// Reads PowerShell `Export-Clixml` files (SPEC §2), e.g. `Get-ADUser … | Export-Clixml users.xml`.
///
/// Each top-level `Obj` (a child of `Objs`) is a record; the children of its `Props` and `MS` that
/// carry a name (`N`) are its attributes. Typed elements keep their types (`CLIXMLTypedValue`);
/// `TN`/`TNRef` type names are ignored; a `Ref` to an earlier object takes that object's value.
/// Objects whose `ObjectClass` is not a user account are skipped like DSML entries.
///
/// The file is read by a SAX parse (`XMLSAXParser`): each record's subtree is collected into an
/// `XMLRecordTree` and read when its end tag arrives, so no libxml2 tree is built or freed.
final class CLIXMLDialectReader: XMLSAXParser {
    static let namespace = "http://schemas.microsoft.com/powershell/2004/04"

    private let names: XMLAttributeNameTable
    private let builder: XMLRecordBuilder
    private let vocabulary: CLIXMLVocabulary
    private let values: CLIXMLTypedValue
    private let tree = XMLRecordTree()
    private let objectClassKeyID: Int
    private var nonObjects = 0
    private var sawProperty = false
    private var firstNonObjectLine: Int?
    /// The root is a lone `Obj` (one record) rather than `Objs`.
    private var rootIsObject = false
    /// A record's subtree is being collected.
    private var inRecord = false
    private var recordLine = 0

    /// Reads the CLIXML file `input` from its start (its root already known to be PowerShell's `Objs` or
    /// `Obj`).
    static func read(input: XMLFileInput, context: ReadContext) throws {
        let reader = CLIXMLDialectReader(
            document: try XMLSAXDocument(input: input, path: context.path, handlers: XMLSAXParser.handlers),
            context: context)
        try reader.parse()
        reader.finish()
    }

    private override init(document: XMLSAXDocument, context: ReadContext) {
        context.alwaysKeep = DirectoryRecordFixups.sourceKeys
        vocabulary = CLIXMLVocabulary(document)
        let names = XMLAttributeNameTable(context: context, aliases: .directory) { CLIXMLText.decodedString($0) }
        self.names = names
        builder = XMLRecordBuilder(context: context, isDirectory: true, names: names)
        values = CLIXMLTypedValue(vocabulary: vocabulary)
        objectClassKeyID = names.keyID(of: "ObjectClass")
        super.init(document: document, context: context)
    }

    // MARK: Events

    override func startElement(_ tag: XMLStartTag) throws {
        if inRecord {
            tree.openElement(tag)
            return
        }
        switch tag.depth {
        case 0:
            rootIsObject = tag.localName == vocabulary.obj
            if rootIsObject { beginRecord(tag) }
        case 1 where !rootIsObject:
            if tag.localName == vocabulary.obj, tag.namespaceURI == vocabulary.namespace {
                beginRecord(tag)
            } else {
                nonObjects += 1
                if firstNonObjectLine == nil { firstNonObjectLine = tag.line }
            }
        default:
            break
        }
    }

    override func endElement() throws {
        guard inRecord, tree.closeElement() else { return }
        inRecord = false
        try readRecord(tree.root, line: recordLine)
    }

    override func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if inRecord { tree.appendText(bytes) }
    }

    private func beginRecord(_ tag: XMLStartTag) {
        tree.reset()
        tree.openElement(tag)
        inRecord = true
        recordLine = tag.line
    }

    /// The end of the document: the summary warnings.
    private func finish() {
        builder.finishFile()
        if nonObjects > 0 {
            context.warn(
                line: firstNonObjectLine,
                "ignored \(nonObjects) top-level value(s) that are not objects (only <Obj> elements are users)")
        }
    }

    // MARK: Records

    private func readRecord(_ object: XMLTreeNode, line: Int) throws {
        builder.begin(line: line)
        var label: String?
        sawProperty = false
        object.forEachChildElement { child in
            guard child.isInNamespace(vocabulary.namespace) else { return }
            switch child.localName {
            case vocabulary.toString:
                label = values.text(of: child)
            case vocabulary.props, vocabulary.memberSet:
                child.forEachChildElement(readProperty)
            default:
                break
            }
        }
        if let refId = values.refId(of: object) { values.references.remember(refId, label.map { .string($0) }) }
        if !sawProperty { builder.reject("has no properties (Props or MS), so it is not a user object") }
        try builder.finish(label: label.map { "object \"\($0)\"" } ?? "object")
    }

    private func readProperty(_ property: XMLTreeNode) {
        guard !builder.isRejected, property.isInNamespace(vocabulary.namespace),
            let name = property.withAttribute(vocabulary.name, { names.resolve($0) })
        else { return }
        sawProperty = true
        let isObjectClass = name.keyID == objectClassKeyID
        // Objects are always resolved: a later Ref may point at them from a kept property.
        guard name.kept || isObjectClass || property.isNamed(vocabulary.obj) else { return }
        switch values.value(of: property) {
        case .absent:
            break
        case .value(let value):
            if isObjectClass {
                if case .multi(let list) = value {
                    builder.noteObjectClasses(list.compactMap(\.scalarText))
                } else if let text = value.scalarText {
                    builder.noteObjectClass(text)
                }
            }
            if name.kept { builder.add(name, value) }
        case .problem(let message):
            if name.kept || isObjectClass { builder.reject("\(name.rawName) \(message)") }
        }
    }
}

/// Interned names of the CLIXML vocabulary (PowerShell's `SerializationStrings`).
struct CLIXMLVocabulary {
    let namespace: UnsafePointer<xmlChar>
    let obj, ref, refId, name, toString, props, memberSet, nilValue: UnsafePointer<xmlChar>
    let string, bool, dateTime, guid, int32, int64, uint32, double: UnsafePointer<xmlChar>
    let int16, uint16, uint64, byte, signedByte, single, decimal, char, bytes, secureString: UnsafePointer<xmlChar>
    let list, enumerable, stack, queue: UnsafePointer<xmlChar>

    init(_ reader: XMLSAXDocument) {
        namespace = reader.intern(CLIXMLDialectReader.namespace)
        obj = reader.intern("Obj")
        ref = reader.intern("Ref")
        refId = reader.intern("RefId")
        name = reader.intern("N")
        toString = reader.intern("ToString")
        props = reader.intern("Props")
        memberSet = reader.intern("MS")
        nilValue = reader.intern("Nil")
        string = reader.intern("S")
        bool = reader.intern("B")
        dateTime = reader.intern("DT")
        guid = reader.intern("G")
        int32 = reader.intern("I32")
        int64 = reader.intern("I64")
        uint32 = reader.intern("U32")
        double = reader.intern("Db")
        int16 = reader.intern("I16")
        uint16 = reader.intern("U16")
        uint64 = reader.intern("U64")
        byte = reader.intern("By")
        signedByte = reader.intern("SB")
        single = reader.intern("Sg")
        decimal = reader.intern("D")
        char = reader.intern("C")
        bytes = reader.intern("BA")
        secureString = reader.intern("SS")
        list = reader.intern("LST")
        enumerable = reader.intern("IE")
        stack = reader.intern("STK")
        queue = reader.intern("QUE")
    }
}
