import Testing

@testable import TeprovCore

@Suite struct JSONValueTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("a\"b\\c", #""a\"b\\c""#),
        ("line\nbreak\ttab\r", #""line\nbreak\ttab\r""#),
        ("\u{01}\u{1F}\u{08}\u{0C}", #""\u0001\u001f\b\f""#),
        ("Zoë \u{1F600}", "\"Zoë \u{1F600}\""),
        ("", #""""#),
    ])
    func stringsAreEscapedAsRFC8785Says(text: String, expected: String) {
        #expect(JSONValue.string(text).serialized(style: .compact) == expected)
    }

    @Test func canonicalFormSortsKeysByUTF16AndDropsWhitespace() {
        let value = JSONValue.object([
            ("b", .int(1)), ("a", .array([.bool(true), .null])), ("\u{E9}", .double(2.5)), ("A", .double(3)),
        ])
        #expect(value.serialized(style: .canonical) == #"{"A":3,"a":[true,null],"b":1,"é":2.5}"#)
    }

    /// The plan file's layout: members and elements on their own lines, but an array's element that is an
    /// object or an array (an operation, a skipped entry) on one line, without whitespace.
    @Test func planStyleWritesEachArrayElementOnOneLine() {
        let value = JSONValue.object([
            ("a", .int(1)),
            ("b", .object([("c", .array([.int(1), .object([("d", .int(2))])])), ("e", .object([]))])),
            ("f", .array([.object([("g", .array([.string("x y")]))])])),
            ("h", .array([])),
        ])
        let expected = """
            {
              "a": 1,
              "b": {
                "c": [
                  1,
                  {"d":2}
                ],
                "e": {}
              },
              "f": [
                {"g":["x y"]}
              ],
              "h": []
            }

            """
        #expect(value.serialized(style: .plan) == expected)
    }
}
