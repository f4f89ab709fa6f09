import CLibXML2

/// Reads any other XML (SPEC §2 "Generic XML"): the repeated child elements of the root are the
/// records; a record's XML attributes and child elements are its attributes.
///
/// - Nested elements flatten to dotted names (`<name><given>Ann</given></name>` → `name.given`), as
///   nested JSON objects do; an attribute of a child element is `child.attribute`.
/// - A repeated child element is multi-valued; `xsi:nil="true"` is absent; text is untyped
///   (`true`/`false` become booleans).
/// - Which child name is "the repeated one" is known once a name occurs a second time: until then
///   records are held back; afterwards, root children with other names (a header, a summary) are
///   ignored with one warning. A root whose children all have different names is read as one record
///   per child (a file with a single user is a valid export).
/// - Records are the root's children only: users nested deeper (`root/users/user`) read as one
///   record per root child.
final class XMLGenericDialectReader {
    private let reader: XMLStreamReader
    private let context: ReadContext
    private let names: XMLAttributeNameTable
    private let builder: XMLRecordBuilder
    private let schemaInstance: UnsafePointer<xmlChar>
    private let nilName: UnsafePointer<xmlChar>
    private var path: [UInt8] = []
    private var text: [UInt8] = []
    /// Display names the current record used (noted when the record is committed).
    private var recordNames: [String] = []

    private enum Decision {
        case undecided([(name: UnsafePointer<xmlChar>?, record: XMLRecordBuilder.Pending, names: [String])])
        case decided(UnsafePointer<xmlChar>?)
    }
    private var decision = Decision.undecided([])
    private var ignored: [(name: String, count: Int)] = []
    private var firstIgnoredLine: Int?

    init(reader: XMLStreamReader) {
        self.reader = reader
        self.context = reader.context
        names = XMLAttributeNameTable(context: reader.context, aliases: .none, notesNames: false)
        builder = XMLRecordBuilder(context: reader.context, isDirectory: false)
        schemaInstance = reader.intern(DSMLDialectReader.schemaInstanceNamespace)
        nilName = reader.intern("nil")
    }

    /// Reads the document; the reader is on the root element.
    func read() throws {
        try reader.forEachChildOfRoot { node, line in try handleChild(node.localName, line: line) }
        if case .undecided(let pending) = decision {
            for held in pending { try commit(held.record, names: held.names) }
        }
        if !ignored.isEmpty {
            let list = ignored.map { "<\($0.name)> \($0.count)" }.joined(separator: ", ")
            context.warn(
                line: firstIgnoredLine,
                "ignored root children that are not the repeated record element (\(list)); "
                    + "only repeated elements are read as users")
        }
        while try reader.next() {}
    }

    private func handleChild(_ name: UnsafePointer<xmlChar>?, line: Int) throws {
        switch decision {
        case .decided(let recordName):
            if name == recordName {
                try commit(try readRecord(line: line), names: recordNames)
            } else {
                noteIgnored(name, line: line)
            }
        case .undecided(var pending):
            let record = try readRecord(line: line)
            if pending.contains(where: { $0.name == name }) {
                decision = .decided(name)
                for held in pending {
                    if held.name == name {
                        try commit(held.record, names: held.names)
                    } else {
                        noteIgnored(held.name, line: held.record.line)
                    }
                }
                try commit(record, names: recordNames)
            } else {
                pending.append((name, record, recordNames))
                decision = .undecided(pending)
            }
        }
    }

    private func commit(_ record: XMLRecordBuilder.Pending, names used: [String]) throws {
        for name in used { context.noteAttribute(name) }
        try builder.commit(record)
    }

    private func noteIgnored(_ name: UnsafePointer<xmlChar>?, line: Int) {
        let text = name.map { String(cString: $0) } ?? "?"
        if firstIgnoredLine == nil || line < (firstIgnoredLine ?? line) { firstIgnoredLine = line }
        if let position = ignored.firstIndex(where: { $0.name == text }) {
            ignored[position].count += 1
        } else {
            ignored.append((text, 1))
        }
    }

    // MARK: One record

    private func readRecord(line: Int) throws -> XMLRecordBuilder.Pending {
        let element = try reader.expandCurrent()
        builder.begin(line: line)
        recordNames.removeAll(keepingCapacity: true)
        path.removeAll(keepingCapacity: true)
        readAttributes(of: element)
        element.forEachChildElement { readField($0) }
        let label = "<\(element.localNameText)> element"
        if recordNames.isEmpty { builder.reject("has no attributes (no child elements and no XML attributes)") }
        return builder.finishPending(label: label)
    }

    private func readField(_ element: XMLNodeView) {
        let saved = path.count
        defer { path.removeSubrange(saved...) }
        if !path.isEmpty { path.append(UInt8(ascii: ".")) }
        if let name = element.localName {
            path.append(contentsOf: UnsafeBufferPointer(start: name, count: Int(xmlStrlen(name))))
        }
        let isNil =
            element.withAttribute(nilName, in: schemaInstance) {
                $0.elementsEqual("true".utf8) || $0.elementsEqual("1".utf8)
            }
            ?? false
        if element.hasChildElements {
            readAttributes(of: element)
            element.forEachChildElement { readField($0) }
            return
        }
        readLeaf(element, isNil: isNil)
        readAttributes(of: element)
    }

    /// An element without child elements: its text is the value of its dotted path.
    private func readLeaf(_ element: XMLNodeView, isNil: Bool) {
        let entry = path.withUnsafeBufferPointer { names.resolve($0) }
        recordNames.append(entry.displayName)
        guard !isNil, entry.kept else { return }
        text.removeAll(keepingCapacity: true)
        guard element.appendText(to: &text) else {
            builder.reject("\(entry.displayName) contains an entity reference")
            return
        }
        if let value = text.withUnsafeBufferPointer({ try? TextNormalization.value($0) }) {
            builder.add(entry, XMLRecordBuilder.untyped(value))
        }
    }

    /// The element's own XML attributes, as `path.attribute` (or `attribute` on the record itself).
    private func readAttributes(of element: XMLNodeView) {
        element.forEachAttribute { uri, name, value in
            if let uri, xmlStrEqual(uri, schemaInstance) == 1 { return }
            let saved = path.count
            defer { path.removeSubrange(saved...) }
            if !path.isEmpty { path.append(UInt8(ascii: ".")) }
            path.append(contentsOf: UnsafeBufferPointer(start: name, count: Int(xmlStrlen(name))))
            let entry = path.withUnsafeBufferPointer { names.resolve($0) }
            recordNames.append(entry.displayName)
            guard entry.kept else { return }
            if let normalized = try? TextNormalization.value(value) {
                builder.add(entry, XMLRecordBuilder.untyped(normalized))
            }
        }
    }
}

extension XMLRecordBuilder.Pending {
    /// The line of the record's start tag.
    var line: Int {
        switch self {
        case .record(let record): return record.origin.line
        case .rejected(let line, _): return line
        }
    }
}
