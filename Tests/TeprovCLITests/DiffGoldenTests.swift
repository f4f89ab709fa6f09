import Foundation
import Testing

/// `teprov diff OLD NEW` against recorded outputs (SPEC §9, issue 6): added, removed, changed (nested,
/// multi-valued, case-only), renamed, `--key userName`, `--ignore` and a ThousandEyes v7 export, in
/// text, markdown and json. Each case is a folder of Fixtures/diff/ holding old.json, new.json,
/// case.json (`{"args": [...], "status": N}`) and expected.txt/.md/.json; `RECORD=1` re-records.
@Suite struct DiffGoldenTests {
    static let casesDirectory = CLIRunner.packageRoot.appendingPathComponent("Tests/TeprovCLITests/Fixtures/diff")
    static let cases = ["identical", "added", "removed", "changed", "renamed", "key-username", "ignore", "v7"]
    static let formats = [("text", "expected.txt"), ("markdown", "expected.md"), ("json", "expected.json")]

    struct Case: Decodable {
        var args: [String]
        var status: Int32
    }

    @Test(arguments: cases)
    func matchesGoldenInEveryFormat(_ name: String) throws {
        let directory = Self.casesDirectory.appendingPathComponent(name)
        let setup = try JSONDecoder().decode(
            Case.self, from: Data(contentsOf: directory.appendingPathComponent("case.json")))
        for (format, file) in Self.formats {
            let result = try CLIRunner.run(
                ["diff", "old.json", "new.json", "--format", format, "--no-color"] + setup.args, in: directory)
            #expect(result.status == setup.status, "\(name) \(format): stderr \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(name) \(format): \(result.stderr)")
            let golden = directory.appendingPathComponent(file)
            if ProcessInfo.processInfo.environment["RECORD"] == "1" {
                try Data(result.stdout.utf8).write(to: golden)
            }
            let expected = try String(contentsOf: golden, encoding: .utf8)
            #expect(result.stdout == expected, "diff output for \(name) in \(format) differs from \(file)")
        }
    }

    @Test func theJSONFormatHasExactlyTheFourMembersOfTheSpec() throws {
        let directory = Self.casesDirectory.appendingPathComponent("changed")
        let result = try CLIRunner.run(["diff", "old.json", "new.json", "--format", "json"], in: directory)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(document.keys) == ["added", "removed", "changed", "unchanged"])
        let changed = try #require(document["changed"] as? [[String: Any]])
        #expect(changed.allSatisfy { Set($0.keys) == ["id", "userName", "changes"] })
        let changes = changed.flatMap { ($0["changes"] as? [[String: Any]]) ?? [] }
        #expect(!changes.isEmpty && changes.allSatisfy { Set($0.keys) == ["attribute", "old", "new"] })
    }

    @Test func aSnapshotDiffedWithItselfSaysNoDifferencesAndExitsZero() throws {
        let sample = CLIRunner.packageRoot.appendingPathComponent("samples/snapshot.json").path
        let result = try CLIRunner.run(["diff", sample, sample])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("no differences: "))
        #expect(result.stdout.split(separator: "\n").count == 1)
    }
}
