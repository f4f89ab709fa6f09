import Foundation
import Testing

@testable import TeprovCore

/// Tokenizing on a second thread (`JSONTokenPrefetcher`) must give exactly what the tokenizer gives on
/// the calling thread. Every `JSONTestInput.read` in the JSON reader tests already reads both ways and
/// compares; these tests add inputs spanning many batches, errors after them, and early stops.
@Suite struct JSONTokenPrefetcherTests {
    static func write(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "teprov-json-prefetch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("users.json")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    /// A Graph page of `users` users (about 20 tokens each, so many batches), with escapes, non-ASCII
    /// text, numbers of every kind, nested objects and arrays, and an optional flaw near the end.
    static func largePage(users: Int, flaw: String? = nil) -> String {
        var text = "{\"@odata.context\": \"https://graph.microsoft.com/v1.0/$metadata#users\",\n \"value\": [\n"
        for index in 0..<users {
            if index > 0 { text += ",\n" }
            let name = index % 7 == 0 ? "Zo\\u00eb \\\"Q\\\" Lee\\t\(index)" : "Zoë Lee \(index)"
            text += """
                  {"id": "\(index)", "userPrincipalName": "user\(index)@contoso.com", "displayName": "\(name)",
                   "accountEnabled": \(index % 3 == 0 ? "false" : "true"), "employeeNumber": \(index),
                   "score": \(Double(index) / 8), "big": 1e\(index % 300), "manager": null,
                   "name": {"givenName": "Zoë", "surname": "Lee"},
                   "emails": [{"type": "work", "value": "u\(index)@x.com"}], "tags": ["a", "b", \(index)]}
                """
            if let flaw, index == users - 3 { text += flaw }
        }
        return text + "\n]}\n"
    }

    static func outcome(_ path: String, prefetch: Bool) -> [String] {
        JSONTestInput.describe(
            Result { try JSONTestInput.read(path: path, projection: nil, chunkSize: 1 << 16, prefetch: prefetch) })
    }

    @Test func manyBatchesReadTheSameOnTwoThreads() throws {
        let path = try Self.write(Self.largePage(users: 12_000))
        defer { Self.remove(path) }
        let sequential = Self.outcome(path, prefetch: false)
        #expect(sequential.count == 1 + 12_000)
        #expect(sequential.last?.contains("displayname=string(\"Zoë Lee 11999\")") == true)
        #expect(Self.outcome(path, prefetch: true) == sequential)
    }

    @Test(arguments: [
        ", {\"id\": \"x\" \"mail\": 1}",  // missing comma: a syntax error after many batches
        ", {\"id\": \"x\", \"mail\": \"\u{1}\"}",  // a control character in a string
        ", {\"id\": 1e400}",  // a number too large, told by the reading thread
        ", {\"id\": [[1]]}",  // an array in an array: a record problem, reading goes on
    ])
    func aFlawAfterManyBatchesIsReportedTheSameWay(flaw: String) throws {
        let path = try Self.write(Self.largePage(users: 9_000, flaw: flaw))
        defer { Self.remove(path) }
        let sequential = Self.outcome(path, prefetch: false)
        #expect(sequential.contains { $0.hasPrefix("error") || $0.contains("error ") })
        #expect(Self.outcome(path, prefetch: true) == sequential)
    }

    @Test func aValueLongerThanABatchGrowsTheBatch() throws {
        let long = String(repeating: "ab\\u00e9", count: 60_000)  // 480 KB of JSON text, 240 KB decoded
        var text = Self.largePage(users: 3_000)
        text.insert(
            contentsOf: ", {\"id\": \"long\", \"notes\": \"\(long)\"}", at: text.index(text.endIndex, offsetBy: -4))
        let path = try Self.write(text)
        defer { Self.remove(path) }
        let sequential = Self.outcome(path, prefetch: false)
        #expect(sequential.count == 1 + 3_001)
        #expect(sequential.last?.count ?? 0 > 180_000)
        #expect(Self.outcome(path, prefetch: true) == sequential)
    }

    @Test func aTruncatedFileFailsTheSameWay() throws {
        let text = Self.largePage(users: 6_000)
        let path = try Self.write(String(text.dropLast(40)))
        defer { Self.remove(path) }
        let sequential = Self.outcome(path, prefetch: false)
        #expect(
            sequential == [
                "error \(path) 30002: the JSON ends inside a string; the file is truncated or a closing quote is missing"
            ])
        #expect(Self.outcome(path, prefetch: true) == sequential)
    }

    @Test func aConsumerThatStopsEarlyStopsTheBackgroundThread() throws {
        let path = try Self.write(Self.largePage(users: 20_000))
        defer { Self.remove(path) }
        var seen = 0
        let context = ReadContext(path: path) { _ in
            seen += 1
            if seen == 10 { throw CancellationError() }
        }
        #expect(throws: CancellationError.self) {
            _ = try JSONExportReader.read(path: path, context: context, chunkSize: 1 << 16, prefetch: true)
        }
        #expect(seen == 10)
    }

    @Test func tokensValuesLinesAndDepthsAreReplayedExactly() throws {
        let text =
            "[{\"a\": \"x\\ny\", \"b\": -12.5e3, \"c\": [true, null, {\"d\": 7}]},\n 3, \"s\",\n\n 1e400]\n"
            + "{\"e\": []}"
        let path = try Self.write(text)
        defer { Self.remove(path) }
        func trace(_ tokenizer: JSONTokenizer) throws -> [String] {
            var steps: [String] = []
            while true {
                let token = try tokenizer.next()
                var step = "\(token) line \(tokenizer.line) depth \(tokenizer.depth)"
                switch token {
                case .key, .string: step += " \(tokenizer.stringValue())"
                case .number:
                    // A number beyond Double's range is an error the reading thread tells, at its line.
                    do {
                        step += " \(try tokenizer.numberValue()) integral \(tokenizer.numberIsIntegral)"
                    } catch let error as TeprovError {
                        step += " error \(error.line ?? 0): \(error.message)"
                    }
                default: break
                }
                steps.append(step)
                if token == .endOfInput { break }
            }
            steps.append("again \(try tokenizer.next()) line \(tokenizer.line)")
            return steps
        }
        let direct = try trace(JSONTokenizer(path: path, chunkSize: 5))
        let prefetcher = JSONTokenPrefetcher(tokenizer: try JSONTokenizer(path: path, chunkSize: 5))
        defer { prefetcher.finish() }
        let replayed = try trace(JSONTokenizer(replaying: prefetcher))
        #expect(direct.count == 27)
        #expect(direct.contains { $0.hasSuffix("error 4: the number 1e400 is too large to represent") })
        #expect(replayed == direct)
    }
}
