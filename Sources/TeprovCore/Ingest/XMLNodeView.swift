import CLibXML2

/// A borrowed view of one libxml2 tree node (an element of an expanded record, or the reader's
/// current node). Valid only until the reader moves on; never stored.
///
/// Names are compared by pointer with names interned through `XMLStreamReader.intern(_:)`, since
/// libxml2 interns element and attribute names in the reader's dictionary: no `String` per node.
struct XMLNodeView {
    let node: xmlNodePtr

    init(_ node: xmlNodePtr) { self.node = node }

    @inline(__always) var isElement: Bool { node.pointee.type == XML_ELEMENT_NODE }

    /// `true` for text, CDATA (merged by `XML_PARSE_NOCDATA`) and whitespace text.
    @inline(__always) var isText: Bool {
        node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE
    }

    @inline(__always) var isEntityReference: Bool {
        node.pointee.type == XML_ENTITY_REF_NODE || node.pointee.type == XML_ENTITY_NODE
    }

    /// The interned local name (compare with `==` against interned names).
    @inline(__always) var localName: UnsafePointer<xmlChar>? { node.pointee.name }

    @inline(__always) func isNamed(_ interned: UnsafePointer<xmlChar>) -> Bool { node.pointee.name == interned }

    /// The element's namespace URI, or `nil` for no namespace.
    @inline(__always) var namespaceURI: UnsafePointer<xmlChar>? { node.pointee.ns?.pointee.href }

    /// `true` when the element is in namespace `uri` (`nil`: in no namespace).
    @inline(__always) func isInNamespace(_ uri: UnsafePointer<xmlChar>?) -> Bool {
        let href = node.pointee.ns?.pointee.href
        guard let uri else { return href == nil }
        guard let href else { return false }
        return href == uri || xmlStrEqual(href, uri) == 1
    }

    /// `true` when the element is in namespace `uri`, answered by pointer when it shares its namespace
    /// declaration with `known` (an element already known to be in `uri`, alive as long as this one).
    @inline(__always) func isInNamespace(_ uri: UnsafePointer<xmlChar>?, like known: XMLNodeView) -> Bool {
        let declaration = node.pointee.ns
        if declaration != nil && declaration == known.node.pointee.ns { return true }
        return isInNamespace(uri)
    }

    /// `true` when the element has this (interned) local name in namespace `uri`.
    @inline(__always) func `is`(_ interned: UnsafePointer<xmlChar>, in uri: UnsafePointer<xmlChar>?) -> Bool {
        node.pointee.name == interned && isInNamespace(uri)
    }

    /// The local name as a `String` (for messages and generic attribute names).
    var localNameText: String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name)
    }

    /// The first child node, then follow `nextSibling`.
    @inline(__always) var firstChild: XMLNodeView? { node.pointee.children.map(XMLNodeView.init) }
    @inline(__always) var nextSibling: XMLNodeView? { node.pointee.next.map(XMLNodeView.init) }

    /// Calls `body` with each child element, in order.
    @inline(__always)
    func forEachChildElement(_ body: (XMLNodeView) throws -> Void) rethrows {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { try body(XMLNodeView(current)) }
            child = current.pointee.next
        }
    }

    /// `true` when the element has at least one child element.
    var hasChildElements: Bool {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { return true }
            child = current.pointee.next
        }
        return false
    }

    /// Appends the text content of this text node, or of this element's direct text children, to `buffer`.
    /// - Returns: `false` when an entity reference sits among the children (refused by the caller).
    @discardableResult
    func appendText(to buffer: inout [UInt8]) -> Bool {
        if isText {
            append(node.pointee.content, to: &buffer)
            return true
        }
        var child = node.pointee.children
        var clean = true
        while let current = child {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE: append(current.pointee.content, to: &buffer)
            case XML_ENTITY_REF_NODE, XML_ENTITY_NODE: clean = false
            default: break
            }
            child = current.pointee.next
        }
        return clean
    }

    @inline(__always)
    private func append(_ content: UnsafeMutablePointer<xmlChar>?, to buffer: inout [UInt8]) {
        guard let content else { return }
        let length = Int(xmlStrlen(content))
        buffer.append(contentsOf: UnsafeBufferPointer(start: content, count: length))
    }

    /// Calls `body` with the value of the attribute with this (interned) local name in namespace `uri`
    /// (`nil`: no namespace), as UTF-8 bytes; `body` is not called when the attribute is absent.
    @inline(__always)
    func withAttribute<Result>(
        _ interned: UnsafePointer<xmlChar>, in uri: UnsafePointer<xmlChar>? = nil,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result? {
        var attribute = node.pointee.properties
        while let current = attribute {
            if current.pointee.name == interned, XMLNodeView.attribute(current, isIn: uri) {
                return try XMLNodeView.withValue(of: current, body)
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// Calls `body` with each attribute: its namespace URI (or `nil`), local name, and value bytes.
    func forEachAttribute(
        _ body: (UnsafePointer<xmlChar>?, UnsafePointer<xmlChar>, UnsafeBufferPointer<UInt8>) throws -> Void
    ) rethrows {
        var attribute = node.pointee.properties
        while let current = attribute {
            if let name = current.pointee.name {
                let uri = UnsafePointer(current.pointee.ns?.pointee.href)
                try XMLNodeView.withValue(of: current) { try body(uri, name, $0) }
            }
            attribute = current.pointee.next
        }
    }

    @inline(__always)
    private static func attribute(_ attribute: xmlAttrPtr, isIn uri: UnsafePointer<xmlChar>?) -> Bool {
        let href = attribute.pointee.ns?.pointee.href
        guard let uri else { return href == nil }
        guard let href else { return false }
        return xmlStrEqual(href, uri) == 1
    }

    @inline(__always)
    private static func withValue<Result>(
        of attribute: xmlAttrPtr, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        let text = attribute.pointee.children
        if let text, text.pointee.next == nil, let content = text.pointee.content {
            let length = Int(xmlStrlen(content))
            return try body(UnsafeBufferPointer(start: content, count: length))
        }
        var bytes: [UInt8] = []
        var child = text
        while let current = child {
            if let content = current.pointee.content {
                let length = Int(xmlStrlen(content))
                bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: length))
            }
            child = current.pointee.next
        }
        return try bytes.withUnsafeBufferPointer(body)
    }
}
