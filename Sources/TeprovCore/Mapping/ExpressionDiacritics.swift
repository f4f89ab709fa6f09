import Foundation

/// NormalizeDiacritics: FUNC's table of Latin letters with diacritics and their plain forms.
///
/// The table is every accented form of a–z/A–Z plus a few letters of their own (`ß` → `ss`, `æ` → `ae`,
/// `ø` → `oe`, `ł` → `l`, `ı` → `i`). It is implemented as: decompose (NFD), replace those letters, drop the
/// combining marks that follow a Latin letter, recompose (NFC). Marks on other scripts are kept, so Greek,
/// Cyrillic or Devanagari text is not damaged.
enum ExpressionDiacritics {
    static func normalize(_ text: String) -> String {
        var isASCII = true
        for byte in text.utf8 where byte >= 0x80 {
            isASCII = false
            break
        }
        if isASCII { return text }
        var result = String.UnicodeScalarView()
        var afterLatinLetter = false
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark {
                if !afterLatinLetter { result.append(scalar) }
                continue
            }
            if let replacement = ownLetters[scalar] {
                result.append(contentsOf: replacement.unicodeScalars)
                afterLatinLetter = true
                continue
            }
            result.append(scalar)
            afterLatinLetter = scalar.isASCII && scalar.properties.isAlphabetic
        }
        return String(result).precomposedStringWithCanonicalMapping
    }

    /// Letters that do not decompose into a base letter and marks (FUNC's table, plus `œ` for its `œ̄`).
    private static let ownLetters: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "oe", "Ø": "OE", "œ": "oe", "Œ": "OE",
        "ł": "l", "Ł": "L", "ı": "i",
    ]
}
