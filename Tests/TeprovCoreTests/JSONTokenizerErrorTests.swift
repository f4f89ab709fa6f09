import Testing

@testable import TeprovCore

@Suite struct JSONTokenizerErrorTests {
    /// One malformed input: the text, a fragment of the message, the line the error names.
    struct Case: Sendable, CustomStringConvertible {
        var text: String
        var message: String
        var line: Int
        var description: String { text }
    }

    @Test(arguments: [
        // Truncated input.
        Case(text: "{\"a\": 1", message: "ends in the middle of an object; the file is truncated", line: 1),
        Case(text: "[1,\n2,\n", message: "ends in the middle of an array", line: 3),
        Case(text: "{\"a\"", message: "ends after an object key, before its value", line: 1),
        Case(text: "{\"a\":", message: "ends after an object key, before its value", line: 1),
        Case(text: "[\"abc", message: "ends inside a string", line: 1),
        Case(text: "[tru", message: "ends in the middle of 'true'", line: 1),
        Case(text: "[\"\\u00", message: "ends inside a string", line: 1),
        // Trailing garbage and structure.
        Case(text: "{\"a\": 1} x", message: "after the end of the JSON value", line: 1),
        Case(text: "[1]]", message: "with no open array or object", line: 1),
        Case(text: "[1, 2,]", message: "trailing comma before ']'", line: 1),
        Case(text: "{\"a\": 1,\n}", message: "trailing comma before '}'", line: 2),
        Case(
            text: "{\"a\": 1 \"b\": 2}", message: "expected ',' or '}' after the object member but found '\"'", line: 1),
        Case(text: "[1 2]", message: "expected ',' or ']' after the array element", line: 1),
        Case(text: "{\"a\" 1}", message: "expected ':' after the object key", line: 1),
        Case(text: "{\"a\": 1]", message: "found ']' where '}' should close the object", line: 1),
        Case(text: "{'a': 1}", message: "expected an object key in double quotes but found '''", line: 1),
        Case(text: "{a: 1}", message: "expected an object key in double quotes", line: 1),
        Case(text: "[NaN]", message: "NaN and Infinity are not JSON numbers", line: 1),
        Case(text: "[-Infinity]", message: "'-' is not a valid JSON number", line: 1),
        Case(text: "[True]", message: "expected a JSON value but found 'T'", line: 1),
        Case(text: "[nul1]", message: "expected 'null' but found '1'", line: 1),
        Case(text: "{\"a\": }", message: "expected a value after ':' but found '}'", line: 1),
        // Numbers.
        Case(text: "[01]", message: "leading zeros are not allowed", line: 1),
        Case(text: "[1.]", message: "a digit must follow '.'", line: 1),
        Case(text: "[.5]", message: "expected a JSON value but found '.'", line: 1),
        Case(text: "[+1]", message: "expected a JSON value but found '+'", line: 1),
        Case(text: "[1e]", message: "the exponent needs digits", line: 1),
        Case(text: "[1.2.3]", message: "'1.2.3' is not a valid JSON number", line: 1),
        Case(text: "[--1]", message: "a digit must follow the sign", line: 1),
        // Strings.
        Case(text: "[\"line\nbreak\"]", message: "runs to the end of the line without its closing quote", line: 1),
        Case(text: "[\"tab\there\"]", message: "unescaped control character byte 0x09", line: 1),
        Case(text: "[\"\\x\"]", message: "the escape '\\x', which JSON does not define", line: 1),
        Case(text: "[\"\\u12G4\"]", message: "'\\u' not followed by four hexadecimal digits", line: 1),
        Case(text: "[\"\\uD83D\"]", message: "high surrogate \\uD83D without a low surrogate", line: 1),
        Case(text: "[\"\\uD83D\\u0041\"]", message: "high surrogate \\uD83D without a low surrogate", line: 1),
        Case(text: "[\"\\uDE00\"]", message: "unpaired low surrogate \\uDE00", line: 1),
    ])
    func refusesMalformedJSON(malformed: Case) {
        for chunkSize in JSONTokenizerInput.sources {
            let error = JSONTokenizerInput.error(Array(malformed.text.utf8), chunkSize: chunkSize)
            #expect(error?.code == .input)
            #expect(error?.message.contains(malformed.message) == true, "\(error?.message ?? "no error")")
            #expect(error?.line == malformed.line)
        }
    }

    @Test(
        arguments: [
            [0x80],  // a lone continuation byte
            [0xC0, 0x80],  // overlong encoding of NUL
            [0xC3],  // a lead byte followed by the closing quote
            [0xE0, 0x80, 0x80],  // overlong three-byte form
            [0xED, 0xA0, 0x80],  // an encoded UTF-16 surrogate
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xF5, 0x80, 0x80, 0x80],  // not a lead byte
            [0xFF],
        ] as [[UInt8]])
    func refusesInvalidUTF8InStrings(bytes: [UInt8]) {
        for chunkSize in JSONTokenizerInput.sources {
            let input = Array("[\"ok ".utf8) + bytes + Array("\"]".utf8)
            let error = JSONTokenizerInput.error(input, chunkSize: chunkSize)
            #expect(error?.message.contains("invalid UTF-8") == true, "\(error?.message ?? "no error")")
        }
    }

    @Test func refusesBytesOutsideStringsThatAreNotJSON() {
        let error = JSONTokenizerInput.error([0x5B, 0xC3, 0xA9, 0x5D])
        #expect(error?.message.contains("expected a JSON value but found byte 0xC3") == true)
    }

    @Test func refusesADepthBombWithoutOverflowingTheStack() {
        for chunkSize in JSONTokenizerInput.sources {
            let bomb = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let error = JSONTokenizerInput.error(Array(bomb.utf8), chunkSize: chunkSize)
            #expect(error?.message.contains("nested more than 512 levels") == true)
        }
        let deepButAllowed = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(JSONTokenizerInput.error(Array(deepButAllowed.utf8)) == nil)
    }

    @Test func readValueOfADeepDocumentStopsAtTheLimit() {
        let bomb = String(repeating: "{\"a\":", count: 5_000) + "1" + String(repeating: "}", count: 5_000)
        let tokenizer = JSONTokenizer(bytes: Array(bomb.utf8), sourceName: "memory")
        #expect(throws: TeprovError.self) { _ = try tokenizer.readValue() }
    }

    @Test(arguments: JSONTokenizerInput.sources)
    func refusesStringsAboveTheLimit(chunkSize: Int?) {
        let long = "[\"" + String(repeating: "x", count: 100) + "\"]"
        let error = JSONTokenizerInput.error(Array(long.utf8), chunkSize: chunkSize, maximumStringLength: 64)
        #expect(error?.message.contains("a string is longer than") == true)
        let escaped = "[\"" + String(repeating: "\\n", count: 100) + "\"]"
        #expect(JSONTokenizerInput.error(Array(escaped.utf8), chunkSize: chunkSize, maximumStringLength: 64) != nil)
        let fits = "[\"" + String(repeating: "x", count: 64) + "\"]"
        #expect(JSONTokenizerInput.error(Array(fits.utf8), chunkSize: chunkSize, maximumStringLength: 64) == nil)
    }

    @Test func errorsNameTheSource() {
        let error = JSONTokenizerInput.error(Array("{".utf8))
        #expect(error?.file == "memory")
        #expect(error?.description == "memory, line 1: the JSON ends in the middle of an object; the file is truncated")
    }

    /// An HTTP body is not called a file: a cut-off response says "the response is truncated".
    @Test(arguments: [
        ("{\"a\": [1", "the JSON ends in the middle of an array; the response is truncated"),
        ("{\"a\"", "the JSON ends after an object key, before its value; the response is truncated"),
        ("[\"abc", "the JSON ends inside a string; the response is truncated or a closing quote is missing"),
    ])
    func truncatedResponsesAreCalledResponses(text: String, message: String) {
        let tokenizer = JSONTokenizer(bytes: Array(text.utf8), sourceName: "https://api/Users", inputNoun: "response")
        #expect(throws: TeprovError.self) {
            do {
                _ = try tokenizer.readValue()
            } catch let error as TeprovError {
                #expect(error.message == message)
                #expect(error.file == "https://api/Users")
                throw error
            }
        }
    }
}
