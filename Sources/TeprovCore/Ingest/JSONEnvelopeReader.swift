/// Reads the structure around the users in a JSON export and names its dialect.
///
/// Each top-level value, and each element of a top-level array, is one of: a user object; a
/// Graph page (`{"value": [...]}`, with `@odata.*` annotations); a SCIM ListResponse
/// (`Resources`, `totalResults`, `schemas`; names matched ignoring case). An object is known to
/// be a page once its first member that is not envelope material is a `value` or `Resources`
/// array; envelope members read before that point (`schemas`, `totalResults`, ...) are replayed as
/// attributes when the object turns out to be a user.
final class JSONEnvelopeReader {
    private let tokenizer: JSONTokenizer
    private let context: ReadContext
    private let users: JSONUserFlattener
    private var completeness = JSONExportCompleteness()
    private var topLevelValues = 0
    private var firstTopLevelIsArray = false
    private var sawGraphPage = false
    private var sawListResponse = false

    private enum PageKind {
        case graph, listResponse
    }

    init(tokenizer: JSONTokenizer, context: ReadContext) {
        self.tokenizer = tokenizer
        self.context = context
        self.users = JSONUserFlattener(tokenizer: tokenizer, context: context)
    }

    /// Reads the whole input.
    /// - Returns: the dialect: `array`, `graph-page`, `graph-pages`, `json-lines` or `scim-list-response`.
    /// - Throws: `TeprovError(.input)` for invalid JSON, an input without any value, or a partial export.
    func read() throws -> String {
        while true {
            let token = try tokenizer.next()
            if token == .endOfInput { break }
            topLevelValues += 1
            switch token {
            case .beginArray:
                if topLevelValues == 1 { firstTopLevelIsArray = true }
                try readTopLevelArray()
            case .beginObject:
                try readObject(line: tokenizer.line)
            default:
                try rejectNonObject(token, place: "the top-level value")
            }
        }
        guard topLevelValues > 0 else {
            throw context.documentError(line: nil, "the file holds no JSON value; export the users again")
        }
        try completeness.verify(context)
        if topLevelValues > 1 { return "json-lines" }
        if sawListResponse { return "scim-list-response" }
        if firstTopLevelIsArray { return sawGraphPage ? "graph-pages" : "array" }
        return sawGraphPage ? "graph-page" : "json-lines"
    }

    private func readTopLevelArray() throws {
        while true {
            let token = try tokenizer.next()
            switch token {
            case .endArray: return
            case .beginObject: try readObject(line: tokenizer.line)
            default: try rejectNonObject(token, place: "an element of the top-level array")
            }
        }
    }

    /// Reads an object whose `{` was just returned: a page (its users inside) or a user.
    private func readObject(line: Int) throws {
        var envelope = JSONPageEnvelope()
        var heldMembers: [(name: String, value: JSONValue)] = []
        while true {
            let token = try tokenizer.next()
            if token == .endObject {
                if envelope.looksLikeListResponse {
                    sawListResponse = true
                    completeness.listResponseEnded(envelope, items: 0)
                } else {
                    users.begin(line: line)
                    for member in heldMembers { users.addMember(name: member.name, value: member.value) }
                    try users.finish()
                }
                return
            }
            if isEnvelopeCandidate() {
                let name = tokenizer.stringValue()
                let keyLine = tokenizer.line
                let value = try tokenizer.readValue()
                _ = envelope.absorb(name: name, value: value, line: keyLine)
                heldMembers.append((name, value))
                continue
            }
            let isGraphValue = tokenizer.keyEquals("value")
            let isResources = !isGraphValue && tokenizer.keyEqualsIgnoringCase("Resources")
            let node = users.rootNodeForCurrentKey()
            let valueToken = try tokenizer.next()
            if (isGraphValue || isResources) && valueToken == .beginArray {
                try readPage(isGraphValue ? .graph : .listResponse, envelope: &envelope)
                return
            }
            // The first attribute of a user object: replay what was held, then read the rest.
            users.begin(line: line)
            for member in heldMembers { users.addMember(name: member.name, value: member.value) }
            try users.readRootMember(node: node, startingWith: valueToken)
            try users.readMembers(parent: JSONAttributePathTable.root, array: -1)
            try users.finish()
            return
        }
    }

    /// `true` when the current key may belong to a paging envelope (`@...`, `schemas`,
    /// `totalResults`, `itemsPerPage`, `startIndex`), compared without allocating.
    private func isEnvelopeCandidate() -> Bool {
        tokenizer.keyHasPrefix("@") || tokenizer.keyEqualsIgnoringCase("schemas")
            || tokenizer.keyEqualsIgnoringCase("totalResults") || tokenizer.keyEqualsIgnoringCase("itemsPerPage")
            || tokenizer.keyEqualsIgnoringCase("startIndex")
    }

    /// Reads the users of a page whose collection array was just opened, then the rest of the page.
    private func readPage(_ kind: PageKind, envelope: inout JSONPageEnvelope) throws {
        var items = 0
        while true {
            let token = try tokenizer.next()
            if token == .endArray { break }
            items += 1
            if token == .beginObject {
                try users.readUser(line: tokenizer.line)
            } else {
                let place = kind == .graph ? "an element of the \"value\" array" : "an element of \"Resources\""
                try rejectNonObject(token, place: place)
            }
        }
        while try tokenizer.next() == .key {
            if isEnvelopeCandidate() {
                let name = tokenizer.stringValue()
                let keyLine = tokenizer.line
                _ = envelope.absorb(name: name, value: try tokenizer.readValue(), line: keyLine)
            } else {
                try tokenizer.skipValue()
            }
        }
        switch kind {
        case .graph:
            sawGraphPage = true
            completeness.graphPageEnded(envelope, items: items)
        case .listResponse:
            sawListResponse = true
            completeness.listResponseEnded(envelope, items: items)
        }
    }

    /// An element that should be a user object but is not: an invalid record.
    private func rejectNonObject(_ token: JSONTokenizer.Token, place: String) throws {
        let line = tokenizer.line
        let kind: String
        switch token {
        case .beginArray: kind = "an array"
        case .string: kind = "a string"
        case .number: kind = "a number"
        case .bool: kind = "a boolean"
        case .null: kind = "null"
        default: kind = "\(token)"
        }
        try tokenizer.skipValue(startingWith: token)
        context.rejectRecord(line: line, "\(place) is \(kind), not a user object; each user must be a JSON object")
    }
}
