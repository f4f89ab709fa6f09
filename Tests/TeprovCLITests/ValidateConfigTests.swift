import Foundation
import Testing

/// `teprov validate --config` (issue 3): a config alone, or with exports and directory inputs.
@Suite struct ValidateConfigTests {
    static let samples = CLIRunner.packageRoot.appendingPathComponent("samples")

    @Test func configAlonePrintsTheEffectiveConfig() throws {
        let result = try CLIRunner.run(["validate", "--config", "config.yaml"], in: Self.samples)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("effective config:"))
        #expect(result.stdout.contains("\"deletionThreshold\": 500"))
        #expect(result.stdout.contains("\"source\": \"Coalesce([displayName], Join("))
    }

    @Test func withExportsAndDirectoryInputsItCountsScopeByReason() throws {
        let result = try CLIRunner.run(
            [
                "validate", "--users", "users.csv", "--config", "config.yaml", "--assignments", "assignments.json",
                "--app-roles", "app-roles.json", "--group-members", "group-members.csv", "--deleted",
                "deleted-users.json",
            ], in: Self.samples)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(
            result.stdout.contains(
                "scope: 18 in scope; out of scope: SourceSoftDeleted 2, SourceDisabled 1, DefaultAccessOnly 1, "
                    + "Unassigned 5, ScopingFilter 1"))
    }

    @Test func jsonFormatCarriesTheScopeCounts() throws {
        let result = try CLIRunner.run(
            [
                "validate", "--users", "users.json", "--config", "config.yaml", "--assignments", "assignments.json",
                "--app-roles", "app-roles.json", "--group-members", "group-members.csv", "--format", "json",
            ], in: Self.samples)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let scope = try #require(document?["scope"] as? [String: Any])
        #expect(scope["inScope"] as? Int == 18)
        #expect(scope["Unassigned"] as? Int == 5)
    }

    /// The measuring flag builds every desired user as `plan` does; what validate reports stays the same.
    @Test(arguments: ["users.csv", "users.json", "users.dsml.xml", "users.clixml.xml"])
    func buildingDesiredUsersGivesTheSameOutput(export: String) throws {
        let arguments = [
            "validate", "--users", export, "--deleted", "deleted-users.json", "--config", "config.yaml",
            "--assignments", "assignments.json", "--app-roles", "app-roles.json", "--group-members",
            "group-members.csv", "--format", "json",
        ]
        let scoped = try CLIRunner.run(arguments, in: Self.samples)
        let built = try CLIRunner.run(arguments + ["--build-desired-users"], in: Self.samples)
        #expect(scoped.status == 0, "stderr: \(scoped.stderr)")
        #expect(built.status == scoped.status)
        #expect(built.stdout == scoped.stdout)
        #expect(scoped.stdout.contains("\"inScope\""))
    }

    @Test func badConfigNamesTheKeyAndLineAndExits4() throws {
        let directory = try makeTemporaryDirectory()
        let config = directory.appendingPathComponent("config.yaml")
        try "scope: all\nsafety:\n  deletionTreshold: 3\n".write(to: config, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["validate", "--config", config.path])
        #expect(result.status == 4)
        #expect(result.stderr.contains("config.yaml, line 3: safety.deletionTreshold: unknown key"))
        #expect(result.stdout.isEmpty)
    }

    @Test func assignedScopeWithoutAssignmentsIsAUsageError() throws {
        let result = try CLIRunner.run(["validate", "--users", "users.csv", "--scope", "assigned"], in: Self.samples)
        #expect(result.status == 64)
    }

    @Test func groupAssignmentWithoutMembersListingExits4NamingTheGroup() throws {
        let result = try CLIRunner.run(
            ["validate", "--users", "users.csv", "--config", "config.yaml", "--assignments", "assignments.json"],
            in: Self.samples)
        #expect(result.status == 4)
        #expect(result.stderr.contains("Network Ops"))
        #expect(result.stderr.contains("--group-members lists no members"))
    }
}
