import Foundation
import Testing

@testable import TeprovCore

/// A scratch directory for one journal, report or log test, removed by `remove()`.
struct ApplyScratchDirectory {
    let url: URL

    init(_ name: String = "apply") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("teprov-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ file: String) -> String { url.appendingPathComponent(file).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

enum JournalTestSupport {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)
    static let otherDigest = "sha256:" + String(repeating: "cd", count: 32)
    /// A fixed clock: 2024-05-01T12:34:56.789Z.
    static let fixedDate = Date(timeIntervalSince1970: 1_714_566_896.789)

    static func open(_ path: String, digest: String = digest) throws -> ApplyJournal {
        try ApplyJournal.open(path: path, planDigest: digest, planPath: "plan.json", now: { fixedDate })
    }

    /// The error `body` throws, as a `TeprovError` (`nil` when it does not throw).
    static func teprovError(_ body: () throws -> Void) -> TeprovError? {
        do {
            try body()
            return nil
        } catch let error as TeprovError {
            return error
        } catch {
            return TeprovError(.io, "unexpected \(error)")
        }
    }

    /// The file's text split into lines (the last, empty piece after the final newline dropped).
    static func lines(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Each line of the file parsed as JSON.
    static func values(_ path: String) throws -> [JSONValue] {
        try lines(path).map { line in
            let tokenizer = JSONTokenizer(bytes: Array(line.utf8), sourceName: path)
            let value = try tokenizer.readValue()
            try tokenizer.expectEndOfInput()
            return value
        }
    }

    static func append(_ text: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}
