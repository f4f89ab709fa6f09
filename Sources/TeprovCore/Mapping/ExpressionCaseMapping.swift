/// Letter case for ToLower, ToUpper and PCase, with the invariant culture (FUNC: "If there's no culture info
/// specified, then it uses Invariant culture"). A culture argument is accepted and ignored: teprov always uses
/// the invariant rules.
///
/// Like .NET's invariant culture, mappings are one character to one character: a character whose full Unicode
/// mapping would change its length (`ß` → `SS`, `İ` → `i̇`) stays as it is. ASCII text never leaves the byte
/// fast path.
enum ExpressionCaseMapping {
    static func lowercased(_ text: String) -> String {
        mapped(text, ascii: { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }) { $0.properties.lowercaseMapping }
    }

    static func uppercased(_ text: String) -> String {
        mapped(text, ascii: { $0 >= 0x61 && $0 <= 0x7A ? $0 & ~0x20 : $0 }) { $0.properties.uppercaseMapping }
    }

    /// Lower-cases `text` and capitalises the first character of every word.
    /// - Parameter separators: the characters that separate words; `nil` for .NET ToTitleCase's categories.
    static func properCase(_ text: String, separators: Set<Unicode.Scalar>?) -> String {
        var result = String.UnicodeScalarView()
        var atWordStart = true
        for scalar in text.unicodeScalars {
            let separates = separators.map { $0.contains(scalar) } ?? isDefaultWordSeparator(scalar)
            if separates {
                result.append(scalar)
                atWordStart = true
            } else if atWordStart {
                result.append(single(scalar.properties.titlecaseMapping, or: scalar))
                atWordStart = false
            } else {
                result.append(single(scalar.properties.lowercaseMapping, or: scalar))
            }
        }
        return String(result)
    }

    /// FUNC's list for PCase without `wordSeparators`: white space, controls, format characters, and every
    /// punctuation and symbol category.
    static func isDefaultWordSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .format, .connectorPunctuation,
            .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation,
            .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    private static func mapped(
        _ text: String, ascii: (UInt8) -> UInt8, scalar mapping: (Unicode.Scalar) -> String
    ) -> String {
        var isASCII = true
        var changes = false
        for byte in text.utf8 {
            if byte >= 0x80 {
                isASCII = false
                break
            }
            if ascii(byte) != byte { changes = true }
        }
        if isASCII {
            if !changes { return text }
            return String(decoding: text.utf8.map(ascii), as: UTF8.self)
        }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { result.append(single(mapping(scalar), or: scalar)) }
        return String(result)
    }

    private static func single(_ mapping: String, or original: Unicode.Scalar) -> Unicode.Scalar {
        let scalars = mapping.unicodeScalars
        guard let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex else {
            return original
        }
        return first
    }
}
