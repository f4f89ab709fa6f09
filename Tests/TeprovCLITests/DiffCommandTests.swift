import Foundation
import Testing

/// `teprov diff` exit codes and messages: 4 with one sentence naming the file and line for input
/// errors (and nothing on stdout), 64 for usage errors, warnings for incomplete snapshots, --quiet.
@Suite struct DiffCommandTests {
    static let changed = CLIRunner.packageRoot.appendingPathComponent("Tests/TeprovCLITests/Fixtures/diff/changed")

    func write(_ text: String, _ name: String, in directory: URL) throws {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }

    @Test func malformedJSONExitsFourNamingTheFileAndLine() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write(
            "{\"formatVersion\": 1, \"complete\": true,\n\"users\": [\n{\"id\": \"1\" \"userName\": \"a@x\"}\n]}\n",
            "bad.json", in: directory)
        try write("{\"formatVersion\": 1, \"complete\": true, \"users\": []}", "good.json", in: directory)
        let result = try CLIRunner.run(["diff", "good.json", "bad.json"], in: directory)
        #expect(result.status == 4)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("teprov: bad.json, line 3: "))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func repeatedIdsExitFour() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write(
            "{\"formatVersion\": 1, \"complete\": true, \"users\": [\n{\"id\": \"1\"},\n{\"id\": \"1\"}]}", "dup.json",
            in: directory)
        let result = try CLIRunner.run(["diff", "dup.json", "dup.json"], in: directory)
        #expect(result.status == 4)
        #expect(result.stderr.hasPrefix("teprov: dup.json, line 3: the users at lines 2 and 3 both have the id \"1\""))
    }

    @Test func aMissingFileExitsFour() throws {
        let result = try CLIRunner.run(["diff", "old.json", "missing.json"], in: Self.changed)
        #expect(result.status == 4)
        #expect(result.stderr.hasPrefix("teprov: missing.json: cannot open the file"))
    }

    @Test func anUnknownKeyIsAUsageError() throws {
        let result = try CLIRunner.run(["diff", "old.json", "new.json", "--key", "email"], in: Self.changed)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
    }

    @Test func keyNamesAreAcceptedInAnyCase() throws {
        let result = try CLIRunner.run(["diff", "old.json", "new.json", "--key", "USERNAME"], in: Self.changed)
        #expect(result.status == 1)
    }

    @Test func anIncompleteSnapshotIsComparedWithAWarning() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write(
            "{\"formatVersion\": 1, \"complete\": false, \"users\": [{\"id\": \"1\", \"userName\": \"a@x\"}]}",
            "partial.json", in: directory)
        try write(
            "{\"formatVersion\": 1, \"complete\": true, \"users\": [{\"id\": \"1\", \"userName\": \"a@x\"}]}",
            "full.json", in: directory)
        let result = try CLIRunner.run(["diff", "partial.json", "full.json"], in: directory)
        #expect(result.status == 0)
        #expect(result.stdout == "no differences: 1 user unchanged\n")
        #expect(result.stderr.hasPrefix("teprov: warning: partial.json, line 1: the snapshot says \"complete\": false"))
    }

    @Test func quietPrintsNothingAndKeepsTheExitStatus() throws {
        let result = try CLIRunner.run(["diff", "old.json", "new.json", "--quiet"], in: Self.changed)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty && result.stderr.isEmpty)
    }
}
