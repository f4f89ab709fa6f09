import CLibXML2

/// The subtree of one record, built from SAX events into flat, reused storage: no allocation per node
/// once the storage has grown to the largest record, and no libxml2 tree to build and free.
///
/// Element names and namespace URIs are the parser's interned pointers; text and attribute values are
/// copied into one byte buffer. A node is read through an ``XMLTreeNode`` until the next `reset()`.
final class XMLRecordTree {
    /// One element or text node.
    struct Node {
        /// The interned local name; `nil` for a text node.
        var name: UnsafePointer<xmlChar>?
        var namespace: UnsafePointer<xmlChar>?
        var parent: Int
        var firstChild = -1
        var lastChild = -1
        var nextSibling = -1
        /// Element: its attributes' range in `attributes`; text: its bytes' range in `bytes`.
        var start: Int
        var end: Int
    }

    /// One attribute of an element.
    struct Attribute {
        var name: UnsafePointer<xmlChar>
        var namespace: UnsafePointer<xmlChar>?
        var start: Int
        var end: Int
    }

    private(set) var nodes: UnsafeMutablePointer<Node>
    private var nodeCapacity = 64
    private(set) var nodeCount = 0
    private(set) var attributes: UnsafeMutablePointer<Attribute>
    private var attributeCapacity = 64
    private var attributeCount = 0
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    private var byteCapacity = 4096
    private var byteCount = 0
    /// The innermost open element, or -1 once the record's root has ended.
    private var open = -1
    /// Reused storage for an element whose text comes in several text nodes.
    var joinedText: [UInt8] = []

    init() {
        nodes = .allocate(capacity: nodeCapacity)
        attributes = .allocate(capacity: attributeCapacity)
        bytes = .allocate(capacity: byteCapacity)
    }

    deinit {
        nodes.deinitialize(count: nodeCount)
        nodes.deallocate()
        attributes.deinitialize(count: attributeCount)
        attributes.deallocate()
        bytes.deallocate()
    }

    /// The record's root element (node 0).
    var root: XMLTreeNode { XMLTreeNode(tree: self, index: 0) }

    /// Forgets the previous record.
    @inline(__always)
    func reset() {
        nodes.deinitialize(count: nodeCount)
        attributes.deinitialize(count: attributeCount)
        nodeCount = 0
        attributeCount = 0
        byteCount = 0
        open = -1
    }

    /// Adds an element as the last child of the open element (or as the root) and opens it.
    @inline(__always)
    func openElement(_ tag: XMLStartTag) {
        let attributeStart = attributeCount
        tag.forEachAttribute { namespace, name, value in
            let start = byteCount
            appendBytes(value)
            if attributeCount == attributeCapacity { growAttributes() }
            (attributes + attributeCount).initialize(
                to: Attribute(name: name, namespace: namespace, start: start, end: byteCount))
            attributeCount += 1
        }
        let index = append(
            Node(
                name: tag.localName, namespace: tag.namespaceURI, parent: open, start: attributeStart,
                end: attributeCount))
        open = index
    }

    /// Ends the open element. - Returns: `true` when that was the record's root.
    @inline(__always)
    func closeElement() -> Bool {
        guard open >= 0 else { return true }
        open = nodes[open].parent
        return open < 0
    }

    /// Adds text to the open element, extending its last child when that is the text just before.
    @inline(__always)
    func appendText(_ text: UnsafeBufferPointer<UInt8>) {
        guard open >= 0 else { return }
        let last = nodes[open].lastChild
        if last >= 0, nodes[last].name == nil, nodes[last].end == byteCount {
            appendBytes(text)
            nodes[last].end = byteCount
            return
        }
        let start = byteCount
        appendBytes(text)
        _ = append(Node(name: nil, namespace: nil, parent: open, start: start, end: byteCount))
    }

    @inline(__always)
    private func append(_ node: Node) -> Int {
        if nodeCount == nodeCapacity { growNodes() }
        let index = nodeCount
        (nodes + index).initialize(to: node)
        nodeCount += 1
        let parent = node.parent
        if parent >= 0 {
            let previous = nodes[parent].lastChild
            if previous >= 0 { nodes[previous].nextSibling = index } else { nodes[parent].firstChild = index }
            nodes[parent].lastChild = index
        }
        return index
    }

    @inline(__always)
    private func appendBytes(_ text: UnsafeBufferPointer<UInt8>) {
        guard let source = text.baseAddress, !text.isEmpty else { return }
        if byteCount + text.count > byteCapacity { growBytes(toHold: byteCount + text.count) }
        (bytes + byteCount).update(from: source, count: text.count)
        byteCount += text.count
    }

    private func growNodes() {
        let grown = UnsafeMutablePointer<Node>.allocate(capacity: nodeCapacity * 2)
        grown.moveInitialize(from: nodes, count: nodeCount)
        nodes.deallocate()
        nodes = grown
        nodeCapacity *= 2
    }

    private func growAttributes() {
        let grown = UnsafeMutablePointer<Attribute>.allocate(capacity: attributeCapacity * 2)
        grown.moveInitialize(from: attributes, count: attributeCount)
        attributes.deallocate()
        attributes = grown
        attributeCapacity *= 2
    }

    private func growBytes(toHold count: Int) {
        let capacity = max(count, byteCapacity * 2)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = grown
        byteCapacity = capacity
    }
}

/// A borrowed view of one node of an ``XMLRecordTree`` (the same questions `XMLNodeView` answers for a
/// libxml2 node). Valid until the tree is reset; never stored.
struct XMLTreeNode {
    unowned(unsafe) let tree: XMLRecordTree
    let index: Int

    @inline(__always) private var node: XMLRecordTree.Node { tree.nodes[index] }

    /// The interned local name (compare with `==` against interned names).
    @inline(__always) var localName: UnsafePointer<xmlChar>? { node.name }

    @inline(__always) func isNamed(_ interned: UnsafePointer<xmlChar>) -> Bool { node.name == interned }

    /// `true` when the element is in namespace `uri` (interned; `nil`: in no namespace).
    @inline(__always) func isInNamespace(_ uri: UnsafePointer<xmlChar>?) -> Bool { node.namespace == uri }

    /// `true` when the element has this (interned) local name in namespace `uri`.
    @inline(__always) func `is`(_ interned: UnsafePointer<xmlChar>, in uri: UnsafePointer<xmlChar>?) -> Bool {
        let node = self.node
        return node.name == interned && node.namespace == uri
    }

    /// `true` when the element has at least one attribute.
    @inline(__always) var hasAttributes: Bool {
        let node = self.node
        return node.name != nil && node.end > node.start
    }

    /// Calls `body` with each child element, in order.
    @inline(__always)
    func forEachChildElement(_ body: (XMLTreeNode) throws -> Void) rethrows {
        var child = node.firstChild
        while child >= 0 {
            let current = tree.nodes[child]
            if current.name != nil { try body(XMLTreeNode(tree: tree, index: child)) }
            child = current.nextSibling
        }
    }

    /// Calls `body` with the value of the attribute with this (interned) local name in namespace `uri`
    /// (`nil`: no namespace), as UTF-8 bytes; `body` is not called when the attribute is absent.
    @inline(__always)
    func withAttribute<Result>(
        _ interned: UnsafePointer<xmlChar>, in uri: UnsafePointer<xmlChar>? = nil,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result? {
        let node = self.node
        guard node.name != nil else { return nil }
        var position = node.start
        while position < node.end {
            let attribute = tree.attributes[position]
            if attribute.name == interned, attribute.namespace == uri {
                return try body(
                    UnsafeBufferPointer(start: tree.bytes + attribute.start, count: attribute.end - attribute.start))
            }
            position += 1
        }
        return nil
    }

    /// Calls `body` with the text of this element's direct text children, joined (empty when none).
    @inline(__always)
    func withText<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        var child = node.firstChild
        var only = -1
        var textChildren = 0
        while child >= 0 {
            let current = tree.nodes[child]
            if current.name == nil {
                textChildren += 1
                only = child
            }
            child = current.nextSibling
        }
        if textChildren <= 1 {
            guard only >= 0 else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
            let text = tree.nodes[only]
            return try body(UnsafeBufferPointer(start: tree.bytes + text.start, count: text.end - text.start))
        }
        tree.joinedText.removeAll(keepingCapacity: true)
        child = node.firstChild
        while child >= 0 {
            let current = tree.nodes[child]
            if current.name == nil {
                tree.joinedText.append(
                    contentsOf: UnsafeBufferPointer(
                        start: tree.bytes + current.start, count: current.end - current.start))
            }
            child = current.nextSibling
        }
        return try tree.joinedText.withUnsafeBufferPointer(body)
    }
}
