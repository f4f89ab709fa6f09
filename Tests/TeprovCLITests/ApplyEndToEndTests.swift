import Foundation
import Testing

@testable import TeprovCore

/// `teprov apply` end to end: the real binary against a real scim2-server (SPEC §8).
@Suite("apply against scim2-server", .serialized)
struct ApplyEndToEndTests {
    @Test("the server ends as apply --offline predicts, and a fresh plan has nothing left to do")
    func applyMatchesOffline() throws {
        let fixture = try ApplyFixture()
        try fixture.prepare()
        let offline = try fixture.teprov(["apply", fixture.planPath, "--offline", fixture.path("offline.json")])
        #expect(offline.status == 0, "\(offline.stderr)")
        let applied = try fixture.teprov(["apply", fixture.planPath, "--url", fixture.url])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("Apply succeeded"))

        let server = try fixture.serverUsers()
        let predicted = try fixture.snapshotUsers("offline.json")
        #expect(Set(server.keys) == Set(predicted.keys))
        for (name, user) in predicted {
            #expect(
                ApplyFixture.essentials(server[name] ?? .null) == ApplyFixture.essentials(user),
                "\(name) on the server differs from the offline result")
        }

        #expect(try fixture.snapshot("after.json").status == 0)
        let again = try fixture.plan(snapshot: "after.json", out: "plan2.json", extra: ["--detailed-exitcode"])
        #expect(again.status == 0, "a second plan still has changes: \(again.stdout)")
        let second = try PlanFile.load(path: fixture.path("plan2.json")).plan
        #expect(second.operations.isEmpty)

        // Rerunning the same command is a no-op.
        let rerun = try fixture.teprov(["apply", fixture.planPath, "--url", fixture.url])
        #expect(rerun.status == 0)
        #expect(rerun.stdout.contains("already applied"))
    }

    @Test("a user changed between plan and apply is StaleTarget; --precondition none sends it")
    func staleTarget() throws {
        let fixture = try ApplyFixture()
        try fixture.prepare()
        let plan = try PlanFile.load(path: fixture.planPath).plan
        let update = try #require(plan.operations.first { $0.action == .update })
        let id = try #require(update.target?.id)
        let patch =
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Changed By Hand"}]}"#
        let edited = try TestHTTP.send("PATCH", fixture.server.baseURL + "/Users/" + id, body: patch)
        #expect(edited.status < 300)

        let applied = try fixture.teprov(["apply", fixture.planPath, "--url", fixture.url, "--only", update.id])
        #expect(applied.status == 2, "\(applied.stdout)\(applied.stderr)")
        let report = try fixture.report()
        guard case .array(let failures)? = report["failures"] else {
            Issue.record("the report has no failures list")
            return
        }
        #expect(failures.count == 1)
        #expect(failures.first?["reason"] == .string("StaleTarget"))
        #expect(try fixture.serverUsers().values.contains { $0["displayName"] == .string("Changed By Hand") })

        let forced = try fixture.teprov([
            "apply", fixture.planPath, "--url", fixture.url, "--only", update.id, "--precondition", "none",
            "--journal", fixture.path("forced.journal"),
        ])
        #expect(forced.status == 0, "\(forced.stdout)\(forced.stderr)")
        #expect(!(try fixture.serverUsers().values.contains { $0["displayName"] == .string("Changed By Hand") }))
    }

    @Test("held plans are refused without a release; --skip-held runs the rest; a foreign digest is refused")
    func heldPlan() throws {
        let fixture = try ApplyFixture(configEdits: ["deletionThreshold": "3"])
        try fixture.prepare()
        let plan = try PlanFile.load(path: fixture.planPath).plan
        #expect(plan.safety.held)
        let refused = try fixture.teprov(["apply", fixture.planPath, "--url", fixture.url])
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("--allow-deletes \(plan.digest)"))
        #expect(try fixture.serverUsers().count == 20, "nothing was sent")

        let foreign = try fixture.teprov([
            "apply", fixture.planPath, "--url", fixture.url, "--allow-deletes",
            "sha256:" + String(repeating: "0", count: 64),
        ])
        #expect(foreign.status == 3)
        #expect(foreign.stderr.contains("--allow-deletes names"))

        let skipped = try fixture.teprov(["apply", fixture.planPath, "--url", fixture.url, "--skip-held"])
        #expect(skipped.status == 0, "\(skipped.stdout)\(skipped.stderr)")
        let report = try fixture.report()
        #expect(report["outcome"] == .string("succeeded"))
        #expect(report["heldSkipped"] == .int(Int64(plan.operations.filter(\.held).count)))

        let released = try fixture.teprov([
            "apply", fixture.planPath, "--url", fixture.url, "--allow-deletes", plan.digest,
        ])
        #expect(released.status == 0, "\(released.stdout)\(released.stderr)")
    }

    @Test("a URL other than the plan's target, and a tampered plan, are refused before any request")
    func targetAndDigestRefusals() throws {
        let fixture = try ApplyFixture()
        try fixture.prepare()
        let other = try SCIM2ServerProcess.start()
        defer { other.stop() }
        let wrongURL = try fixture.teprov(["apply", fixture.planPath, "--url", other.baseURL])
        #expect(wrongURL.status == 3)
        #expect(wrongURL.stderr.contains("was made for"))
        #expect(try other.listUsers().isEmpty)

        var text = try String(contentsOfFile: fixture.planPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"AttributesChanged\"", with: "\"AttributesChanged \"")
        try text.write(toFile: fixture.path("tampered.json"), atomically: true, encoding: .utf8)
        let tampered = try fixture.teprov(["apply", fixture.path("tampered.json"), "--url", fixture.url])
        #expect(tampered.status == 3)
        #expect(tampered.stderr.contains("does not match its digest"))
    }

    @Test("a 401 stops at once with exit 3, and the token appears in no output or file")
    func unauthorizedAndTokenSecrecy() throws {
        let fixture = try ApplyFixture(serverToken: ApplyFixture.token)
        try fixture.prepare()
        let wrong = try fixture.teprov(
            ["apply", fixture.planPath, "--url", fixture.url], environment: ["TE_TOKEN": "not-the-token-77"])
        #expect(wrong.status == 3, "\(wrong.stdout)\(wrong.stderr)")
        #expect(wrong.stderr.contains("quarantine"))
        let stopped = try fixture.report()
        #expect(stopped["outcome"] == .string("stopped"))
        #expect(stopped["requests"] == .int(1))

        let applied = try fixture.teprov(["apply", fixture.planPath, "--url", fixture.url])
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(try fixture.snapshot("after.json").status == 0)
        var everything = applied.stdout + applied.stderr + wrong.stdout + wrong.stderr
        for file in try FileManager.default.contentsOfDirectory(atPath: fixture.directory.path) {
            everything += (try? String(contentsOfFile: fixture.path(file), encoding: .utf8)) ?? ""
        }
        #expect(everything.contains("op-000001"), "the files were read")
        #expect(!everything.contains(ApplyFixture.token))
        #expect(!everything.contains("not-the-token-77"))
    }

    @Test("a second apply on a journal in use is refused")
    func lockedJournal() throws {
        let fixture = try ApplyFixture(faults: true)
        try fixture.prepare()
        try fixture.proxy?.setRules(#"[{"match": {"method": "POST"}, "action": {"type": "latency", "ms": 1500}}]"#)
        let first = Process()
        first.executableURL = CLIRunner.binary
        first.arguments = ["apply", fixture.planPath, "--url", fixture.url, "--quiet"]
        first.currentDirectoryURL = fixture.directory
        first.environment = ProcessInfo.processInfo.environment.merging(fixture.environment) { $1 }
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        // Wait until the first run holds the journal (it exists once the run has started).
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: fixture.planPath + ".journal"), Date() < deadline {
            usleep(20_000)
        }
        usleep(200_000)
        let second = try fixture.teprov(["apply", fixture.planPath, "--url", fixture.url])
        #expect(second.status == 3, "\(second.stdout)\(second.stderr)")
        #expect(second.stderr.contains("locked"))
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
    }
}
