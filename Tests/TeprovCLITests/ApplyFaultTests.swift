import Foundation
import Testing

@testable import TeprovCore

/// `teprov snapshot` and `teprov apply` through the fault server in front of scim2-server: 503s,
/// 429s in both header styles, timeouts, dropped connections, and `kill -9` in the middle of a run.
@Suite("apply through faults", .serialized)
struct ApplyFaultTests {
    @Test("every operation succeeds through 503s, 429s, timeouts and dropped connections, with no duplicate")
    func faultsAreSurvived() throws {
        let fixture = try ApplyFixture(faults: true)
        let proxy = try #require(fixture.proxy)
        let reset = Int(Date().timeIntervalSince1970) + 2
        try proxy.setRules(
            """
            [
              {"match": {"method": "POST"}, "action": {"type": "drop_after"}, "times": 2},
              {"match": {"method": "PATCH"}, "action": {"type": "drop_before"}, "times": 1},
              {"match": {"method": "GET", "path": "/Users/"}, "action": {"type": "hang", "seconds": 3}, "times": 2},
              {"match": {"method": "POST"}, "action": {"type": "status", "status": 429, "headers": {"Retry-After": "1"}}, "times": 3},
              {"match": {}, "action": {"type": "status", "status": 429, "headers": {"X-Organization-Rate-Limit-Limit": "240",
                "X-Organization-Rate-Limit-Remaining": "0", "X-Organization-Rate-Limit-Reset": "\(reset)"}}, "times": 2},
              {"match": {}, "action": {"type": "status", "status": 503}, "probability": 0.3, "seed": 11}
            ]
            """)
        try fixture.prepare()
        let offline = try fixture.teprov(["apply", fixture.planPath, "--offline", fixture.path("offline.json")])
        #expect(offline.status == 0)
        let applied = try fixture.teprov(["apply", fixture.planPath, "--url", fixture.url, "--timeout", "1"])
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")

        let report = try fixture.report()
        #expect(report["outcome"] == .string("succeeded"))
        guard case .int(let retries)? = report["retries"], case .int(let throttled)? = report["tooManyRequests"],
            case .int(let serverErrors)? = report["serverErrors"], case .int(let network)? = report["networkErrors"]
        else {
            Issue.record("the report lacks its counters: \(report.serialized(style: .compact))")
            return
        }
        #expect(retries > 0)
        #expect(throttled >= 1)
        #expect(serverErrors >= 1)
        #expect(network >= 1)

        let server = try fixture.serverUsers()
        let predicted = try fixture.snapshotUsers("offline.json")
        #expect(Set(server.keys) == Set(predicted.keys))
        #expect(try fixture.server.listUsers().count == predicted.count, "no duplicate user")
        for (name, user) in predicted {
            #expect(ApplyFixture.essentials(server[name] ?? .null) == ApplyFixture.essentials(user), "\(name)")
        }
    }

    @Test("kill -9 at several points, then the same command: nothing runs twice, nothing is lost")
    func crashAndResume() throws {
        let fixture = try ApplyFixture(faults: true)
        let proxy = try #require(fixture.proxy)
        try fixture.prepare()
        let plan = try PlanFile.load(path: fixture.planPath).plan
        #expect(try fixture.teprov(["apply", fixture.planPath, "--offline", fixture.path("offline.json")]).status == 0)
        try proxy.reset()
        try proxy.setRules(
            """
            [{"match": {"method": "POST"}, "action": {"type": "latency", "ms": 500}},
             {"match": {"method": "PATCH"}, "action": {"type": "latency", "ms": 500}},
             {"match": {"method": "DELETE"}, "action": {"type": "latency", "ms": 500}}]
            """)
        let command = ["apply", fixture.planPath, "--url", fixture.url, "--concurrency", "1", "--quiet"]
        var killed = 0
        for delay in [0.4, 0.9, 0.6, 1.2, 0.8, 1.0] {
            let process = Process()
            process.executableURL = CLIRunner.binary
            process.arguments = command
            process.currentDirectoryURL = fixture.directory
            process.environment = ProcessInfo.processInfo.environment.merging(fixture.environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(delay * 1_000_000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
            // Let requests the proxy still holds reach the server, as they would before a restart.
            usleep(400_000)
        }
        #expect(killed >= 5, "the runs were killed mid-way")
        let final = try fixture.teprov(command.filter { $0 != "--quiet" })
        #expect(final.status == 0, "\(final.stdout)\(final.stderr)")
        let report = try fixture.report()
        #expect(report["outcome"] == .string("succeeded"))
        if case .array(let failures)? = report["failures"] { #expect(failures.isEmpty) }
        let log = try String(contentsOfFile: fixture.planPath + ".log.jsonl", encoding: .utf8)
        #expect(!log.contains("StaleTarget"))
        #expect(!log.contains("Conflict"))

        // Each mutating request reached the server once per operation.
        let stats = try proxy.stats()
        let byMethod = stats["byMethod"]
        let count = { (action: PlanAction) in Int64(plan.operations.filter { $0.action == action }.count) }
        #expect(byMethod?["POST"] == .int(count(.create)))
        #expect(byMethod?["PATCH"] == .int(count(.update) + count(.disable)))
        #expect(byMethod?["DELETE"] == .int(count(.delete)))

        let server = try fixture.serverUsers()
        let predicted = try fixture.snapshotUsers("offline.json")
        #expect(Set(server.keys) == Set(predicted.keys))
        #expect(try fixture.server.listUsers().count == predicted.count)
        for (name, user) in predicted {
            #expect(ApplyFixture.essentials(server[name] ?? .null) == ApplyFixture.essentials(user), "\(name)")
        }
    }

    @Test("a target that ignores active=false fails the disables with DisableNotPersisted and advice")
    func ignoredDisable() throws {
        let fixture = try ApplyFixture(faults: true)
        try fixture.prepare()
        try fixture.proxy?.setRules(#"[{"match": {"method": "PATCH"}, "action": {"type": "ignore_active"}}]"#)
        let applied = try fixture.teprov(["apply", fixture.planPath, "--url", fixture.url, "--only", "disable"])
        #expect(applied.status == 2, "\(applied.stdout)\(applied.stderr)")
        #expect(applied.stdout.contains("DisableNotPersisted"))
        let report = try fixture.report()
        guard case .array(let advice)? = report["advice"] else {
            Issue.record("no advice in the report")
            return
        }
        #expect(advice.contains { $0.stringValue?.contains("deprovision.outOfScope") == true })
    }
}
