/// Turns JSON user objects into `SourceRecord`s, straight from the token stream.
///
/// Flattening rules (SPEC §2, decisions in docs): nested objects become dotted names
/// (`name.givenName`); an array stays multi-valued; under an array of objects each leaf path
/// collects its values from every element (`emails.value`, `emails.type`), and the array's own
/// name (`emails`) holds only the array's scalar elements, so it is absent for an array of objects.
/// `null`, empty strings, empty arrays and empty objects are absent. Strings are trimmed and NFC,
/// never turned into booleans; numbers are `.int` when written as integers that fit, else `.double`.
/// Keys starting with `@` or containing `@odata.` are annotations, not attributes.
final class JSONUserFlattener {
    let tokenizer: JSONTokenizer
    let context: ReadContext
    let paths = JSONAttributePathTable()
    /// Behind a pointer so the hot path does not pay a dynamic exclusivity check per value, as it
    /// does when mutating a struct stored in a class.
    private let builder: UnsafeMutablePointer<JSONRecordBuilder>
    private var recordLine = 0
    private var removedReason: String?
    private var isRemoved = false
    private var expectedFields = 16

    init(tokenizer: JSONTokenizer, context: ReadContext) {
        self.tokenizer = tokenizer
        self.context = context
        self.builder = .allocate(capacity: 1)
        self.builder.initialize(to: JSONRecordBuilder())
    }

    deinit {
        builder.deinitialize(count: 1)
        builder.deallocate()
    }

    /// Reads the user object whose `{` the tokenizer just returned (on `line`), then emits it,
    /// rejects it, or skips it when it is a delta `@removed` entry.
    func readUser(line: Int) throws {
        begin(line: line)
        try readMembers(parent: JSONAttributePathTable.root, array: -1)
        try finish()
    }

    /// Starts a user whose first members an envelope reader has already consumed.
    func begin(line: Int) {
        recordLine = line
        isRemoved = false
        removedReason = nil
        builder.pointee.begin(expectedFields: expectedFields)
    }

    /// Marks the current user as a Graph delta removal (the `@removed` annotation's value).
    func markRemoved(_ annotation: JSONValue) {
        isRemoved = true
        if case .string(let reason)? = annotation["reason"] { removedReason = reason }
    }

    /// The top-level attribute path for the key the tokenizer just returned.
    func rootNodeForCurrentKey() -> Int {
        tokenizer.withStringBytes { paths.child(of: JSONAttributePathTable.root, key: $0) }
    }

    /// Adds a top-level member that was read ahead as a `JSONValue`.
    func addMember(name: String, value: JSONValue) {
        let node = paths.child(of: JSONAttributePathTable.root, name: name)
        if paths.flags[node].contains(.metadata) {
            if paths.flags[node].contains(.removedMarker) { markRemoved(value) }
            return
        }
        addValue(value, node: node, array: -1)
    }

    /// Reads the value of a top-level member whose key and first value token were read ahead.
    func readRootMember(node: Int, startingWith token: JSONTokenizer.Token) throws {
        if paths.flags[node].contains(.metadata) {
            try tokenizer.skipValue(startingWith: token)
        } else {
            try readValue(startingWith: token, node: node, array: -1)
        }
    }

    /// Reads members until the end of the current object.
    func readMembers(parent: Int, array: Int32) throws {
        var previous = -1
        while try tokenizer.next() == .key {
            let node = tokenizer.withStringBytes { paths.child(of: parent, after: previous, key: $0) }
            previous = node
            let flags = paths.flags[node]
            if flags.contains(.metadata) {
                if flags.contains(.removedMarker) && parent == JSONAttributePathTable.root {
                    markRemoved(try tokenizer.readValue())
                } else {
                    try tokenizer.skipValue()
                }
                continue
            }
            try readValue(startingWith: tokenizer.next(), node: node, array: array)
        }
    }

    /// Reads the value that `token` starts, for the attribute path `node`.
    /// - Parameter array: the outermost array being read (values collect into multi-valued fields), or -1.
    func readValue(startingWith token: JSONTokenizer.Token, node: Int, array: Int32) throws {
        switch token {
        case .string:
            note(node)
            guard keeps(node) else { return }
            if let text = tokenizer.withStringBytes({ JSONTextValue.normalized($0) }) {
                store(.string(text), node: node, array: array)
            }
        case .number:
            note(node)
            guard keeps(node) else { return }
            if let integer = tokenizer.int64Value() {
                store(.int(integer), node: node, array: array)
            } else {
                let number = tokenizer.doubleValue()
                if number.isFinite {
                    store(.double(number), node: node, array: array)
                } else {
                    builder.pointee.reportProblem(
                        "the attribute \"\(paths.displayNames[node])\" holds a number too large to represent")
                }
            }
        case .bool(let flag):
            note(node)
            if keeps(node) { store(.bool(flag), node: node, array: array) }
        case .null:
            note(node)
        case .beginObject:
            try readMembers(parent: node, array: array)
        case .beginArray:
            try readArray(node: node, enclosingArray: array)
        case .key, .endObject, .endArray, .endOfInput:
            return
        }
    }

    private func readArray(node: Int, enclosingArray: Int32) throws {
        if enclosingArray >= 0 && isDirectlyNested() {
            note(node)
            if keeps(node) {
                builder.pointee.reportProblem(
                    "the attribute \"\(paths.displayNames[node])\" holds an array inside an array, which a directory attribute cannot represent"
                )
            }
            try tokenizer.skipToEndOfContainer()
            return
        }
        let array = enclosingArray >= 0 ? enclosingArray : builder.pointee.beginArray()
        var elements = 0
        var containers = 0
        while true {
            let element = try tokenizer.next()
            if element == .endArray { break }
            elements &+= 1
            if element == .beginObject || element == .beginArray { containers &+= 1 }
            try readValue(startingWith: element, node: node, array: array)
        }
        // The array's own name is an attribute when it holds scalars (or nothing at all).
        if elements == 0 || containers < elements { note(node) }
    }

    /// `true` when the array just opened sits directly in another array (`[[...]]`).
    private func isDirectlyNested() -> Bool {
        tokenizer.depth >= 2 && !tokenizer.containerIsObject[tokenizer.depth - 2]
    }

    /// Adds a value read ahead as a `JSONValue` (same rules as the token path).
    private func addValue(_ value: JSONValue, node: Int, array: Int32) {
        switch value {
        case .null:
            note(node)
        case .string(let text):
            note(node)
            if keeps(node), let normalized = TextNormalization.normalize(text) {
                store(.string(normalized), node: node, array: array)
            }
        case .int(let integer):
            note(node)
            if keeps(node) { store(.int(integer), node: node, array: array) }
        case .double(let number):
            note(node)
            if keeps(node) { store(.double(number), node: node, array: array) }
        case .bool(let flag):
            note(node)
            if keeps(node) { store(.bool(flag), node: node, array: array) }
        case .object(let members):
            for (name, member) in members {
                let child = paths.child(of: node, name: name)
                if !paths.flags[child].contains(.metadata) { addValue(member, node: child, array: array) }
            }
        case .array(let elements):
            let collecting = array >= 0 ? array : builder.pointee.beginArray()
            var hasScalarOrNothing = elements.isEmpty
            for element in elements {
                switch element {
                case .array:
                    if keeps(node) {
                        builder.pointee.reportProblem(
                            "the attribute \"\(paths.displayNames[node])\" holds an array inside an array, which a directory attribute cannot represent"
                        )
                    }
                case .object:
                    addValue(element, node: node, array: collecting)
                default:
                    hasScalarOrNothing = true
                    addValue(element, node: node, array: collecting)
                }
            }
            if hasScalarOrNothing { note(node) }
        }
    }

    @inline(__always)
    private func keeps(_ node: Int) -> Bool {
        let flags = paths.flags[node]
        if flags.contains(.projectionKnown) { return flags.contains(.kept) }
        let kept = context.keeps(paths.keys[node])
        paths.setKept(kept, for: node)
        return kept
    }

    @inline(__always)
    private func note(_ node: Int) {
        guard !paths.flags[node].contains(.noted) else { return }
        paths.markNoted(node)
        if !paths.flags[node].contains(.emptyName) { context.noteAttribute(paths.displayNames[node]) }
    }

    @inline(__always)
    private func store(_ value: AttributeValue, node: Int, array: Int32) {
        if paths.flags[node].contains(.emptyName) {
            builder.pointee.reportProblem("the user object has an attribute with an empty name, which cannot be used")
            return
        }
        if !builder.pointee.store(value, slot: paths.slots[node], key: paths.keys[node], array: array) {
            builder.pointee.reportProblem(JSONRecordBuilder.repeatedAttribute(paths.displayNames[node]))
        }
    }

    /// Emits the current user, or rejects it with its first problem, or skips a delta removal.
    func finish() throws {
        let fields = builder.pointee.finish()
        if isRemoved {
            let reason = removedReason.map { " (reason: \($0))" } ?? ""
            context.warn(
                line: recordLine,
                "the entry is marked \"@removed\"\(reason) by a Graph delta query; it is not a user and was skipped")
            return
        }
        if let problem = builder.pointee.problem {
            context.rejectRecord(line: recordLine, problem)
            return
        }
        if fields.count > expectedFields { expectedFields = fields.count }
        try context.emit(SourceRecord(origin: context.origin(line: recordLine), fields: fields))
    }
}
