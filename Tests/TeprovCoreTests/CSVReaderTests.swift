import Foundation
import Testing

@testable import TeprovCore

/// What reading one CSV input produced.
struct CSVReadResult {
    var format: ExportFormat
    var records: [SourceRecord]
    var diagnostics: [Diagnostic]
    var invalid: Int
    var attributeNames: [String]
    var invalidRecords: [InvalidRecord]

    /// The record's value of `name`, by record position.
    func value(_ record: Int, _ name: String) -> AttributeValue? { records[record][name] }
    var lines: [Int] { records.map(\.origin.line) }
}

/// Writes CSV inputs to a temporary directory and reads them with `CSVExportReader`.
enum CSVTestInput {
    /// Read sizes every tolerance test runs with: tiny chunks split every row, field and CRLF.
    static let chunkSizes = [16, 17, 1 << 20]

    static func write(_ bytes: [UInt8]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "teprov-csv-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("users.csv")
        try Data(bytes).write(to: url)
        return url.path
    }

    static func read(
        _ bytes: [UInt8], projection: [String]? = nil, chunkSize: Int = 1 << 20
    ) throws -> CSVReadResult {
        let path = try write(bytes)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var records: [SourceRecord] = []
        let context = ReadContext(
            path: path, projection: projection.map { names in AttributeProjection(Set(names.map { AttributeKey($0) })) }
        ) { records.append($0) }
        let format = try CSVExportReader.read(path: path, context: context, chunkSize: chunkSize)
        return CSVReadResult(
            format: format, records: records, diagnostics: context.diagnostics, invalid: context.invalidCount,
            attributeNames: context.attributeNames, invalidRecords: context.invalidRecords)
    }

    static func read(_ text: String, projection: [String]? = nil, chunkSize: Int = 1 << 20) throws -> CSVReadResult {
        try read(Array(text.utf8), projection: projection, chunkSize: chunkSize)
    }

    /// The document-level error reading `bytes` throws, or `nil` when it reads.
    static func error(_ bytes: [UInt8], chunkSize: Int = 1 << 20) -> TeprovError? {
        do {
            _ = try read(bytes, chunkSize: chunkSize)
            return nil
        } catch let error as TeprovError {
            return error
        } catch {
            return TeprovError(.io, "unexpected \(error)")
        }
    }

    static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let high = UInt8(unit >> 8)
            let low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }
}

/// The tolerances of SPEC §2 "CSV", each read with tiny and normal chunk sizes.
@Suite struct CSVReaderTests {
    static let sample =
        "userPrincipalName,displayName\r\nzoe@example.com, Zoe\u{0301} A\u{030A}kesson \r\nann@example.com,Ann\r\n"

    static let encodings: [(String, [UInt8])] = [
        ("UTF-8", Array(sample.utf8)),
        ("UTF-8 with BOM", [0xEF, 0xBB, 0xBF] + Array(sample.utf8)),
        ("UTF-16LE with BOM", CSVTestInput.utf16(sample, bigEndian: false)),
        ("UTF-16BE with BOM", CSVTestInput.utf16(sample, bigEndian: true)),
    ]

    @Test(arguments: encodings, CSVTestInput.chunkSizes)
    func readsEveryEncoding(encoding: (name: String, bytes: [UInt8]), chunkSize: Int) throws {
        let result = try CSVTestInput.read(encoding.bytes, chunkSize: chunkSize)
        #expect(result.records.count == 2, "\(encoding.name)")
        #expect(result.attributeNames == ["userPrincipalName", "displayName"], "\(encoding.name): BOM kept in a name")
        #expect(result.value(0, "userPrincipalName") == .string("zoe@example.com"))
        #expect(result.value(0, "displayName") == .string("Zo\u{00E9} \u{00C5}kesson"), "\(encoding.name): NFC + trim")
        #expect(result.lines == [2, 3])
    }

    @Test(
        arguments: [
            ("LF", "a,b\n1,2\n3,4\n"), ("CRLF", "a,b\r\n1,2\r\n3,4\r\n"), ("lone CR", "a,b\r1,2\r3,4\r"),
            ("no final line break", "a,b\n1,2\n3,4"), ("mixed", "a,b\r\n1,2\n3,4\r"),
        ], CSVTestInput.chunkSizes)
    func readsEveryLineEnding(lineEnding: (name: String, text: String), chunkSize: Int) throws {
        let result = try CSVTestInput.read(lineEnding.text, chunkSize: chunkSize)
        #expect(result.records.count == 2, "\(lineEnding.name)")
        #expect(result.lines == [2, 3], "\(lineEnding.name)")
        #expect(result.value(1, "b") == .string("4"), "\(lineEnding.name): CR kept in the last value")
    }

    /// (name, CSV, value of `b` in the first record, origin lines of the records)
    static let quotingCases: [(String, String, String?, [Int])] = [
        ("quoted comma", "a,b\n1,\"x, y\"\n2,z\n", "x, y", [2, 3]),
        ("doubled quote", "a,b\n1,\"say \"\"hi\"\"\"\n2,z\n", "say \"hi\"", [2, 3]),
        ("only a doubled quote", "a,b\n1,\"\"\"\"\n2,z\n", "\"", [2, 3]),
        ("embedded LF", "a,b\n1,\"two\nlines\"\n2,z\n", "two\nlines", [2, 4]),
        ("embedded CRLF", "a,b\r\n1,\"two\r\nlines\"\r\n2,z\r\n", "two\r\nlines", [2, 4]),
        ("two embedded newlines", "a,b\n1,\"x\n\ny\"\n2,z\n", "x\n\ny", [2, 5]),
        ("quoted empty", "a,b\n1,\"\"\n2,z\n", nil, [2, 3]),
        ("quoted blanks", "a,b\n1,\"   \"\n2,z\n", nil, [2, 3]),
        ("stray quote kept", "a,b\n1,ab\"c\n2,z\n", "ab\"c", [2, 3]),
        ("text after closing quote appended", "a,b\n1,\"ab\"cd\n2,z\n", "abcd", [2, 3]),
        ("blank after closing quote", "a,b\n1,\"ab\"  \n2,z\n", "ab", [2, 3]),
        ("blank before opening quote", "a,b\n1, \"x,y\"\n2,z\n", "x,y", [2, 3]),
        ("quoted header", "\"a\",\"b\"\n1,v\n2,z\n", "v", [2, 3]),
        ("quoted last field at EOF", "a,b\n1,\"v\"\n2,\"z\"", "v", [2, 3]),
    ]

    @Test(arguments: quotingCases, CSVTestInput.chunkSizes)
    func readsQuotedFields(quoting: (name: String, csv: String, value: String?, lines: [Int]), chunkSize: Int) throws {
        let result = try CSVTestInput.read(quoting.csv, chunkSize: chunkSize)
        #expect(result.value(0, "b") == quoting.value.map { .string($0) }, "\(quoting.name)")
        #expect(result.lines == quoting.lines, "\(quoting.name): line of the next record")
        #expect(result.value(1, "b") == .string("z"), "\(quoting.name)")
        #expect(result.invalid == 0)
    }

    @Test(arguments: CSVTestInput.chunkSizes)
    func padsShortRowsWithNulls(chunkSize: Int) throws {
        let result = try CSVTestInput.read("a,b,c\n1\n2,,\n3,x\n", chunkSize: chunkSize)
        #expect(result.records.count == 3)
        #expect(result.records[0].fields.map(\.key) == ["a"])
        #expect(result.records[1].fields.map(\.key) == ["a"])
        #expect(result.value(2, "b") == .string("x"))
        #expect(result.value(2, "c") == nil)
        #expect(result.invalid == 0)
    }

    @Test(arguments: CSVTestInput.chunkSizes)
    func rejectsRowsLongerThanTheHeader(chunkSize: Int) throws {
        let result = try CSVTestInput.read("a,b,c\n1,2,3\n4,5,6,7\n8,9,\n10,11,12,\n", chunkSize: chunkSize)
        #expect(result.records.map { $0["a"] } == [.string("1"), .string("8")])
        #expect(result.invalid == 2)
        #expect(result.diagnostics.map(\.line) == [3, 5])
        #expect(result.diagnostics.allSatisfy { $0.severity == .error })
        #expect(result.diagnostics.first?.message.hasPrefix("row has 4 fields but the header has 3; ") == true)
        #expect(result.records.map(\.origin.index) == [0, 2], "invalid records take an index too")
        // Partial records keep the first header-width fields, to protect the targets they name.
        #expect(result.invalidRecords.map(\.origin.line) == [3, 5])
        #expect(result.invalidRecords.map(\.origin.index) == [1, 3])
        #expect(
            result.invalidRecords.first?.partial?.fields.map(\.value) == [.string("4"), .string("5"), .string("6")])
    }

    @Test(arguments: CSVTestInput.chunkSizes)
    func skipsBlankLines(chunkSize: Int) throws {
        let text = "\n\r\na,b\n\n1,2\n   \n,\n\t,  \n\r\n3,4\n\n"
        let result = try CSVTestInput.read(text, chunkSize: chunkSize)
        #expect(result.attributeNames == ["a", "b"])
        #expect(result.records.count == 2)
        #expect(result.lines == [5, 10])
        #expect(result.records.map(\.origin.index) == [0, 1])
        #expect(result.diagnostics.isEmpty)
    }

    /// Rows wider than the initial field storage (64) keep every field, also when a row crosses chunks.
    @Test(arguments: CSVTestInput.chunkSizes)
    func readsWideFiles(chunkSize: Int) throws {
        let width = 300
        let header = (0..<width).map { "c\($0)" }.joined(separator: ",")
        let rows = (0..<3).map { row in (0..<width).map { "v\(row)-\($0)" }.joined(separator: ",") }
        let result = try CSVTestInput.read(([header] + rows).joined(separator: "\n"), chunkSize: chunkSize)
        #expect(result.records.count == 3)
        for (row, record) in result.records.enumerated() {
            #expect(record.fields.count == width)
            #expect(record.fields.map(\.value) == (0..<width).map { .string("v\(row)-\($0)") })
        }
    }

    @Test func keepsOnlyProjectedAttributes() throws {
        let result = try CSVTestInput.read(
            "userPrincipalName,Mail,department\nann@x.com,ann@x.com,Sales\n", projection: ["mail"])
        #expect(result.records[0].fields == [SourceRecord.Field(key: "mail", value: .string("ann@x.com"))])
        #expect(result.attributeNames == ["userPrincipalName", "mail", "department"])
    }

    @Test(arguments: [
        ("  Ann  ", "Ann"), ("\tAnn Lee\t", "Ann Lee"), ("\u{00A0}Jose\u{0301}\u{00A0}", "Jos\u{00E9}"),
        ("\"  Zoe\u{0308} \"", "Zo\u{00EB}"), ("\"\u{212B}\"", "\u{00C5}"),
    ])
    func trimsAndNormalizesToNFC(raw: String, expected: String) throws {
        let result = try CSVTestInput.read("id,name\n1,\(raw)\n")
        #expect(result.value(0, "name") == .string(expected))
    }

    @Test(arguments: [
        ("True", AttributeValue.bool(true)), ("False", .bool(false)), ("TRUE", .bool(true)), ("false", .bool(false)),
        ("\" true \"", .bool(true)), ("Yes", .string("Yes")), ("tRUE", .string("tRUE")), ("Truth", .string("Truth")),
        ("fals", .string("fals")), ("1", .string("1")),
    ])
    func readsBooleans(raw: String, expected: AttributeValue) throws {
        let result = try CSVTestInput.read("id,accountEnabled\n1,\(raw)\n")
        #expect(result.value(0, "accountEnabled") == expected)
    }

    @Test func toleratesTrailingUnnamedColumns() throws {
        let result = try CSVTestInput.read("a,b,,\n1,2,,\n3,4,,x\n5,6\n")
        #expect(result.records.map { $0["a"] } == [.string("1"), .string("5")])
        #expect(result.invalid == 1)
        #expect(result.diagnostics.first?.line == 3)
        #expect(result.diagnostics.first?.message.contains("column 4") == true)
        #expect(result.invalidRecords.first?.partial?["a"] == .string("3"))
        #expect(result.attributeNames == ["a", "b"])
    }

    @Test func warnsAboutAHeaderWithoutRows() throws {
        for text in ["userPrincipalName,mail\n", "userPrincipalName,mail", "userPrincipalName,mail\n\n,\n"] {
            let result = try CSVTestInput.read(text)
            #expect(result.records.isEmpty)
            #expect(result.diagnostics.count == 1)
            #expect(result.diagnostics.first?.severity == .warning)
            #expect(result.diagnostics.first?.message.contains("has a header but no user rows") == true)
        }
    }

    @Test func recordsCarryFileLineAndIndex() throws {
        let result = try CSVTestInput.read("a\nx\ny\n")
        #expect(result.records.map(\.origin.index) == [0, 1])
        #expect(result.records.allSatisfy { $0.origin.file.hasSuffix("users.csv") })
    }

    @Test func readsThroughExportReader() throws {
        let path = try CSVTestInput.write(Array("userPrincipalName,accountEnabled\nann@x.com,True\n".utf8))
        let (summary, records) = try ExportReader.readAll(path: path)
        #expect(summary.format == ExportFormat(.csv, "generic"))
        #expect(summary.records == 1)
        #expect(records.first?["accountEnabled"] == .bool(true))
    }
}

struct CSVSharedRowTextTests {
    /// The address of a string's UTF-8 storage (`nil` for a small string kept inline).
    private func storage(_ value: AttributeValue?) -> UnsafeRawPointer? {
        guard case .string(let text)? = value else { return nil }
        return text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    @Test(arguments: [true, false])
    func aLongValueRepeatedInItsRowSharesTheEarlierString(_ prefetch: Bool) throws {
        let text =
            "userPrincipalName,mail,displayName,id\n"
            + "megan.bowen@contoso.com,megan.bowen@contoso.com,Megan Bowen,49ad42a1-a3a5-4698-8e1a-a22d74be622c\n"
            + "alex.wilber@contoso.com,alex.w@contoso.com,Alex Wilber,02ef4e16-b805-4a15-9ea2-7764acf442ce\n"
            + "lidia.holloway@contoso.com,LIDIA.HOLLOWAY@contoso.com,Lidia,f5bc62b2-f267-46ef-ad31-5060fc7a1236\n"
        let path = try CSVTestInput.write(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var records: [SourceRecord] = []
        let context = ReadContext(path: path, projection: nil) { records.append($0) }
        _ = try CSVExportReader.read(path: path, context: context, chunkSize: 1 << 20, prefetch: prefetch)
        try #require(records.count == 3)
        // Equal bytes: one string, two fields.
        #expect(records[0]["mail"] == .string("megan.bowen@contoso.com"))
        #expect(records[0]["userPrincipalName"] == .string("megan.bowen@contoso.com"))
        let shared = storage(records[0]["mail"])
        #expect(shared != nil)
        #expect(shared == storage(records[0]["userPrincipalName"]))
        // Different values, and values that differ only in case, keep their own text.
        #expect(records[1]["mail"] == .string("alex.w@contoso.com"))
        #expect(records[2]["mail"] == .string("LIDIA.HOLLOWAY@contoso.com"))
        #expect(records[2]["userPrincipalName"] == .string("lidia.holloway@contoso.com"))
        #expect(storage(records[2]["mail"]) != storage(records[2]["userPrincipalName"]))
    }
}
