import Foundation
import Testing

/// Issue 6 acceptance, offline: snapshot → plan → `apply --offline` → `diff` of the two snapshots
/// shows exactly the plan's changes: its creates as added users, its deletes as removed users, and
/// its updates and disables as changed users with the plan's attribute paths and values.
@Suite struct DiffAfterApplyTests {
    static let samples = CLIRunner.packageRoot.appendingPathComponent("samples")

    @Test func diffShowsExactlyThePlansChanges() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let planPath = directory.appendingPathComponent("plan.json").path
        let afterPath = directory.appendingPathComponent("after.json").path
        let plan = try CLIRunner.run(
            [
                "plan", "--users", "users.csv", "--snapshot", "snapshot.json", "--assignments", "assignments.json",
                "--app-roles", "app-roles.json", "--group-members", "group-members.csv", "--deleted",
                "deleted-users.json", "--config", "config.yaml", "--out", planPath,
            ], in: Self.samples)
        try #require(plan.status == 0, "plan: \(plan.stderr)")
        let planDocument = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: planPath))) as? [String: Any])
        let digest = try #require(planDocument["digest"] as? String)
        let apply = try CLIRunner.run(
            ["apply", planPath, "--offline", afterPath, "--allow-deletes", digest], in: Self.samples)
        try #require(apply.status == 0, "apply: \(apply.stderr)")

        let diff = try CLIRunner.run(["diff", "snapshot.json", afterPath, "--format", "json"], in: Self.samples)
        #expect(diff.status == 1, "diff: \(diff.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])

        let allOperations = try #require(planDocument["operations"] as? [[String: Any]])
        func operations(_ action: String) -> [[String: Any]] {
            allOperations.filter { $0["action"] as? String == action }
        }
        func newUserName(_ operation: [String: Any]) -> String? {
            let changes = operation["changes"] as? [[String: Any]] ?? []
            return changes.first { $0["attribute"] as? String == "userName" }?["new"] as? String
        }
        let added = (result["added"] as? [[String: Any]] ?? []).compactMap { $0["userName"] as? String }
        #expect(added.sorted() == operations("create").compactMap(newUserName).sorted())
        let removed = (result["removed"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(
            removed.sorted()
                == operations("delete").compactMap { ($0["target"] as? [String: Any])?["id"] as? String }.sorted())

        // Every update and disable, as `id: [attribute: old → new]` in the plan's words and in the diff's.
        func describe(_ changes: [[String: Any]]) -> [String] {
            changes.map {
                "\($0["attribute"] ?? ""): \(String(describing: $0["old"] ?? "")) → \(String(describing: $0["new"] ?? ""))"
            }
            .sorted()
        }
        var planned: [String: [String]] = [:]
        for operation in operations("update") + operations("disable") {
            let id = (operation["target"] as? [String: Any])?["id"] as? String ?? ""
            planned[id] = describe(operation["changes"] as? [[String: Any]] ?? [])
        }
        var found: [String: [String]] = [:]
        for user in result["changed"] as? [[String: Any]] ?? [] {
            let id = try #require(user["id"] as? String)
            found[id] = describe(user["changes"] as? [[String: Any]] ?? [])
        }
        #expect(!planned.isEmpty)
        #expect(found == planned)
    }
}
