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
