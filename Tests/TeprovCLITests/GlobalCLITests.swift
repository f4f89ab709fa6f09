import Foundation
import Testing

@Suite struct GlobalCLITests {
    @Test func versionPrintsTheVersionAndExitsZero() throws {
        let result = try CLIRunner.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    @Test func unknownFlagIsAUsageError() throws {
        let result = try CLIRunner.run(["validate", "--users", "x.csv", "--no-such-flag"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
    }

    @Test func validateWithoutUsersIsAUsageError() throws {
        let result = try CLIRunner.run(["validate"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--users"))
    }

    @Test func helpListsValidate() throws {
        let result = try CLIRunner.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("validate"))
    }
}
