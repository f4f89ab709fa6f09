extension JSONTokenizer {
    /// Reads the next whole value (a scalar or a complete object/array) as a `JSONValue`.
    /// Meant for small subtrees: the value is held in memory.
    public func readValue() throws -> JSONValue {
        try readValue(startingWith: next())
    }

    /// Reads the rest of the value that `token` (just returned by `next()`) starts.
    /// - Throws: `TeprovError(.input)` when `token` does not start a value (e.g. `.endArray`).
    public func readValue(startingWith token: Token) throws -> JSONValue {
        switch token {
        case .string: return .string(stringValue())
        case .number: return try numberValue()
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        case .beginArray:
            var elements: [JSONValue] = []
            while true {
                let element = try next()
                if element == .endArray { return .array(elements) }
                elements.append(try readValue(startingWith: element))
            }
        case .beginObject:
            var members: [(String, JSONValue)] = []
            while true {
                let member = try next()
                if member == .endObject { return .object(members) }
                let name = stringValue()
                members.append((name, try readValue(startingWith: next())))
            }
        case .key, .endObject, .endArray, .endOfInput:
            throw notAValue(token)
        }
    }

    /// Skips the next whole value without building it (strings and numbers are still validated).
    public func skipValue() throws {
        try skipValue(startingWith: next())
    }

    /// Skips the rest of the value that `token` (just returned by `next()`) starts.
    public func skipValue(startingWith token: Token) throws {
        switch token {
        case .beginObject, .beginArray: try skipToEndOfContainer()
        case .string, .number, .bool, .null: return
        case .key, .endObject, .endArray, .endOfInput: throw notAValue(token)
        }
    }

    /// Skips everything up to and including the token that closes the innermost open object or array.
    public func skipToEndOfContainer() throws {
        let target = openContainers - 1
        guard target >= 0 else { return }
        while true {
            switch try next() {
            case .endObject, .endArray:
                if openContainers == target { return }
            default:
                continue
            }
        }
    }

    /// Checks that nothing but whitespace follows the value just read (for single-document inputs).
    /// - Throws: `TeprovError(.input)` naming the trailing text.
    public func expectEndOfInput() throws {
        let token = try next()
        guard token == .endOfInput else {
            throw TeprovError(
                .input, "more JSON follows the end of the document; remove the trailing text", file: sourceName,
                line: line)
        }
    }

    private func notAValue(_ token: Token) -> TeprovError {
        TeprovError(.input, "expected a JSON value but found \(token)", file: sourceName, line: line)
    }
}
