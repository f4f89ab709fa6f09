/// Parses Entra's attribute-mapping expressions (SPEC §4 "Mappings"; FUNC "Syntax overview").
///
/// Grammar (whitespace, including line breaks, is allowed between tokens):
/// ```
/// expression := operand [comparator operand]          comparator: = <> > >= < <=
/// operand    := "[" name "]" | "\"" text "\"" | ["-"] digits | Name "(" [argument ("," argument)*] ")"
/// argument   := expression | nothing                   (an empty position, as in Switch([x], , "a", "b"))
/// ```
/// In text, `\"` is a quote and `\\` a backslash; a backslash before any other character is kept as written,
/// so both `"\\d"` and `"\d"` give the regex `\d`. Function and attribute names are case-insensitive.
/// Expressions are limited to Entra's 10,000 characters and 64 levels of nested calls.
public enum ExpressionParser {
    /// Entra's documented limit on an expression's length (KI).
    public static let maximumLength = 10_000
    /// How deeply calls may nest; deep enough for any real mapping, shallow enough to never exhaust a stack.
    public static let maximumNesting = 64

    /// Parses `text` into an expression.
    /// - Throws: `ExpressionSyntaxError` with the 1-based character position of the problem.
    public static func parse(_ text: String) throws(ExpressionSyntaxError) -> Expression {
        var parser = ExpressionParserState(text)
        return try parser.parseWhole()
    }
}

/// The cursor of one parse, over the expression's Unicode scalars.
struct ExpressionParserState {
    let scalars: [Unicode.Scalar]
    var index = 0
    var depth = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// 1-based position of the scalar at `index`.
    var position: Int { index + 1 }

    var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    mutating func parseWhole() throws(ExpressionSyntaxError) -> Expression {
        if scalars.count > ExpressionParser.maximumLength {
            throw ExpressionSyntaxError(
                position: ExpressionParser.maximumLength + 1,
                message: "the expression is \(scalars.count) characters long, more than Entra's limit of "
                    + "\(ExpressionParser.maximumLength) (character \(ExpressionParser.maximumLength + 1) is past it)")
        }
        skipWhitespace()
        if current == nil {
            throw ExpressionSyntaxError(position: 1, message: "the expression is empty at character 1")
        }
        let expression = try parseExpression()
        skipWhitespace()
        if let extra = current {
            throw error("unexpected \(quoted(extra)) at character \(position) after the end of the expression")
        }
        return expression
    }

    mutating func parseExpression() throws(ExpressionSyntaxError) -> Expression {
        let left = try parseOperand()
        skipWhitespace()
        let operatorPosition = position
        guard let comparator = scanComparator() else { return left }
        skipWhitespace()
        let right = try parseOperand()
        return .comparison(
            Expression.Comparison(left: left, comparator: comparator, right: right, position: operatorPosition))
    }

    private mutating func parseOperand() throws(ExpressionSyntaxError) -> Expression {
        guard let scalar = current else {
            throw error(
                "expected an attribute, a text, a number or a function at character \(position), "
                    + "but the expression ends there")
        }
        switch scalar {
        case "[": return try parseAttribute()
        case "\"": return .text(try parseText())
        case "-", "0"..."9": return try parseNumber()
        case "a"..."z", "A"..."Z": return try parseCall()
        default:
            throw error(
                "unexpected \(quoted(scalar)) at character \(position); expected an attribute like [mail], "
                    + "a text in double quotes, a number or a function call")
        }
    }

    private mutating func parseAttribute() throws(ExpressionSyntaxError) -> Expression {
        let start = position
        index += 1
        var name = String.UnicodeScalarView()
        while let scalar = current, scalar != "]" {
            if scalar == "[" || scalar == "\"" || scalar == "\n" {
                throw error(
                    "expected ']' to close the attribute name that starts at character \(start), "
                        + "found \(quoted(scalar)) at character \(position)")
            }
            name.append(scalar)
            index += 1
        }
        guard current == "]" else {
            throw ExpressionSyntaxError(
                position: start, message: "expected ']' to close the attribute name that starts at character \(start)")
        }
        index += 1
        guard let trimmed = TextNormalization.normalize(String(name)) else {
            throw ExpressionSyntaxError(position: start, message: "the attribute name at character \(start) is empty")
        }
        return .attribute(Expression.AttributeReference(name: trimmed))
    }

    private mutating func parseText() throws(ExpressionSyntaxError) -> String {
        let start = position
        index += 1
        var text = String.UnicodeScalarView()
        while let scalar = current {
            index += 1
            switch scalar {
            case "\"":
                return String(text)
            case "\\":
                if let next = current, next == "\"" || next == "\\" {
                    text.append(next)
                    index += 1
                } else {
                    text.append(scalar)
                }
            default:
                text.append(scalar)
            }
        }
        throw ExpressionSyntaxError(
            position: start,
            message:
                "the text that starts at character \(start) has no closing '\"' (write \\\" for a quote inside text)")
    }

    private mutating func parseNumber() throws(ExpressionSyntaxError) -> Expression {
        let start = position
        var negative = false
        if current == "-" {
            negative = true
            index += 1
        }
        var magnitude: Int64 = 0
        var digits = 0
        while let scalar = current, let digit = Self.digitValue(scalar) {
            let (times, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(digit)
            if overflowA || overflowB {
                throw ExpressionSyntaxError(position: start, message: "the number at character \(start) is too large")
            }
            magnitude = sum
            digits += 1
            index += 1
        }
        if digits == 0 {
            throw error("expected a digit after '-' at character \(position)")
        }
        if let scalar = current, scalar.properties.isAlphabetic || scalar == "." || scalar == "_" {
            throw error(
                "unexpected \(quoted(scalar)) at character \(position) in the number that starts at "
                    + "character \(start); only whole numbers are allowed")
        }
        return .number(negative ? -magnitude : magnitude)
    }

    private mutating func parseCall() throws(ExpressionSyntaxError) -> Expression {
        let start = position
        var name = ""
        while let scalar = current, Self.isIdentifierScalar(scalar) {
            name.unicodeScalars.append(scalar)
            index += 1
        }
        skipWhitespace()
        guard current == "(" else {
            let folded = name.lowercased()
            let hint = folded == "true" || folded == "false" ? "; write text in double quotes, e.g. \"\(name)\"" : ""
            throw error("expected '(' after \(name) at character \(position)\(hint)")
        }
        guard let function = ExpressionFunction.named(name) else {
            let what =
                ExpressionFunction.isEntraOnly(name)
                ? "\(name) at character \(start) is an Entra function that teprov does not support"
                : "unknown function \(name) at character \(start)"
            throw ExpressionSyntaxError(position: start, message: what)
        }
        depth += 1
        if depth > ExpressionParser.maximumNesting {
            throw ExpressionSyntaxError(
                position: start,
                message: "\(function.rawValue) at character \(start) is nested more than "
                    + "\(ExpressionParser.maximumNesting) calls deep")
        }
        defer { depth -= 1 }
        index += 1
        let (arguments, argumentPositions) = try parseArguments(of: function)
        return .call(try validatedCall(function, arguments, argumentPositions, position: start))
    }

    private mutating func parseArguments(
        of function: ExpressionFunction
    ) throws(ExpressionSyntaxError) -> ([Expression?], [Int]) {
        var arguments: [Expression?] = []
        var positions: [Int] = []
        skipWhitespace()
        if current == ")" {
            index += 1
            return (arguments, positions)
        }
        while true {
            skipWhitespace()
            positions.append(position)
            if current == "," || current == ")" {
                arguments.append(nil)
            } else {
                arguments.append(try parseExpression())
            }
            skipWhitespace()
            switch current {
            case ",":
                index += 1
            case ")":
                index += 1
                return (arguments, positions)
            default:
                throw error("expected ')' after the arguments of \(function.rawValue) at character \(position)")
            }
        }
    }

    private mutating func scanComparator() -> Expression.Comparator? {
        guard let first = current else { return nil }
        let second = index + 1 < scalars.count ? scalars[index + 1] : nil
        let (comparator, length): (Expression.Comparator?, Int) =
            switch (first, second) {
            case ("=", _): (.equal, 1)
            case ("<", ">"): (.notEqual, 2)
            case ("<", "="): (.lessOrEqual, 2)
            case ("<", _): (.less, 1)
            case (">", "="): (.greaterOrEqual, 2)
            case (">", _): (.greater, 1)
            default: (nil, 0)
            }
        index += length
        return comparator
    }

    mutating func skipWhitespace() {
        while let scalar = current, scalar.properties.isWhitespace { index += 1 }
    }

    func error(_ message: String) -> ExpressionSyntaxError {
        ExpressionSyntaxError(position: position, message: message)
    }

    func quoted(_ scalar: Unicode.Scalar) -> String {
        scalar == "'" ? "\"'\"" : "'\(Character(scalar))'"
    }

    private static func digitValue(_ scalar: Unicode.Scalar) -> Int64? {
        scalar.value >= 0x30 && scalar.value <= 0x39 ? Int64(scalar.value - 0x30) : nil
    }

    private static func isIdentifierScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_": return true
        default: return false
        }
    }
}
