import CLibXML2

/// Reads PowerShell `ConvertTo-Xml` output (SPEC §2; no namespace): `Objects/Object/Property[@Name]`.
///
/// Each `Object` is a record and each named `Property` an attribute. A property holding unnamed
/// `Property` children (an array, with `-Depth` 2 or more) is multi-valued; named children (a nested
/// object) flatten to dotted names. Text is untyped (`True`/`False` become booleans); the `Type`
/// attribute is not used, as `ConvertTo-Xml` writes every value as text anyway.
final class XMLConvertToXmlDialectReader {
    private let reader: XMLStreamReader
    private let context: ReadContext
    private let names: XMLAttributeNameTable
    private let builder: XMLRecordBuilder
    private let object, property, name: UnsafePointer<xmlChar>
    private var path: [UInt8] = []
    private var text: [UInt8] = []
    private var sawAttribute = false
    private var others = 0
    private var firstOtherLine: Int?

    init(reader: XMLStreamReader) {
        self.reader = reader
        self.context = reader.context
        names = XMLAttributeNameTable(context: reader.context, aliases: .none)
        builder = XMLRecordBuilder(context: reader.context, isDirectory: false)
        object = reader.intern("Object")
        property = reader.intern("Property")
        name = reader.intern("Name")
    }

    /// Reads the document; the reader is on the root element (`Objects`).
    func read() throws {
        try reader.forEachChildOfRoot { node, line in
            if node.is(object, in: nil) {
                try readObject(try reader.expandCurrent(), line: line)
            } else {
                others += 1
                if firstOtherLine == nil { firstOtherLine = line }
            }
        }
        if others > 0 {
            context.warn(line: firstOtherLine, "ignored \(others) element(s) under <Objects> that are not <Object>")
        }
        while try reader.next() {}
    }

    private func readObject(_ element: XMLNodeView, line: Int) throws {
        builder.begin(line: line)
        sawAttribute = false
        element.forEachChildElement { child in
            guard child.is(property, in: nil) else { return }
            path.removeAll(keepingCapacity: true)
            readProperty(child)
        }
        if !sawAttribute { builder.reject("has no named Property elements, so it is not a user object") }
        try builder.finish(label: "Object")
    }

    /// A named property: text, a list of unnamed `Property` items, or named ones (a nested object).
    private func readProperty(_ element: XMLNodeView) {
        let saved = path.count
        defer { path.removeSubrange(saved...) }
        let named = element.withAttribute(name) { bytes -> Bool in
            if !path.isEmpty { path.append(UInt8(ascii: ".")) }
            path.append(contentsOf: bytes)
            return true
        }
        guard named == true, !path.isEmpty else { return }
        sawAttribute = true
        var items: [AttributeValue] = []
        var hasChildren = false
        element.forEachChildElement { child in
            guard child.is(property, in: nil) else { return }
            hasChildren = true
            if child.withAttribute(name, { _ in true }) == true {
                readProperty(child)
            } else if let value = scalar(child) {
                items.append(value)
            }
        }
        // A nested object is only a prefix: its own name is not an attribute.
        if hasChildren && items.isEmpty { return }
        let entry = path.withUnsafeBufferPointer { names.resolve($0) }
        guard entry.kept else { return }
        if hasChildren {
            builder.add(entry, .multi(items))
        } else if let value = scalar(element) {
            builder.add(entry, value)
        }
    }

    private func scalar(_ element: XMLNodeView) -> AttributeValue? {
        text.removeAll(keepingCapacity: true)
        element.appendText(to: &text)
        guard let normalized = text.withUnsafeBufferPointer({ try? TextNormalization.value($0) })
        else { return nil }
        return XMLRecordBuilder.untyped(normalized)
    }
}
