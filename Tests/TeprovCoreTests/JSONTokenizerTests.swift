import Foundation
import Testing

@testable import TeprovCore

/// Runs the tokenizer over a text, from memory or from a file read in chunks of a chosen size.
enum JSONTokenizerInput {
    /// Every read size the chunk-boundary tests use, `nil` meaning in memory.
    static let sources: [Int?] = [16, 17, 1 << 20, nil]

    static func tokenizer(_ bytes: [UInt8], chunkSize: Int?, maximumStringLength: Int? = nil) throws -> JSONTokenizer {
        let limit = maximumStringLength ?? JSONTokenizer.defaultMaximumStringLength
        guard let chunkSize else {
            return JSONTokenizer(bytes: bytes, sourceName: "memory", maximumStringLength: limit)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "teprov-json-tokenizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("input.json")
        try Data(bytes).write(to: url)
        let reader = try UTF8ChunkReader(path: url.path, chunkSize: chunkSize)
        try? FileManager.default.removeItem(at: directory)  // the open descriptor keeps the data readable
        return JSONTokenizer(reader: reader, maximumStringLength: limit)
    }

    /// Every token as text: `{ } [ ]`, `k:name`, `s:text`, `n:text`, `true`, `false`, `null`.
    static func dump(_ tokenizer: JSONTokenizer, withLines: Bool = false) throws -> [String] {
        var result: [String] = []
        while true {
            let token = try tokenizer.next()
            var text: String
            switch token {
            case .beginObject: text = "{"
            case .endObject: text = "}"
            case .beginArray: text = "["
            case .endArray: text = "]"
            case .key: text = "k:" + tokenizer.stringValue()
            case .string: text = "s:" + tokenizer.stringValue()
            case .number: text = "n:" + tokenizer.withNumberBytes { String(decoding: $0, as: UTF8.self) }
            case .bool(let flag): text = flag ? "true" : "false"
            case .null: text = "null"
            case .endOfInput: return result
            }
            if withLines { text += "@\(tokenizer.line)" }
            result.append(text)
        }
    }

    static func dump(_ text: String, chunkSize: Int? = nil, withLines: Bool = false) throws -> [String] {
        try dump(tokenizer(Array(text.utf8), chunkSize: chunkSize), withLines: withLines)
    }

    /// The error tokenizing `bytes` to the end throws, or `nil`.
    static func error(_ bytes: [UInt8], chunkSize: Int? = nil, maximumStringLength: Int? = nil) -> TeprovError? {
        do {
            _ = try dump(tokenizer(bytes, chunkSize: chunkSize, maximumStringLength: maximumStringLength))
            return nil
        } catch let error as TeprovError {
            return error
        } catch {
            return TeprovError(.io, "unexpected \(error)")
        }
    }
}

@Suite struct JSONTokenizerTests {
    @Test(arguments: JSONTokenizerInput.sources)
    func everyTokenKind(chunkSize: Int?) throws {
        let text = #"{"a": [1, -2.5, "x", true, false, null, {}, []], "b": {"c": "d"}}"#
        #expect(
            try JSONTokenizerInput.dump(text, chunkSize: chunkSize) == [
                "{", "k:a", "[", "n:1", "n:-2.5", "s:x", "true", "false", "null", "{", "}", "[", "]", "]",
                "k:b", "{", "k:c", "s:d", "}", "}",
            ])
    }

    @Test(arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"),
        (#""caf\u00e9""#, "caf\u{E9}"),
        (#""\u00E9\u4e2D""#, "\u{E9}\u{4E2D}"),
        (#""\uD83D\uDE00 smile""#, "\u{1F600} smile"),
        (#""nul\u0000byte""#, "nul\u{0}byte"),
        (#""plain é 😀""#, "plain \u{E9} \u{1F600}"),
    ])
    func decodesEscapes(json: String, expected: String) throws {
        for chunkSize in JSONTokenizerInput.sources {
            let tokenizer = try JSONTokenizerInput.tokenizer(Array(json.utf8), chunkSize: chunkSize)
            #expect(try tokenizer.next() == .string)
            #expect(tokenizer.stringValue() == expected)
            #expect(tokenizer.stringByteCount == expected.utf8.count)
            #expect(try tokenizer.next() == .endOfInput)
        }
    }

    @Test(arguments: [
        ("0", JSONValue.int(0)), ("-0", .int(0)), ("42", .int(42)), ("-17", .int(-17)),
        ("1e3", .double(1000)), ("1E+3", .double(1000)), ("-1.5e-3", .double(-0.0015)), ("0.25", .double(0.25)),
        ("9223372036854775807", .int(Int64.max)), ("-9223372036854775808", .int(Int64.min)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808)),
        ("123456789012345678901234567890", .double(1.2345678901234568e29)),
    ])
    func readsNumbers(text: String, expected: JSONValue) throws {
        for chunkSize in JSONTokenizerInput.sources {
            let tokenizer = try JSONTokenizerInput.tokenizer(Array("[\(text)]".utf8), chunkSize: chunkSize)
            #expect(try tokenizer.next() == .beginArray)
            #expect(try tokenizer.next() == .number)
            #expect(try tokenizer.numberValue() == expected)
            #expect(tokenizer.numberIsIntegral == !(text.contains("e") || text.contains("E") || text.contains(".")))
        }
    }

    @Test func numberBeyondDoubleRangeIsAnError() throws {
        let tokenizer = JSONTokenizer(bytes: Array("1e400".utf8), sourceName: "memory")
        #expect(try tokenizer.next() == .number)
        #expect(tokenizer.int64Value() == nil)
        #expect(throws: TeprovError.self) { try tokenizer.numberValue() }
    }

    /// Multi-byte characters, escapes and long strings land on every offset of 16/17-byte chunks.
    @Test func chunkBoundariesDoNotChangeTokens() throws {
        var members: [String] = []
        for index in 0..<40 {
            let padding = String(repeating: "p", count: index)
            members.append(#""k\#(index)\#(padding)": ["é😀\#(padding)\u00e9\uD83D\uDE00", \#(index).5e1, true, null]"#)
        }
        let text = "{\n" + members.joined(separator: ",\n  ") + "\n}"
        let expected = try JSONTokenizerInput.dump(text, withLines: true)
        #expect(expected.count == 2 + 40 * 7)
        #expect(expected.contains("s:é😀ppé😀@4"))
        for chunkSize in [16, 17, 1 << 20] {
            #expect(try JSONTokenizerInput.dump(text, chunkSize: chunkSize, withLines: true) == expected)
        }
    }

    /// The 8-bytes-at-a-time scan must find a special byte at any position of a word, and must not
    /// stop at bytes just outside the special ranges (`!` 0x21, DEL 0x7F, `]` 0x5D, space).
    @Test(arguments: 0..<20)
    func findsSpecialBytesAtEveryPositionOfAWord(position: Int) throws {
        let plain = Array(repeating: UInt8(ascii: "a"), count: 20)
        func text(inserting insert: [UInt8]) -> [UInt8] {
            Array("[\"".utf8) + plain[..<position] + insert + plain[position...] + Array("\"]".utf8)
        }
        for neighbour: UInt8 in [0x21, 0x7F, 0x5D, 0x5B, 0x20, 0x23] {
            let tokenizer = JSONTokenizer(bytes: text(inserting: [neighbour]), sourceName: "memory")
            #expect(try tokenizer.next() == .beginArray)
            #expect(try tokenizer.next() == .string)
            #expect(tokenizer.stringByteCount == 21)
        }
        let escaped = JSONTokenizer(bytes: text(inserting: Array("\\\"é".utf8)), sourceName: "memory")
        #expect(try escaped.next() == .beginArray)
        #expect(try escaped.next() == .string)
        #expect(
            escaped.stringValue() == String(repeating: "a", count: position) + "\"é"
                + String(repeating: "a", count: 20 - position))
        let control = JSONTokenizerInput.error(text(inserting: [0x1F]))
        #expect(control?.message.contains("control character byte 0x1F") == true)
    }

    @Test(arguments: JSONTokenizerInput.sources)
    func reportsTheLineOfEachToken(chunkSize: Int?) throws {
        let text = "{\n  \"a\": 1,\r\n  \"b\":\n    [\n      \"x\"\n    ]\n}\n"
        #expect(
            try JSONTokenizerInput.dump(text, chunkSize: chunkSize, withLines: true) == [
                "{@1", "k:a@2", "n:1@2", "k:b@3", "[@4", "s:x@5", "]@6", "}@7",
            ])
    }

    @Test(arguments: [
        ("{\"a\":1}\n{\"a\":2}\n", ["{", "k:a", "n:1", "}", "{", "k:a", "n:2", "}"]),
        ("1 2\n3", ["n:1", "n:2", "n:3"]),
        ("[1][2]", ["[", "n:1", "]", "[", "n:2", "]"]),
        ("\"a\"\"b\"", ["s:a", "s:b"]),
        ("", []),
        (" \n\t\r\n ", []),
    ])
    func readsSeveralTopLevelValues(text: String, expected: [String]) throws {
        for chunkSize in JSONTokenizerInput.sources {
            #expect(try JSONTokenizerInput.dump(text, chunkSize: chunkSize) == expected)
        }
    }

    @Test func comparesKeysWithoutAllocating() throws {
        let tokenizer = JSONTokenizer(
            bytes: Array(#"{"v\u0061lue": 1, "Resources": 2, "@odata.count": 3, "": 4}"#.utf8), sourceName: "memory")
        #expect(try tokenizer.next() == .beginObject)
        #expect(try tokenizer.next() == .key)
        #expect(tokenizer.keyEquals("value"))
        #expect(!tokenizer.keyEquals("valu"))
        #expect(!tokenizer.keyEquals("Value"))
        #expect(tokenizer.keyEqualsIgnoringCase("VALUE"))
        try tokenizer.skipValue()
        #expect(try tokenizer.next() == .key)
        #expect(tokenizer.keyEqualsIgnoringCase("resources"))
        #expect(!tokenizer.keyEquals("resources"))
        try tokenizer.skipValue()
        #expect(try tokenizer.next() == .key)
        #expect(tokenizer.keyHasPrefix("@odata."))
        #expect(!tokenizer.keyHasPrefix("@odata.counter"))
        try tokenizer.skipValue()
        #expect(try tokenizer.next() == .key)
        #expect(tokenizer.keyEquals(""))
        #expect(tokenizer.stringByteCount == 0)
    }

    @Test(arguments: JSONTokenizerInput.sources)
    func readsAndSkipsSubtrees(chunkSize: Int?) throws {
        let text = #"[{"skip": {"deep": [1, {"x": "y"}]}, "keep": {"n": 1.5, "list": ["a", null, false]}}, "after"]"#
        let tokenizer = try JSONTokenizerInput.tokenizer(Array(text.utf8), chunkSize: chunkSize)
        #expect(try tokenizer.next() == .beginArray)
        #expect(try tokenizer.next() == .beginObject)
        #expect(try tokenizer.next() == .key)
        try tokenizer.skipValue()
        #expect(try tokenizer.next() == .key)
        #expect(
            try tokenizer.readValue()
                == .object([("n", .double(1.5)), ("list", .array([.string("a"), .null, .bool(false)]))]))
        #expect(tokenizer.depth == 2)
        try tokenizer.skipToEndOfContainer()
        #expect(tokenizer.depth == 1)
        #expect(try tokenizer.next() == .string)
        #expect(tokenizer.stringValue() == "after")
        #expect(try tokenizer.next() == .endArray)
        try tokenizer.expectEndOfInput()
    }

    @Test func skipsTheUTF8ByteOrderMarkInMemory() throws {
        let tokenizer = JSONTokenizer(bytes: [0xEF, 0xBB, 0xBF] + Array("[true]".utf8), sourceName: "memory")
        #expect(try JSONTokenizerInput.dump(tokenizer) == ["[", "true", "]"])
    }

    @Test func readsUTF16FilesThroughTheChunkReader() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in #"{"name": "Zoë 😀"}"#.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        // Even read sizes only: UTF8ChunkReader does not yet refill when one odd byte is left over.
        for chunkSize in [16, 1 << 20] {
            let tokenizer = try JSONTokenizerInput.tokenizer(bytes, chunkSize: chunkSize)
            #expect(try JSONTokenizerInput.dump(tokenizer) == ["{", "k:name", "s:Zoë 😀", "}"])
        }
    }

    @Test func expectEndOfInputRefusesASecondDocument() throws {
        let tokenizer = JSONTokenizer(bytes: Array("{} {}".utf8), sourceName: "body")
        #expect(try tokenizer.next() == .beginObject)
        #expect(try tokenizer.next() == .endObject)
        #expect(throws: TeprovError.self) { try tokenizer.expectEndOfInput() }
    }
}
