import Foundation
import Testing

@testable import TeprovCore

/// Document-level problems of SPEC §2 "Bad input" in CSV files: each is an error naming the line.
@Suite struct CSVDocumentErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var line: Int?
        /// A phrase the message must contain (it names the problem).
        var phrase: String
        var testDescription: String { name }

        init(_ name: String, _ text: String, line: Int?, _ phrase: String) {
            self.init(name, Array(text.utf8), line: line, phrase)
        }

        init(_ name: String, _ bytes: [UInt8], line: Int?, _ phrase: String) {
            self.name = name
            self.bytes = bytes
            self.line = line
            self.phrase = phrase
        }
    }

    static let cases: [Case] = [
        Case(
            "unclosed quote", "a,b\n1,2\n3,\"open\n4,5\n6,7\n", line: 3,
            "quoted field that starts on line 3 is never closed"),
        Case("unclosed quote in header", "a,\"b\n", line: 1, "never closed"),
        Case("unclosed quote after blank before it", "a,b\n\n1, \"x\n", line: 3, "never closed"),
        Case("invalid UTF-8", Array("a,b\n1,2\n3,x".utf8) + [0xFF] + Array("y\n".utf8), line: 3, "not valid UTF-8"),
        Case("truncated UTF-8 sequence", Array("a,b\n1,".utf8) + [0xC3] + Array("\n".utf8), line: 2, "not valid UTF-8"),
        Case("overlong UTF-8", Array("a,b\n1,".utf8) + [0xC0, 0xAF] + Array("\n".utf8), line: 2, "not valid UTF-8"),
        Case(
            "UTF-16 surrogate in UTF-8", Array("a,b\n1,".utf8) + [0xED, 0xA0, 0x80] + Array("\n".utf8), line: 2,
            "not valid UTF-8"),
        Case(
            "invalid UTF-8 inside a multi-line field", Array("a,b\n1,\"x\ny\r\nz".utf8) + [0xFE] + Array("\"\n".utf8),
            line: 4, "not valid UTF-8"),
        Case("invalid UTF-8 in header", [0x61, 0xFF, 0x2C, 0x62, 0x0A], line: 1, "not valid UTF-8"),
        Case("NUL byte", Array("a,b\n1,2\n3,".utf8) + [0x00] + Array("4\n".utf8), line: 3, "NUL byte"),
        Case("NUL in quoted field", Array("a,b\n1,\"x\n".utf8) + [0x00] + Array("\"\n".utf8), line: 3, "NUL byte"),
        Case(
            "UTF-16LE without BOM", Array("a,b\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }), line: 1,
            "UTF-16"),
        Case("duplicate header", "mail,id,Mail\n1,2,3\n", line: 1, "columns 1 (\"mail\") and 3 (\"Mail\")"),
        Case("duplicate header after blank lines", "\n\nid,ID\n", line: 3, "columns 1 (\"id\") and 2 (\"ID\")"),
        Case(
            "duplicate through Entra aliases",
            "userPrincipalName,objectId,accountEnabled,id\n", line: 1, "columns 2 (\"objectId\") and 4 (\"id\")"),
        Case(
            "duplicate bulk-create property", "version:v1.0\nName [displayName] Required,Display [displayName]\n",
            line: 2, "both name the attribute \"displayName\""),
        Case("empty header cell", "a,,b\n1,2,3\n", line: 1, "column 2 of the header row has no name"),
        Case("blank header cell", "a,  ,b\n1,2,3\n", line: 1, "column 2 of the header row has no name"),
        Case("no header", "\n\r\n,,\n", line: nil, "has no header row"),
        Case("empty file", "", line: nil, "has no header row"),
        Case("version line only", "version:v1.0,,,\n\n", line: nil, "version line but no header row"),
        Case(
            "field longer than 1 MiB", "a,b\n1," + String(repeating: "x", count: (1 << 20) + 1) + "\n2,3\n", line: 2,
            "longer than 1 MiB"),
        Case(
            "unbalanced quote swallowing the file", "a,b\n1,2\n3,\"x\n" + String(repeating: "4,5\n", count: 750_000),
            line: 3, "unbalanced quote"),
    ]

    @Test(arguments: cases, [16, 1 << 20])
    func reportsDocumentErrors(errorCase: Case, chunkSize: Int) throws {
        let error = try #require(CSVTestInput.error(errorCase.bytes, chunkSize: chunkSize))
        #expect(error.code == .input)
        #expect(error.line == errorCase.line)
        #expect(error.message.contains(errorCase.phrase), "\(error.message)")
        #expect(error.file?.hasSuffix("users.csv") == true)
    }

    /// The scanner reads eight bytes at a time: a bad byte and a comma are found at every offset in a word.
    @Test(arguments: 0..<20)
    func findsInvalidUTF8AtEveryOffset(offset: Int) throws {
        let value = [UInt8](repeating: UInt8(ascii: "a"), count: offset) + [0xFF] + Array("bbbbbbbbbbbb".utf8)
        let error = try #require(CSVTestInput.error(Array("a,b\n1,2\n".utf8) + value + Array(",x\n".utf8)))
        #expect(error.line == 3)
        #expect(error.message.contains("not valid UTF-8"))

        let text = "a,b\n" + String(repeating: "é", count: offset) + ",x\n"
        let result = try CSVTestInput.read(text)
        #expect(result.value(0, "b") == .string("x"))
        #expect(result.value(0, "a") == (offset == 0 ? nil : .string(String(repeating: "é", count: offset))))
    }

    @Test func findsInvalidUTF8InAColumnTheProjectionDrops() throws {
        let bytes = Array("mail,notes\nann@x.com,ok\nbob@x.com,bad".utf8) + [0xE2, 0x28, 0xA1] + [0x0A]
        let path = try CSVTestInput.write(bytes)
        let context = ReadContext(path: path, projection: AttributeProjection(["mail"])) { _ in }
        #expect {
            _ = try CSVExportReader.read(path: path, context: context)
        } throws: { error in
            (error as? TeprovError)?.line == 3
        }
    }

    /// A 10 MB line without a delimiter stops at the 1 MiB limit instead of being buffered whole.
    @Test func stopsOnATenMegabyteLine() throws {
        let bytes = Array("a,b\n".utf8) + [UInt8](repeating: UInt8(ascii: "z"), count: 10_000_000)
        let error = try #require(CSVTestInput.error(bytes))
        #expect(error.line == 2)
        #expect(error.message.contains("not a CSV export"))
    }

    /// Limits beyond the 1 MiB field: a row of 70,000 commas, and a row of seventeen 1 MB fields.
    @Test func stopsOnRowsTooWideOrTooLong() throws {
        let wide = Array("a,b\n1,2\n".utf8) + [UInt8](repeating: UInt8(ascii: ","), count: 70_000) + Array("x\n".utf8)
        let wideError = try #require(CSVTestInput.error(wide))
        #expect(wideError.line == 3)
        #expect(wideError.message.contains("more than 65536 fields"))

        let field = [UInt8](repeating: UInt8(ascii: "y"), count: 1_000_000)
        var long = Array("a\n".utf8)
        for _ in 0..<17 { long += field + [UInt8(ascii: ",")] }
        let longError = try #require(CSVTestInput.error(long))
        #expect(longError.line == 2)
        #expect(longError.message.contains("longer than 16 MiB"))
    }

    @Test func namesTheLineOfAnUnclosedQuoteAfterMultiLineRecords() throws {
        let text = "a,b\n1,\"x\ny\"\n2,\"p\r\nq\"\n3,\"never\n4,5\n"
        for chunkSize in [16, 1 << 20] {
            let error = try #require(CSVTestInput.error(Array(text.utf8), chunkSize: chunkSize))
            #expect(error.line == 6)
        }
    }
}
