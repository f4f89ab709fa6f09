import Foundation
import Testing

@testable import TeprovCore

/// Reading rows on a second thread (`CSVRowPrefetcher`) must give exactly what the tokenizer gives on
/// the calling thread: the same records, lines, diagnostics and errors, in the same order.
@Suite struct CSVRowPrefetcherTests {
    /// What one read produced, comparable across the two ways of reading.
    struct Outcome: Equatable {
        var format: String?
        var records: [String]
        var diagnostics: [String]
        var invalid: Int
        var attributes: [String]
        var error: String?
    }

    static func read(_ bytes: [UInt8], prefetch: Bool, chunkSize: Int = 1 << 20, stopAfter: Int? = nil) throws
        -> Outcome
    {
        let path = try CSVTestInput.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var records: [String] = []
        let context = ReadContext(path: path) { record in
            if let stopAfter, records.count == stopAfter { throw CancellationError() }
            let fields = record.fields.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: "|")
            records.append("\(record.origin.line)/\(record.origin.index): \(fields)")
        }
        var outcome = Outcome(format: nil, records: [], diagnostics: [], invalid: 0, attributes: [], error: nil)
        do {
            let format = try CSVExportReader.read(
                path: path, context: context, chunkSize: chunkSize, prefetch: prefetch)
            outcome.format = format.description
        } catch let error as TeprovError {
            outcome.error = "\(error.line ?? 0): \(error.message)"
        } catch {
            outcome.error = "\(type(of: error))"
        }
        outcome.records = records
        outcome.diagnostics = context.diagnostics.map { "\($0.line ?? 0): \($0.message)" }
        outcome.invalid = context.invalidCount
        outcome.attributes = context.attributeNames
        return outcome
    }

    static let inputs: [[UInt8]] = [
        Array(
            "\u{FEFF}userPrincipalName,displayName,accountEnabled\r\nann@x.com, Ann ,True\r\nbob@x.com,\"Lee, Bob\",false\r\n"
                .utf8),
        Array("mail,notes\nann@x.com,\"two\nlines\"\n\nbob@x.com,\"a \"\"quote\"\"\"x\nzoë@x.com,Zoe\u{0301}\n".utf8),
        Array("mail,notes\nann@x.com,ok,extra\nbob@x.com\n,,\ncarl@x.com,\u{00A0}spaced\u{3000}\n".utf8),
        Array("version:v1.0\nName [displayName] Required,Block sign in (Yes/No) [accountEnabled] Required\n".utf8)
            + Array("Example: Chris Green,No\nAnn Lee,Yes\nBob Ray,maybe\n".utf8),
        Array("mail,notes\nann@x.com,\"never closed\nbob@x.com,x\n".utf8),
        Array("mail,notes\nann@x.com,ok\nbob@x.com,bad".utf8) + [0xE2, 0x28, 0xA1, 0x0A],
        CSVTestInput.utf16("mail,givenName\r\nann@x.com,Ann\r\nbob@x.com,Bob\r\n", bigEndian: false),
        Array("mail,name\n".utf8),
    ]

    @Test(arguments: inputs.indices, [16, 1 << 20])
    func smallInputsReadTheSameOnTwoThreads(input: Int, chunkSize: Int) throws {
        let bytes = Self.inputs[input]
        let sequential = try Self.read(bytes, prefetch: false, chunkSize: chunkSize)
        let prefetched = try Self.read(bytes, prefetch: true, chunkSize: chunkSize)
        #expect(prefetched == sequential)
    }

    /// Many batches, a quoted line break now and then, and an error near the end.
    static func largeInput(rows: Int, badRowAt: Int? = nil) -> [UInt8] {
        var text = "userPrincipalName,displayName,department,streetAddress,notes\r\n"
        for row in 0..<rows {
            let notes = row % 97 == 0 ? "\"line one\nline two\"" : (row % 13 == 0 ? "Zoë" : "plain")
            text += "user\(row)@contoso.com,User \(row),Human Resources Department,1 Grand Canal Square,\(notes)\r\n"
        }
        var bytes = Array(text.utf8)
        if let badRowAt { bytes.insert(0xFF, at: bytes.count - 10 - badRowAt) }
        return bytes
    }

    @Test func largeInputsReadTheSameOnTwoThreads() throws {
        let bytes = Self.largeInput(rows: 30_000)
        let sequential = try Self.read(bytes, prefetch: false)
        let prefetched = try Self.read(bytes, prefetch: true)
        #expect(sequential.records.count == 30_000)
        #expect(prefetched == sequential)
    }

    @Test func anErrorAfterManyBatchesComesAfterTheRowsBeforeIt() throws {
        let bytes = Self.largeInput(rows: 30_000, badRowAt: 5)
        let sequential = try Self.read(bytes, prefetch: false)
        let prefetched = try Self.read(bytes, prefetch: true)
        #expect(sequential.error?.contains("not valid UTF-8") == true)
        #expect(sequential.records.count > 29_000)
        #expect(prefetched == sequential)
    }

    /// Rows after the first batches come with their values worked out on the background thread
    /// (`CSVPreparedField`): every kind of value must read exactly as on one thread.
    static let trickyRows: [String] = [
        "a@x.com, True ,TRUE\u{00A0},\u{00A0},Zoe\u{0301},\"a \"\"b\"\"\"c",
        "b@x.com,fals,FaLse,   ,Anaïs Dupré-Łukasiewicz the Third,\"Lee, Bob\"",
        "c@x.com,false,True,fifteen bytes..,sixteen bytes...,\u{3000}Straße\u{3000}",
        "d@x.com,,\t,\"  quoted  \",\"\",1 Grand Canal Square Dublin",
        "e@x.com,FALSE\u{2003},true,café,\u{0065}\u{0301}\u{0065}\u{0301}\u{0065}\u{0301}\u{0065}\u{0301}x,z",
        "f@x.com,only two",
        "g@x.com,1,2,3,4,5,6",
        ",,,,,",
    ]

    @Test func valuesWorkedOutAheadReadTheSameAsOnOneThread() throws {
        var text = "mail,a,b,c,d,e\r\n"
        for row in 0..<25_000 { text += "user\(row)@contoso.com,Human Resources Department,x,y,z,w\r\n" }
        for _ in 0..<40 { text += Self.trickyRows.joined(separator: "\r\n") + "\r\n" }
        let bytes = Array(text.utf8)
        let sequential = try Self.read(bytes, prefetch: false)
        let prefetched = try Self.read(bytes, prefetch: true)
        #expect(sequential.records.count == 25_000 + 40 * 6)
        #expect(sequential.diagnostics.count == 40)
        #expect(prefetched == sequential)
        let tail = sequential.records.suffix(6).map { String($0.split(separator: " ", maxSplits: 1)[1]) }
        #expect(
            tail == [
                #"mail=string("a@x.com")|a=bool(true)|b=bool(true)|d=string("Zoé")|e=string("a \"b\"c")"#,
                #"mail=string("b@x.com")|a=string("fals")|b=string("FaLse")|d=string("Anaïs Dupré-Łukasiewicz the Third")|e=string("Lee, Bob")"#,
                #"mail=string("c@x.com")|a=bool(false)|b=bool(true)|c=string("fifteen bytes..")|d=string("sixteen bytes...")|e=string("Straße")"#,
                #"mail=string("d@x.com")|c=string("quoted")|e=string("1 Grand Canal Square Dublin")"#,
                #"mail=string("e@x.com")|a=bool(false)|b=bool(true)|c=string("café")|d=string("ééééx")|e=string("z")"#,
                #"mail=string("f@x.com")|a=string("only two")"#,
            ])

        // The tail rows were indeed handed over worked out.
        let path = try CSVTestInput.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let tokenizer = CSVTokenizer(reader: try UTF8ChunkReader(path: path, chunkSize: 1 << 16))
        let rows = CSVRowPrefetcher(tokenizer: tokenizer)
        defer { rows.finish() }
        var session = CSVReadSession(tokenizer: rows, context: ReadContext(path: path) { _ in })
        _ = try session.run()
        #expect(rows.preparedRows > 1_000)
    }

    @Test func aConsumerThatStopsEarlyStopsTheBackgroundThread() throws {
        let bytes = Self.largeInput(rows: 60_000)
        let outcome = try Self.read(bytes, prefetch: true, stopAfter: 10)
        #expect(outcome.records.count == 10)
        #expect(outcome.error == "CancellationError")
    }
}

@Suite struct CSVRepeatedTextTests {
    @Test func repeatedLongValuesShareOneStringAndReadTheSame() {
        var repeated = CSVRepeatedText(columns: 2)
        var texts: [String] = []
        for row in 0..<2_000 {
            let value = row % 3 == 0 ? "1 Grand Canal Square, Dublin" : "2 Kingdom Street, London W2"
            texts.append(Array(value.utf8).withUnsafeBufferPointer { repeated.text(column: 0, $0) })
        }
        #expect(
            texts.enumerated().allSatisfy { row, text in
                text == (row % 3 == 0 ? "1 Grand Canal Square, Dublin" : "2 Kingdom Street, London W2")
            })
    }

    @Test func distinctValuesStillReadTheSameAfterTheColumnStopsLooking() {
        var repeated = CSVRepeatedText(columns: 1)
        for row in 0..<3_000 {
            let value = "user\(row)@contoso.onmicrosoft.com"
            let text = Array(value.utf8).withUnsafeBufferPointer { repeated.text(column: 0, $0) }
            #expect(text == value)
        }
    }

    @Test func sameLengthValuesThatCollideAreNotMixedUp() {
        var repeated = CSVRepeatedText(columns: 1)
        let values = ["aaaaaaaaaaaaaaaaXa", "bbbbbbbbbbbbbbbbXa", "aaaaaaaaaaaaaaaaXa", "cccccccccccccccXaa"]
        for value in values + values {
            let text = Array(value.utf8).withUnsafeBufferPointer { repeated.text(column: 0, $0) }
            #expect(text == value)
        }
    }
}
