import Foundation
import Testing

/// The bad-input corpus (issue 2): every file gives the documented diagnostic or a one-sentence error naming the
/// file (and line), exit 4 where the document is unusable, and never a crash or a hang.
@Suite struct BadInputCorpusTests {
    static let corpus = CLIRunner.packageRoot.appendingPathComponent("Tests/TeprovCLITests/Fixtures/bad-input")

    struct Case: Sendable, CustomStringConvertible {
        var file: String
        var status: Int32
        /// Text the one-line error (exit 4) or the validate report (exit 0) must contain.
        var expected: String
        /// `, line N` in the error, when the problem has a line.
        var line: Int?
        var description: String { file }
    }

    static let cases: [Case] = [
        Case(file: "truncated.json", status: 4, expected: "the JSON ends inside a string", line: 2),
        Case(
            file: "unclosed-quote.csv", status: 4, expected: "quoted field that starts on line 3 is never closed",
            line: 3),
        Case(file: "not-well-formed.xml", status: 4, expected: "is not well-formed XML", line: 5),
        Case(file: "billion-laughs.xml", status: 4, expected: "refuses DTDs and entities", line: 2),
        Case(file: "external-entity.xml", status: 4, expected: "refuses DTDs and entities", line: 2),
        Case(file: "invalid-utf8.csv", status: 4, expected: "is not valid UTF-8", line: 3),
        Case(file: "empty.csv", status: 4, expected: "is empty", line: nil),
        Case(file: "whitespace-only.csv", status: 4, expected: "holds only whitespace", line: nil),
        Case(file: "header-only.csv", status: 0, expected: "has a header but no user rows", line: nil),
        Case(file: "duplicate-headers.csv", status: 4, expected: "both name the attribute \"id\"", line: 1),
        Case(file: "nul-bytes.csv", status: 4, expected: "contains a NUL byte", line: 3),
        Case(file: "utf16le-without-bom.csv", status: 4, expected: "contains a NUL byte", line: 1),
        Case(file: "binary-garbage.dat", status: 4, expected: "contains a NUL byte", line: 1),
        Case(
            file: "too-many-fields.csv", status: 0,
            expected: "too-many-fields.csv:3: row has 4 fields but the header has 3", line: nil),
        Case(file: "dangling-nextlink.json", status: 4, expected: "the export is partial", line: 3),
        Case(file: "scim-short.json", status: 4, expected: "totalResults is 3 but the file holds 1", line: 1),
        Case(file: "trailing-comma.json", status: 4, expected: "trailing comma", line: 1),
        Case(file: "deep-nesting.json", status: 4, expected: "nested more than 512 levels", line: 1),
        Case(file: "dsml-failed-search.xml", status: 4, expected: "result code 4", line: 7),
        Case(
            file: "bulk-create-bad-block-sign-in.csv", status: 0, expected: "\"Block sign in\" is \"Maybe\"", line: nil),
        Case(file: "utf16le-with-bom-ok.csv", status: 0, expected: "1 records, 0 invalid", line: nil),
    ]

    @Test(arguments: cases)
    func corpusFile(_ testCase: Case) throws {
        let result = try CLIRunner.run(["validate", "--users", testCase.file], in: Self.corpus)
        #expect(result.status == testCase.status, "stderr: \(result.stderr)")
        if testCase.status == 4 {
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "expected one error line, got: \(result.stderr)")
            let line = String(lines.first ?? "")
            #expect(line.hasPrefix("teprov: \(testCase.file)"))
            #expect(line.contains(testCase.expected), "stderr: \(line)")
            if let number = testCase.line { #expect(line.contains(", line \(number):"), "stderr: \(line)") }
        } else {
            #expect(result.stdout.contains(testCase.expected), "stdout: \(result.stdout)")
        }
    }

    @Test func corpusHasAtLeastFifteenFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
        #expect(files.count >= 15)
        #expect(Set(Self.cases.map(\.file)) == Set(files))
    }

    /// A 10 MB single line: CSV refuses the oversized field quickly instead of hanging or eating memory;
    /// as one minified JSON document the same size it reads normally.
    @Test func tenMegabyteSingleLine() throws {
        let directory = try makeTemporaryDirectory()
        let csv = directory.appendingPathComponent("long-line.csv")
        try Data(("userPrincipalName,id\n" + String(repeating: "a", count: 10 << 20)).utf8).write(to: csv)
        let csvResult = try CLIRunner.run(["validate", "--users", csv.path])
        #expect(csvResult.status == 4)
        #expect(csvResult.stderr.contains("line 2"))

        let users = (0..<60_000).map {
            #"{"id":"\#($0)","userPrincipalName":"user\#($0)@contoso.com","displayName":"User \#($0)"}"#
        }
        let json = directory.appendingPathComponent("one-line.json")
        try Data(("[" + users.joined(separator: ",") + "]").utf8).write(to: json)
        let jsonResult = try CLIRunner.run(["validate", "--users", json.path])
        #expect(jsonResult.status == 0, "stderr: \(jsonResult.stderr)")
        #expect(jsonResult.stdout.contains("60000 records, 0 invalid"))
    }
}
