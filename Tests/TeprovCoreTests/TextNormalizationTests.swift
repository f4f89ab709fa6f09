import Testing

@testable import TeprovCore

@Suite struct TextNormalizationTests {
    func normalize(_ bytes: [UInt8]) throws -> String? {
        try bytes.withUnsafeBufferPointer { try TextNormalization.value($0) }
    }

    @Test(
        arguments: [
            ("  Ann  ", "Ann"), ("\tAnn\r\n", "Ann"), ("", nil), ("   ", nil),
            ("Zoe\u{0301}", "Zo\u{00E9}"), ("\u{00A0}Jos\u{0065}\u{0301}\u{00A0}", "Jos\u{00E9}"),
        ] as [(String, String?)])
    func trimsAndComposes(input: String, expected: String?) throws {
        #expect(try normalize(Array(input.utf8)) == expected)
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: TextNormalization.InvalidUTF8.self) { try normalize([0x41, 0xFF, 0x42]) }
    }

    @Test(arguments: [
        ("true", true), ("True", true), ("TRUE", true), ("false", false), ("False", false), ("FALSE", false),
    ])
    func booleanSpellings(text: String, expected: Bool) {
        #expect(BooleanText.parse(text) == expected)
        #expect(TextNormalization.untypedScalar(text) == .bool(expected))
    }

    @Test func otherTextStaysString() {
        #expect(BooleanText.parse("tRuE") == nil)
        #expect(TextNormalization.untypedScalar("Yes") == .string("Yes"))
    }
}

@Suite struct TextNormalizationBytesTests {
    @Test(arguments: [
        "true", "True", "TRUE", "false", "False", "FALSE", "tRuE", "FalsE", "falsE", "Yes", "truee", "fals", "",
    ])
    func booleanSpellingsOnBytesMatchTheStringRule(text: String) {
        let bytes = Array(text.utf8)
        let parsed = bytes.withUnsafeBufferPointer { BooleanText.parse($0) }
        #expect(parsed == BooleanText.parse(text))
    }

    /// Every White_Space scalar, other scalars, and combining marks, at either end and inside: the byte
    /// path must store exactly what trimming and composing the `String` stores.
    @Test func bytePathAgreesWithTheStringPath() throws {
        let blanks: [String] = [
            " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{2005}",
            "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}",
        ]
        let others = ["\u{200B}", "\u{180E}", "\u{FEFF}", "\u{2060}", "é", "e\u{0301}", "Ω", "日本", "\u{1F600}", "x"]
        var samples: [String] = []
        for blank in blanks {
            for other in others {
                samples += [blank + other, other + blank, blank + other + blank, other + blank + other, blank + blank]
            }
        }
        for sample in samples {
            let bytes = Array(sample.utf8)
            let fromBytes = try bytes.withUnsafeBufferPointer { try TextNormalization.value($0) }
            #expect(fromBytes == TextNormalization.normalize(sample), "\(sample.unicodeScalars.map { $0.value })")
        }
    }
}
