import Foundation
import Testing

@testable import TeprovCore

/// Golden-plan scenarios for the reconciler (SPEC §6, §7): each folder of `Fixtures/plans/` is planned
/// with a fixed clock and its normalized plan compared with `expected.json`. `RECORD=1 swift test
/// --filter PlanScenarioTests` re-records; review every recorded line against SPEC §6 before committing.
@Suite struct PlanScenarioTests {
    @Test func everyCaseFolderIsFound() {
        #expect(PlanScenario.all.count >= 40)
    }

    @Test(arguments: PlanScenario.all)
    func planMatchesGolden(_ scenario: PlanScenario) throws {
        if let expected = try scenario.expectedError() {
            let error = try #require(throws: TeprovError.self) { try PlanPipeline.run(try scenario.options()) }
            #expect(error.exitCode == expected.exitCode, "\(scenario.name): \(error)")
            #expect(error.description.contains(expected.messageContains), "\(scenario.name): \(error)")
            return
        }
        let outcome = try PlanPipeline.run(try scenario.options())
        let actual = scenario.rendering(of: outcome.plan).serialized(style: .pretty)
        let goldenName = "expected.json"
        if PlanScenario.recording {
            let url = PlanScenario.sourceFolder.appendingPathComponent(scenario.name).appendingPathComponent(goldenName)
            try Data(actual.utf8).write(to: url)
            return
        }
        // The source tree's copy wins over the bundle's, which is only refreshed by a build.
        let sourceCopy = PlanScenario.sourceFolder.appendingPathComponent(scenario.name).appendingPathComponent(
            goldenName)
        let expectedPath =
            FileManager.default.fileExists(atPath: sourceCopy.path) ? sourceCopy.path : scenario.file(goldenName)
        let expected = try #require(
            FileManager.default.contents(atPath: expectedPath).map { String(decoding: $0, as: UTF8.self) },
            "\(scenario.name): no \(goldenName); run RECORD=1 swift test --filter PlanScenarioTests and review it")
        if expected != actual {
            let diff = GoldenDiff.render(expected: expected, actual: actual)
            Issue.record(
                Comment(
                    rawValue: "\(scenario.name): the plan differs from \(goldenName) (- expected, + actual):\n\(diff)"))
        }
    }

    // MARK: --explain (SPEC §7)

    @Test func explainListsRawValuesEveryScopingCheckTheMatchAndTheDecision() throws {
        var options = try PlanScenario(name: "disable-scoping-filter").options()
        options.explain = ["Alex.Wilber@contoso.com"]
        let outcome = try PlanPipeline.run(options)
        let (name, lines) = try #require(outcome.explanations.first)
        #expect(name == "Alex.Wilber@contoso.com")
        let expected = [
            "users.csv:3 id 6c0a8a7e-0000-4000-8000-000000000002 — out of scope: ScopingFilter",
            "import: ", "raw values: id=\"6c0a8a7e-0000-4000-8000-000000000002\"",
            "scope: deletedDateTime = null → not soft-deleted",
            "scope: accountEnabled = True → enabled",
            "scope: scope all → no assignment needed",
            "scope: scopingFilters[0][0]: department EQUALS \"Marketing\": actual \"IT Operations\" → false",
            "scope: scoping filters: fails (no filter held) → ScopingFilter",
            "match: externalId = 6c0a8a7e-0000-4000-8000-000000000002 → 1 target(s)",
            "decision: disable (ScopingFilter)",
        ]
        var position = 0
        for fragment in expected {
            let found = lines[position...].firstIndex { $0.contains(fragment) }
            #expect(found != nil, "missing or out of order: \(fragment)\n\(lines.joined(separator: "\n"))")
            position = found ?? position
        }
    }

    // MARK: determinism (SPEC §6 "Ordering", §7 digest)

    @Test func twoRunsGiveTheSamePlanApartFromCreatedAtAndDigest() throws {
        let scenario = PlanScenario(name: "held-count-threshold")
        let first = try PlanPipeline.run(try scenario.options(now: PlanScenario.fixedNow)).plan
        let second = try PlanPipeline.run(try scenario.options(now: PlanScenario.fixedNow.addingTimeInterval(3600)))
            .plan
        #expect(first.createdAt == "2026-11-30T10:00:00Z")
        #expect(second.createdAt == "2026-11-30T11:00:00Z")
        #expect(first.digest != second.digest)
        #expect(Self.withoutTimeAndDigest(first) == Self.withoutTimeAndDigest(second))
        #expect(first.operations.map(\.id) == ["op-000001", "op-000002", "op-000003", "op-000004"])
        #expect(first.operations.map(\.held) == [true, true, true, false])
    }

    @Test func sameInputsAndClockGiveTheSameDigest() throws {
        let scenario = PlanScenario(name: "patch-style-entra-legacy")
        let first = try PlanPipeline.run(try scenario.options()).plan
        let second = try PlanPipeline.run(try scenario.options()).plan
        #expect(first.digest == second.digest)
        #expect(first.digest.hasPrefix("sha256:"))
        #expect(first.digest == first.computeDigest())
    }

    @Test func digestChangesWhenAnOperationChanges() throws {
        let plan = try PlanPipeline.run(try PlanScenario(name: "update-display-name").options()).plan
        var edited = plan
        try #require(edited.operations.count == 1)
        edited.operations[0].changes[0].new = .string("Someone Else")
        #expect(edited.computeDigest() != plan.digest)
        var reordered = plan
        reordered.operations[0].reason = "Reactivated"
        #expect(reordered.computeDigest() != plan.digest)
        #expect(plan.computeDigest() == plan.digest)
    }

    @Test func digestChangesWhenAnInputChangesAnOperation() throws {
        let scenario = PlanScenario(name: "update-display-name")
        let original = try PlanPipeline.run(try scenario.options()).plan
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "teprov-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["snapshot.json", "config.yaml", "users.csv"] {
            try FileManager.default.copyItem(
                atPath: scenario.file(name), toPath: directory.appendingPathComponent(name).path)
        }
        let usersURL = directory.appendingPathComponent("users.csv")
        let text = try String(contentsOf: usersURL, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "Adele V. Vance", with: "Adele Q. Vance").utf8).write(to: usersURL)
        var options = try scenario.options()
        options.users = [usersURL.path]
        options.snapshot = directory.appendingPathComponent("snapshot.json").path
        options.configPath = directory.appendingPathComponent("config.yaml").path
        let changed = try PlanPipeline.run(options).plan
        #expect(changed.operations.first?.changes.first?.new == .string("Adele Q. Vance"))
        #expect(changed.digest != original.digest)
    }

    static func withoutTimeAndDigest(_ plan: Plan) -> JSONValue {
        guard case .object(let members) = plan.jsonValue() else { return .null }
        return .object(members.filter { $0.0 != "createdAt" && $0.0 != "digest" })
    }
}
