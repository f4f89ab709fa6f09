import Foundation
import Testing

/// `teprov plan` as a user runs it (SPEC §1 exit codes, §6, §7): files written, stdout, stderr, status.
@Suite struct PlanCommandTests {
    static let samples = CLIRunner.packageRoot.appendingPathComponent("samples")

    /// The full samples command line, writing the plan to `out`.
    static func samplesArguments(out: String) -> [String] {
        [
            "plan", "--users", "users.csv", "--snapshot", "snapshot.json", "--assignments", "assignments.json",
            "--app-roles", "app-roles.json", "--group-members", "group-members.csv", "--deleted", "deleted-users.json",
            "--config", "config.yaml", "--out", out,
        ]
    }

    static func readJSON(_ url: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: url)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A one-person directory and a snapshot in `directory`: Adele (in sync) plus `extraTargets`.
    static func writeSmallCase(
        in directory: URL, adeleDisplayName: String = "Adele Vance", extraTargets: [String] = [],
        config: String = "scope: all\n"
    ) throws {
        let users = """
            id,userPrincipalName,displayName,givenName,surname,mail,accountEnabled
            6c0a8a7e-0000-4000-8000-000000000001,adele.vance@contoso.com,\(adeleDisplayName),Adele,Vance,adele.vance@contoso.com,True

            """
        let adele = """
            {"id": "2001", "externalId": "6c0a8a7e-0000-4000-8000-000000000001", "userName": "adele.vance@contoso.com",
             "displayName": "Adele Vance", "name": {"formatted": "Adele Vance"},
             "emails": [{"value": "adele.vance@contoso.com", "type": "work", "primary": true}], "active": true}
            """
        let targets = [adele] + extraTargets
        let snapshot = """
            {"formatVersion": 1, "capturedAt": "2026-11-29T08:00:00Z", "source": "https://api.thousandeyes.com/scim/v2",
             "complete": true, "totalResults": \(targets.count), "users": [\(targets.joined(separator: ",\n"))]}

            """
        try Data(users.utf8).write(to: directory.appendingPathComponent("users.csv"))
        try Data(snapshot.utf8).write(to: directory.appendingPathComponent("snapshot.json"))
        try Data(config.utf8).write(to: directory.appendingPathComponent("config.yaml"))
    }

    static let smallArguments = [
        "plan", "--users", "users.csv", "--snapshot", "snapshot.json", "--config", "config.yaml", "--out", "plan.json",
    ]

    /// A managed target no source record names (an orphan: deleted).
    static let orphan = """
        {"id": "2002", "externalId": "6c0a8a7e-0000-4000-8000-000000000002", "userName": "alex.wilber@contoso.com",
         "emails": [{"value": "alex.wilber@contoso.com", "type": "work", "primary": true}], "active": true}
        """

    // MARK: samples

    @Test func planOnSamplesWritesThePlanAndPrintsTheSummary() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("plan.json")
        let result = try CLIRunner.run(Self.samplesArguments(out: out.path), in: Self.samples)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Plan written to \(out.path) (sha256:"))
        #expect(result.stdout.contains("Plan: 6 to create, 5 to update, 5 to disable, 1 to delete; 7 unchanged."))
        #expect(result.stdout.contains("default SCIM role"))
        #expect(result.stderr.isEmpty)

        let plan = try Self.readJSON(out)
        let summary = try #require(plan["summary"] as? [String: Any])
        #expect(summary["create"] as? Int == 6)
        #expect(summary["update"] as? Int == 5)
        #expect(summary["disable"] as? Int == 5)
        #expect(summary["delete"] as? Int == 1)
        let operations = try #require(plan["operations"] as? [[String: Any]])
        #expect(operations.count == 17)
        #expect(operations.first?["id"] as? String == "op-000001")
        #expect(operations.map { $0["action"] as? String ?? "" }.first == "delete")
        #expect((plan["digest"] as? String)?.hasPrefix("sha256:") == true)
        // Written atomically: no temporary file left beside it.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["plan.json"])
    }

    @Test func explainPrintsImportScopeMatchAndDecisionForANamedUser() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("plan.json").path
        let result = try CLIRunner.run(
            Self.samplesArguments(out: out) + ["--explain", "diego.siciliani@contoso.com"], in: Self.samples)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        func position(_ fragment: String) -> Int? { lines.firstIndex { $0.contains(fragment) } }
        let header = try #require(position("explain diego.siciliani@contoso.com:"))
        let importLine = try #require(position("source users.csv:11 id 2f86b389-9e5f-4096-bb3a-39166f6a250e"))
        let scopeLine = try #require(position("out of scope: SourceDisabled"))
        let rawValues = try #require(position("import: users.csv:11 raw values: "))
        #expect(lines[rawValues].contains("accountenabled=False"))
        #expect(lines[rawValues].contains("department=\"Human Resources\""))
        let enabledCheck = try #require(position("scope: accountEnabled = False → SourceDisabled"))
        let filterCheck = try #require(
            position(
                "scope: scopingFilters[0][0]: department NOT EQUALS \"Contractors\": actual \"Human Resources\" → true")
        )
        #expect(scopeLine < rawValues)
        #expect(rawValues < enabledCheck)
        #expect(enabledCheck < filterCheck)
        let matchLine = try #require(position("match: externalId = 2f86b389-9e5f-4096-bb3a-39166f6a250e → 1 target(s)"))
        let decisionLine = try #require(position("decision: disable (SourceDisabled)"))
        #expect(header < importLine)
        #expect(importLine <= scopeLine)
        #expect(filterCheck < matchLine)
        #expect(matchLine < decisionLine)
        // The explanation comes before the summary, which still follows.
        let summaryLine = try #require(position("Plan: 6 to create"))
        #expect(decisionLine < summaryLine)
    }

    @Test func explainSaysWhenNoUserHasTheName() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("plan.json").path
        let result = try CLIRunner.run(
            Self.samplesArguments(out: out) + ["--explain", "nobody@example.com"], in: Self.samples)
        #expect(result.status == 0)
        #expect(result.stdout.contains("nobody@example.com: no source record or target user has this name or id"))
    }

    // MARK: --detailed-exitcode

    @Test func detailedExitcodeIsTwoWhenThePlanHasChanges() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("plan.json")
        let result = try CLIRunner.run(Self.samplesArguments(out: out.path) + ["--detailed-exitcode"], in: Self.samples)
        #expect(result.status == 2)
        #expect(FileManager.default.fileExists(atPath: out.path))
        #expect(result.stdout.contains("Plan: 6 to create"))
    }

    @Test func detailedExitcodeIsZeroWhenTheSnapshotAlreadyMatches() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeSmallCase(in: directory)
        let result = try CLIRunner.run(Self.smallArguments + ["--detailed-exitcode"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Plan: 0 to create, 0 to update, 0 to disable, 0 to delete; 1 unchanged."))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("plan.json").path))

        let changed = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: changed) }
        try Self.writeSmallCase(in: changed, adeleDisplayName: "Adele V. Vance")
        let update = try CLIRunner.run(Self.smallArguments + ["--detailed-exitcode"], in: changed)
        #expect(update.status == 2)
        #expect(update.stdout.contains("0 to create, 1 to update"))
    }

    @Test func detailedExitcodeIsThreeWhenThePlanIsHeld() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeSmallCase(
            in: directory, extraTargets: [Self.orphan], config: "scope: all\nsafety:\n  deletionThreshold: 1\n")
        let held = try CLIRunner.run(Self.smallArguments + ["--detailed-exitcode"], in: directory)
        #expect(held.status == 3, "\(held.stderr)")
        #expect(held.stdout.contains("HELD: 1 disables and deletes reach the deletion threshold"))
        let plan = try Self.readJSON(directory.appendingPathComponent("plan.json"))
        let safety = try #require(plan["safety"] as? [String: Any])
        #expect(safety["held"] as? Bool == true)

        // Without --detailed-exitcode a held plan is still a written plan: exit 0.
        let plain = try CLIRunner.run(Self.smallArguments, in: directory)
        #expect(plain.status == 0)
    }

    // MARK: usage and input errors

    @Test func missingSnapshotIsAUsageError() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeSmallCase(in: directory)
        let result = try CLIRunner.run(["plan", "--users", "users.csv", "--out", "plan.json"], in: directory)
        #expect(result.status == 64)
        #expect(result.stderr.contains("--snapshot"))
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("plan.json").path))
    }

    @Test func scopeAssignedWithoutAssignmentsIsAUsageError() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeSmallCase(in: directory)
        let result = try CLIRunner.run(Self.smallArguments + ["--scope", "assigned"], in: directory)
        #expect(result.status == 64)
        #expect(result.stderr.contains("--assignments"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("plan.json").path))
    }

    @Test func configScopeAssignedWithoutAssignmentsIsAUsageError() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeSmallCase(in: directory, config: "scope: assigned\n")
        let result = try CLIRunner.run(Self.smallArguments, in: directory)
        #expect(result.status == 64)
        #expect(result.stderr.contains("--assignments"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("plan.json").path))
    }

    @Test func unreadableUsersFileExitsFourAndWritesNoPlan() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeSmallCase(in: directory)
        let arguments = [
            "plan", "--users", "missing.csv", "--snapshot", "snapshot.json", "--config", "config.yaml", "--out",
            "plan.json",
        ]
        let result = try CLIRunner.run(arguments, in: directory)
        #expect(result.status == 4)
        #expect(result.stderr.contains("missing.csv"))
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("plan.json").path))
    }

    @Test func malformedUsersFileExitsFourAndKeepsTheOldPlan() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeSmallCase(in: directory)
        let planURL = directory.appendingPathComponent("plan.json")
        try Data("previous plan".utf8).write(to: planURL)
        try Data([0x69, 0x64, 0x0A, 0xFF, 0xFE, 0x41, 0x0A]).write(to: directory.appendingPathComponent("users.csv"))
        let result = try CLIRunner.run(Self.smallArguments, in: directory)
        #expect(result.status == 4)
        #expect(result.stderr.contains("users.csv"))
        #expect(try String(contentsOf: planURL, encoding: .utf8) == "previous plan")
    }

    @Test func emptySourceIsRefusedUnlessAllowed() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeSmallCase(in: directory)
        try Data("id,userPrincipalName,displayName,mail\n".utf8).write(
            to: directory.appendingPathComponent("users.csv"))
        let refused = try CLIRunner.run(Self.smallArguments, in: directory)
        #expect(refused.status == 4)
        #expect(refused.stderr.contains("--allow-empty-source"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("plan.json").path))

        let allowed = try CLIRunner.run(Self.smallArguments + ["--allow-empty-source"], in: directory)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("0 to create, 0 to update, 0 to disable, 1 to delete"))
    }
}
