import Foundation

/// `Replace` in its five documented forms (FUNC "Replace"); the form and the compiled regex come from the parser.
/// Matching is case-sensitive. A null source gives null, except in the form that falls back to another attribute.
extension ExpressionEvaluator {
    mutating func replace(_ call: Expression.FunctionCall) -> AttributeValue? {
        guard let form = call.replaceForm else { return nil }
        switch form.mode {
        case .literal:
            guard let source = text(call.argument(0)) else { return nil }
            guard let oldValue = text(call.argument(1)), !oldValue.isEmpty else { return .string(source) }
            return .string(source.replacing(oldValue, with: text(call.argument(4)) ?? ""))
        case .template:
            guard let source = text(call.argument(0)), let template = text(call.argument(6)) else { return nil }
            guard let oldValue = text(call.argument(1)), !oldValue.isEmpty else { return .string(template) }
            return .string(template.replacing(oldValue, with: source))
        case .regex:
            guard let source = text(call.argument(0)), let matches = regexMatches(form, in: source, call) else {
                return nil
            }
            let replacement = text(call.argument(4)) ?? ""
            return .string(
                Self.rebuild(source, matches) { match, text in
                    Self.expand(replacement, match: match, in: text, groupNames: form.groupNames)
                })
        case .regexGroup:
            guard let source = text(call.argument(0)), let group = form.groupName,
                let matches = regexMatches(form, in: source, call)
            else { return nil }
            let replacement = text(call.argument(4)) ?? ""
            return .string(
                Self.rebuild(source, matches) { match, text in
                    let whole = match.range
                    let part = match.range(withName: group)
                    guard part.location != NSNotFound else { return text.substring(with: whole) }
                    return text.substring(
                        with: NSRange(location: whole.location, length: part.location - whole.location))
                        + replacement
                        + text.substring(from: part.location + part.length, to: whole.location + whole.length)
                })
        case .regexGroupFromAttribute:
            if let source = text(call.argument(0)), !source.isEmpty { return .string(source) }
            guard let fallback = text(call.argument(5)), let group = form.groupName,
                let match = regexMatches(form, in: fallback, call)?.first
            else { return nil }
            let part = match.range(withName: group)
            guard part.location != NSNotFound else { return nil }
            return .string(NSString(string: fallback).substring(with: part))
        }
    }

    /// Every match of the form's regex, or `nil` with a diagnostic when one match attempt ran out of time.
    private mutating func regexMatches(
        _ form: ReplaceForm, in text: String, _ call: Expression.FunctionCall
    ) -> [NSTextCheckingResult]? {
        guard let regex = form.regex else { return nil }
        do {
            return try regex.matches(in: text)
        } catch {
            diagnostics.append("Replace at character \(call.position) gives no value: \(error.message)")
            return nil
        }
    }

    /// `source` with each match replaced by what `replacement` makes of it.
    private static func rebuild(
        _ source: String, _ matches: [NSTextCheckingResult],
        _ replacement: (NSTextCheckingResult, NSString) -> String
    ) -> String {
        let text = NSString(string: source)
        var result = ""
        var cursor = 0
        for match in matches {
            result += text.substring(from: cursor, to: match.range.location)
            result += replacement(match, text)
            cursor = match.range.location + match.range.length
        }
        result += text.substring(from: cursor)
        return result
    }

    /// Expands a .NET replacement pattern (Entra evaluates regexes with .NET): `$1`, `${1}`, `${name}`, `$&`
    /// (the whole match), `$$` (a dollar sign); any other `$` and every backslash are literal.
    static func expand(
        _ template: String, match: NSTextCheckingResult, in text: NSString, groupNames: Set<String>
    ) -> String {
        guard template.contains("$") else { return template }
        func asciiDigit(_ scalar: Unicode.Scalar) -> Int? {
            scalar.value >= 0x30 && scalar.value <= 0x39 ? Int(scalar.value - 0x30) : nil
        }
        func group(_ range: NSRange) -> String {
            range.location == NSNotFound ? "" : text.substring(with: range)
        }
        let scalars = Array(template.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "$", index + 1 < scalars.count else {
                result.append(scalar)
                index += 1
                continue
            }
            let next = scalars[index + 1]
            if next == "$" {
                result.append("$")
                index += 2
            } else if next == "&" {
                result.append(contentsOf: group(match.range).unicodeScalars)
                index += 2
            } else if let digit = asciiDigit(next), digit < match.numberOfRanges {
                var number = digit
                var end = index + 2
                while end < scalars.count, let more = asciiDigit(scalars[end]),
                    number * 10 + more < match.numberOfRanges
                {
                    number = number * 10 + more
                    end += 1
                }
                result.append(contentsOf: group(match.range(at: number)).unicodeScalars)
                index = end
            } else if next == "{", let close = scalars[(index + 2)...].firstIndex(of: "}") {
                let name = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
                if let number = Int(name), number >= 0, number < match.numberOfRanges {
                    result.append(contentsOf: group(match.range(at: number)).unicodeScalars)
                } else if groupNames.contains(name) {
                    result.append(contentsOf: group(match.range(withName: name)).unicodeScalars)
                } else {
                    result.append(contentsOf: scalars[index...close])
                }
                index = close + 1
            } else {
                result.append(scalar)
                index += 1
            }
        }
        return String(result)
    }
}

extension NSString {
    fileprivate func substring(from start: Int, to end: Int) -> String {
        substring(with: NSRange(location: start, length: end - start))
    }
}
