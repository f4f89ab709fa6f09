/// Parses SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2):
///
/// ```
/// filter    = orExpr;   orExpr = andExpr *("or" andExpr);   andExpr = unary *("and" unary)
/// unary     = "not" "(" filter ")" / "(" filter ")" / attrExpr
/// attrExpr  = attrPath "pr" / attrPath compareOp compValue
///           / attrPath "[" filter "]" [ "." subAttr ( "pr" / compareOp compValue ) ]
/// patchPath = attrPath [ "[" filter "]" [ "." subAttr ] ]
/// ```
///
/// Errors say where the syntax broke, as scim2-server's do ("invalid syntax at column 13").
struct SCIMFilterParser {
    private let bytes: [UInt8]
    private var position = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// A whole filter; nothing may follow it.
    mutating func parseWholeFilter() throws(OfflineSCIMError) -> SCIMFilterExpression {
        let filter = try parseOr()
        skipSpaces()
        guard position == bytes.count else { throw syntaxError() }
        return filter
    }

    /// A whole PATCH path.
    /// - Throws: `invalidPath` for text that is not a path, `invalidFilter` for a broken filter.
    mutating func parsePatchPath() throws(OfflineSCIMError) -> SCIMResourcePath {
        let text = String(decoding: bytes, as: UTF8.self)
        skipSpaces()
        guard let names = SCIMResourcePath.names(of: readAttributePathText()) else {
            throw OfflineSCIMError.invalidPath("'\(text)' is not an attribute path")
        }
        var segments = names.map { SCIMResourcePath.Segment(name: $0, filter: nil) }
        if peek() == UInt8(ascii: "[") {
            position += 1
            segments[segments.count - 1].filter = try parseOr()
            skipSpaces()
            guard peek() == UInt8(ascii: "]") else { throw syntaxError() }
            position += 1
            if peek() == UInt8(ascii: ".") {
                position += 1
                let sub = readAttributePathText()
                guard !sub.isEmpty, !sub.contains(".") else {
                    throw OfflineSCIMError.invalidPath("'\(text)' is not an attribute path")
                }
                let known = SCIMUserSchema.attribute(at: names)?.subAttribute(named: sub)
                segments.append(SCIMResourcePath.Segment(name: known?.name ?? sub, filter: nil))
            }
        }
        skipSpaces()
        guard position == bytes.count else {
            throw OfflineSCIMError.invalidPath("'\(text)' is not an attribute path")
        }
        return SCIMResourcePath(segments: segments, text: text)
    }

    // MARK: Filters

    private mutating func parseOr() throws(OfflineSCIMError) -> SCIMFilterExpression {
        var result = try parseAnd()
        while consumeKeyword("or") { result = .or(result, try parseAnd()) }
        return result
    }

    private mutating func parseAnd() throws(OfflineSCIMError) -> SCIMFilterExpression {
        var result = try parseUnary()
        while consumeKeyword("and") { result = .and(result, try parseUnary()) }
        return result
    }

    private mutating func parseUnary() throws(OfflineSCIMError) -> SCIMFilterExpression {
        skipSpaces()
        if consumeKeyword("not") {
            skipSpaces()
            guard peek() == UInt8(ascii: "(") else { throw syntaxError() }
            return .not(try parseParenthesized())
        }
        if peek() == UInt8(ascii: "(") { return try parseParenthesized() }
        return try parseAttributeExpression()
    }

    private mutating func parseParenthesized() throws(OfflineSCIMError) -> SCIMFilterExpression {
        position += 1
        let inner = try parseOr()
        skipSpaces()
        guard peek() == UInt8(ascii: ")") else { throw syntaxError() }
        position += 1
        return inner
    }

    private mutating func parseAttributeExpression() throws(OfflineSCIMError) -> SCIMFilterExpression {
        let start = position
        guard let names = SCIMResourcePath.names(of: readAttributePathText()) else {
            position = start
            throw syntaxError()
        }
        guard peek() == UInt8(ascii: "[") else { return try parseComparison(names) }
        position += 1
        var inner = try parseOr()
        skipSpaces()
        guard peek() == UInt8(ascii: "]") else { throw syntaxError() }
        position += 1
        if peek() == UInt8(ascii: ".") {
            // `emails[type eq "work"].value eq "x"`: the comparison applies to the selected entries.
            position += 1
            let sub = readAttributePathText()
            guard !sub.isEmpty else { throw syntaxError() }
            inner = .and(inner, try parseComparison([sub]))
        }
        return .valuePath(names, inner)
    }

    private mutating func parseComparison(_ names: [String]) throws(OfflineSCIMError) -> SCIMFilterExpression {
        skipSpaces()
        let operatorStart = position
        let word = readWord().lowercased()
        if word == "pr" { return .present(names) }
        guard let op = SCIMFilterExpression.Operator(rawValue: word) else {
            position = operatorStart
            throw syntaxError()
        }
        skipSpaces()
        return .compare(names, op, try parseValue())
    }

    private mutating func parseValue() throws(OfflineSCIMError) -> JSONValue {
        let start = position
        if peek() == UInt8(ascii: "\"") {
            let tokenizerInput = readQuotedText()
            guard let tokenizerInput,
                let value = try? JSONTokenizer(bytes: tokenizerInput, sourceName: "filter").readValue()
            else {
                position = start
                throw syntaxError()
            }
            return value
        }
        let word = readWord()
        switch word.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default:
            if let number = Int64(word) { return .int(number) }
            if let number = Double(word), number.isFinite { return .double(number) }
            position = start
            throw syntaxError()
        }
    }

    // MARK: Lexing

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpaces() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 { position += 1 }
    }

    /// An attribute path's text: name characters, `:` and `.` (URNs hold both).
    private mutating func readAttributePathText() -> String {
        let start = position
        while let byte = peek(), Self.isNameByte(byte) || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ".") {
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func readWord() -> String {
        let start = position
        while let byte = peek(), Self.isNameByte(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "+") {
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// The quoted string starting at `position`, quotes included (JSON escapes kept for the tokenizer).
    private mutating func readQuotedText() -> [UInt8]? {
        let start = position
        position += 1
        while let byte = peek() {
            position += 1
            if byte == UInt8(ascii: "\\") {
                position += 1
            } else if byte == UInt8(ascii: "\"") {
                return Array(bytes[start..<position])
            }
        }
        return nil
    }

    /// Consumes `keyword` (ignoring case) when it is the next word, followed by a space or `(`.
    private mutating func consumeKeyword(_ keyword: String) -> Bool {
        let saved = position
        skipSpaces()
        let start = position
        let word = readWord()
        if word.lowercased() == keyword, position > start {
            let next = peek()
            if next == 0x20 || next == 0x09 || next == UInt8(ascii: "(") { return true }
        }
        position = saved
        return false
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "$"):
            return true
        default:
            return false
        }
    }

    private func syntaxError() -> OfflineSCIMError {
        .invalidFilter("invalid syntax at column \(position + 1)")
    }
}
