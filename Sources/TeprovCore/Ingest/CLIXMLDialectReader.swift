import CLibXML2

/// Reads PowerShell `Export-Clixml` files (SPEC §2), e.g. `Get-ADUser … | Export-Clixml users.xml`.
///
/// Each top-level `Obj` (a child of `Objs`) is a record; the children of its `Props` and `MS` that
/// carry a name (`N`) are its attributes. Typed elements keep their types (`CLIXMLTypedValue`);
/// `TN`/`TNRef` type names are ignored; a `Ref` to an earlier object takes that object's value.
/// Objects whose `ObjectClass` is not a user account are skipped like DSML entries.
final class CLIXMLDialectReader {
    static let namespace = "http://schemas.microsoft.com/powershell/2004/04"

    private let reader: XMLStreamReader
    private let context: ReadContext
    private let names: XMLAttributeNameTable
    private let builder: XMLRecordBuilder
    private let vocabulary: CLIXMLVocabulary
    private var values: CLIXMLTypedValue
    private var nonObjects = 0
    private var sawProperty = false
    private var firstNonObjectLine: Int?

    private static let objectClassKey: AttributeKey = "objectclass"

    init(reader: XMLStreamReader) {
        self.reader = reader
        self.context = reader.context
        reader.context.alwaysKeep = DirectoryRecordFixups.sourceKeys
        vocabulary = CLIXMLVocabulary(reader)
        names = XMLAttributeNameTable(context: reader.context, aliases: .directory) { CLIXMLText.decodedString($0) }
        builder = XMLRecordBuilder(context: reader.context, isDirectory: true)
        values = CLIXMLTypedValue(vocabulary: vocabulary)
    }

    /// Reads the document; the reader is on the root element (`Objs`, or a lone `Obj`).
    func read() throws {
        guard let root = reader.currentNode else { return }
        if root.isNamed(vocabulary.obj) {
            let line = reader.startLine
            try readRecord(try reader.expandCurrent(), line: line)
            try reader.skipCurrent()
        } else {
            try reader.forEachChildOfRoot { node, line in
                if node.is(vocabulary.obj, in: vocabulary.namespace) {
                    try readRecord(try reader.expandCurrent(), line: line)
                } else {
                    nonObjects += 1
                    if firstNonObjectLine == nil { firstNonObjectLine = line }
                }
            }
        }
        builder.finishFile()
        if nonObjects > 0 {
            context.warn(
                line: firstNonObjectLine,
                "ignored \(nonObjects) top-level value(s) that are not objects (only <Obj> elements are users)")
        }
        // Let the reader see the rest of the document, so trailing garbage is still an error.
        while try reader.next() {}
    }

    private func readRecord(_ object: XMLNodeView, line: Int) throws {
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

    private func readProperty(_ property: XMLNodeView) {
        guard !builder.isRejected, property.isInNamespace(vocabulary.namespace),
            let name = property.withAttribute(vocabulary.name, { names.resolve($0) })
        else { return }
        sawProperty = true
        let isObjectClass = name.key == CLIXMLDialectReader.objectClassKey
        // Objects are always resolved: a later Ref may point at them from a kept property.
        guard name.kept || isObjectClass || property.isNamed(vocabulary.obj) else { return }
        switch values.value(of: property) {
        case .absent:
            break
        case .value(let value):
            if isObjectClass {
                let classes: [AttributeValue]
                if case .multi(let list) = value { classes = list } else { classes = [value] }
                builder.noteObjectClasses(classes.compactMap(\.scalarText))
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

    init(_ reader: XMLStreamReader) {
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
