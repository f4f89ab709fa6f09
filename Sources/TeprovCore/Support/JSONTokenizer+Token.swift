extension JSONTokenizer {
    /// One token of JSON text. Strings, keys and numbers carry no payload: read them from the
    /// tokenizer (`keyEquals`, `stringValue()`, `numberValue()`), so skipping them costs no allocation.
    public enum Token: Equatable, Sendable {
        case beginObject
        case endObject
        case beginArray
        case endArray
        /// An object member's name; the next token starts its value.
        case key
        case string
        case number
        case bool(Bool)
        case null
        /// No more values: the input ended after a complete top-level value (or held none).
        case endOfInput

        /// `true` for tokens that start a value (a scalar or an opening bracket).
        public var startsValue: Bool {
            switch self {
            case .beginObject, .beginArray, .string, .number, .bool, .null: return true
            case .endObject, .endArray, .key, .endOfInput: return false
            }
        }
    }

    /// Where a value is being read, for precise error messages.
    enum ValuePlace {
        case topLevel
        case firstInArray
        case afterComma
        case afterColon
    }

    /// Reads the next token.
    /// - Throws: `TeprovError(.input)` for anything RFC 8259 does not allow at this point, and for
    ///   input that ends inside a value.
    public func next() throws -> Token {
        if let replay { return try replay._withUnsafeGuaranteedRef { try $0.next(into: self) } }
        guard let byte = try peekNonWhitespace() else { return try endOfInputToken() }
        tokenLine = currentLine
        switch expectation {
        case .commaOrEnd:
            if byte == UInt8(ascii: ",") {
                position &+= 1
                guard let following = try peekNonWhitespace() else { throw truncatedError() }
                tokenLine = currentLine
                if containerIsObject[openContainers - 1] { return try readKey(following, afterComma: true) }
                return try readValue(following, place: .afterComma)
            }
            return try closeContainer(byte)
        case .colon:
            guard byte == UInt8(ascii: ":") else {
                throw failure("expected ':' after the object key but found \(Self.describe(byte))")
            }
            position &+= 1
            guard let following = try peekNonWhitespace() else { throw truncatedError() }
            tokenLine = currentLine
            return try readValue(following, place: .afterColon)
        case .firstKey:
            if byte == UInt8(ascii: "}") { return try closeContainer(byte) }
            return try readKey(byte, afterComma: false)
        case .firstArrayValue:
            if byte == UInt8(ascii: "]") { return try closeContainer(byte) }
            return try readValue(byte, place: .firstInArray)
        case .topLevelValue:
            return try readValue(byte, place: .topLevel)
        }
    }

    private func endOfInputToken() throws -> Token {
        tokenLine = currentLine
        guard expectation == .topLevelValue else { throw truncatedError() }
        return .endOfInput
    }

    @inline(__always)
    private func readKey(_ byte: UInt8, afterComma: Bool) throws -> Token {
        guard byte == UInt8(ascii: "\"") else {
            if afterComma && byte == UInt8(ascii: "}") {
                throw failure("the object has a trailing comma before '}', which JSON does not allow; remove the comma")
            }
            throw failure("expected an object key in double quotes but found \(Self.describe(byte))")
        }
        try scanString()
        expectation = .colon
        return .key
    }

    @inline(__always)
    private func readValue(_ byte: UInt8, place: ValuePlace) throws -> Token {
        switch byte {
        case UInt8(ascii: "\""):
            try scanString()
            finishScalar()
            return .string
        case UInt8(ascii: "{"):
            try open(isObject: true)
            expectation = .firstKey
            return .beginObject
        case UInt8(ascii: "["):
            try open(isObject: false)
            expectation = .firstArrayValue
            return .beginArray
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanNumber()
            finishScalar()
            return .number
        case UInt8(ascii: "t"):
            try scanLiteral("true", place: place)
            finishScalar()
            return .bool(true)
        case UInt8(ascii: "f"):
            try scanLiteral("false", place: place)
            finishScalar()
            return .bool(false)
        case UInt8(ascii: "n"):
            try scanLiteral("null", place: place)
            finishScalar()
            return .null
        default:
            throw unexpectedValueByte(byte, place: place)
        }
    }

    @inline(__always)
    private func finishScalar() {
        if openContainers == 0 {
            topLevelValuesStarted &+= 1
            expectation = .topLevelValue
        } else {
            expectation = .commaOrEnd
        }
    }

    private func open(isObject: Bool) throws {
        guard openContainers < maximumDepth else {
            throw failure(
                "arrays and objects are nested more than \(maximumDepth) levels deep; this is not a directory export")
        }
        if openContainers == 0 { topLevelValuesStarted &+= 1 }
        containerIsObject[openContainers] = isObject
        openContainers &+= 1
        position &+= 1
    }

    private func closeContainer(_ byte: UInt8) throws -> Token {
        let isObject = containerIsObject[openContainers - 1]
        let closesObject = byte == UInt8(ascii: "}")
        let closesArray = byte == UInt8(ascii: "]")
        guard (isObject && closesObject) || (!isObject && closesArray) else {
            if closesObject || closesArray {
                throw failure(
                    "found \(Self.describe(byte)) where \(isObject ? "'}' should close the object" : "']' should close the array")"
                )
            }
            let expected = isObject ? "',' or '}' after the object member" : "',' or ']' after the array element"
            throw failure("expected \(expected) but found \(Self.describe(byte)); a comma is probably missing")
        }
        position &+= 1
        openContainers &-= 1
        expectation = openContainers == 0 ? .topLevelValue : .commaOrEnd
        return isObject ? .endObject : .endArray
    }

    private func unexpectedValueByte(_ byte: UInt8, place: ValuePlace) -> TeprovError {
        switch (place, byte) {
        case (.afterComma, UInt8(ascii: "]")):
            return failure("the array has a trailing comma before ']', which JSON does not allow; remove the comma")
        case (.topLevel, UInt8(ascii: "]")), (.topLevel, UInt8(ascii: "}")):
            return failure("found \(Self.describe(byte)) with no open array or object; the brackets do not match")
        case (_, UInt8(ascii: "N")), (_, UInt8(ascii: "I")):
            return failure(
                "found a bare word starting with \(Self.describe(byte)) (NaN and Infinity are not JSON numbers); quote it or use null"
            )
        case (.topLevel, _) where topLevelValuesStarted > 0:
            return failure(
                "found \(Self.describe(byte)) after the end of the JSON value; remove the trailing text or fix the JSON"
            )
        case (.afterColon, _):
            return failure("expected a value after ':' but found \(Self.describe(byte))")
        default:
            return failure("expected a JSON value but found \(Self.describe(byte))")
        }
    }
}
