import Testing

@testable import TeprovCore

/// The fast path must store exactly what `TextNormalization.value` stores.
@Suite struct JSONTextValueTests {
    func both(_ text: String) throws -> (fast: String?, reference: String?) {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            (JSONTextValue.normalized(buffer), try TextNormalization.value(buffer))
        }
    }

    @Test func agreesWithTextNormalizationForEveryScalarBelowU0300AndBeyond() throws {
        var scalars = Array(0x00..<0x0300)
        scalars += [
            0x0300, 0x0301, 0x0345, 0x0374, 0x037E, 0x0410, 0x1E9B, 0x2000, 0x2028, 0x3000, 0x3099, 0xAC00, 0x1F600,
        ]
        for value in scalars {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let character = String(Character(scalar))
            for text in [character, "a\(character)b", "\(character)e", "e\(character)", " \(character) "] {
                let result = try both(text)
                #expect(result.fast == result.reference, "U+\(String(value, radix: 16)) in \(text.debugDescription)")
            }
        }
    }

    @Test(
        arguments: [
            ("  José  ", "José"), ("\u{A0}Łukasz\u{85}", "Łukasz"), ("\u{A0}\u{85} \t", nil), ("", nil),
            ("Zoe\u{301}", "Zo\u{E9}"), ("\u{3000}東京\u{3000}", "東京"), ("Gül", "Gül"), ("a\u{A0}b", "a\u{A0}b"),
        ] as [(String, String?)])
    func trimsAndComposes(input: String, expected: String?) throws {
        let result = try both(input)
        #expect(result.fast == expected)
        #expect(result.reference == expected)
    }
}
