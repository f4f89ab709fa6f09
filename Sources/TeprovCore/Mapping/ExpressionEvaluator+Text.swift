/// The text functions. Positions and lengths count characters (grapheme clusters) of NFC text.
extension ExpressionEvaluator {
    mutating func append(_ call: Expression.FunctionCall) -> AttributeValue? {
        guard let source = text(call.argument(0)) else { return nil }
        return .string(source + (text(call.argument(1)) ?? ""))
    }

    /// FUNC: numChars 0 → `""`; below 0 → the whole string; null string → `""`; too short → the whole string.
    mutating func left(_ call: Expression.FunctionCall) -> AttributeValue? {
        let source = text(call.argument(0)) ?? ""
        guard let count = integer(call, 1) else { return nil }
        if count < 0 { return .string(source) }
        return .string(String(source.prefix(Int(clamping: count))))
    }

    /// FUNC: 1-based `start`; a `length` past the end stops at the end. A start below 1 or a negative length is
    /// null with a diagnostic (.NET's Substring would fail); a start past the end is `""`.
    mutating func mid(_ call: Expression.FunctionCall) -> AttributeValue? {
        guard let source = text(call.argument(0)) else { return nil }
        guard let start = integer(call, 1), let length = integer(call, 2) else { return nil }
        guard start >= 1, length >= 0 else {
            diagnostics.append(
                "Mid at character \(call.position) needs a start of 1 or more and a length of 0 or more, "
                    + "not \(start) and \(length)")
            return nil
        }
        return .string(String(source.dropFirst(Int(clamping: start - 1)).prefix(Int(clamping: length))))
    }

    /// PCase without separators lower-cases the text and capitalises each word, with .NET ToTitleCase's word
    /// separators (FUNC's list of Unicode categories); with `wordSeparators`, only those characters separate.
    mutating func properCase(_ call: Expression.FunctionCall) -> AttributeValue? {
        guard let source = text(call.argument(0)) else { return nil }
        var separators: Set<Unicode.Scalar>?
        if let given = call.argument(1), let characters = text(given) {
            separators = Set(characters.unicodeScalars)
        }
        return .string(ExpressionCaseMapping.properCase(source, separators: separators))
    }

    /// FUNC example: `Split("PermissionSetOne, PermissionSetTwo", ",")` gives `["PermissionSetOne",
    /// "PermissionSetTwo"]`, so parts are trimmed; empty parts are dropped (values are never empty, SPEC §2).
    mutating func split(_ call: Expression.FunctionCall) -> AttributeValue? {
        guard let source = text(call.argument(0)) else { return nil }
        let delimiter = text(call.argument(1)) ?? ""
        let pieces: [Substring] =
            delimiter.isEmpty
            ? [Substring(source)] : source.split(separator: delimiter, omittingEmptySubsequences: false)
        var parts: [AttributeValue] = []
        for piece in pieces {
            if let part = TextNormalization.normalize(String(piece)) { parts.append(.string(part)) }
        }
        return parts.isEmpty ? nil : .multi(parts)
    }

    /// Removes every U+0020 space (FUNC: "Removes all space (" ") characters").
    mutating func stripSpaces(_ call: Expression.FunctionCall) -> AttributeValue? {
        guard let source = text(call.argument(0)) else { return nil }
        var kept = String.UnicodeScalarView()
        for scalar in source.unicodeScalars where scalar != " " { kept.append(scalar) }
        return .string(String(kept))
    }

    /// FUNC: words are runs of characters between any of the `delimiters`; wordNumber below 1, a null string or
    /// too few words give `""`.
    mutating func word(_ call: Expression.FunctionCall) -> AttributeValue? {
        let source = text(call.argument(0)) ?? ""
        guard let number = integer(call, 1) else { return .string("") }
        let delimiters = Set(text(call.argument(2)) ?? "")
        guard number >= 1 else { return .string("") }
        var remaining = number
        for candidate in source.split(whereSeparator: { delimiters.contains($0) }) {
            remaining -= 1
            if remaining == 0 { return .string(String(candidate)) }
        }
        return .string("")
    }
}
