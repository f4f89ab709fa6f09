import Foundation
import TeprovCore
import Testing

@Suite("teprov show")
struct ShowCommandTests {
    /// A held plan with a create, an update (whose new displayName is markup), a held disable and a delete.
    static func plan() -> Plan {
        func patch(_ id: String) -> PlanRequest {
            PlanRequest(method: "PATCH", path: "/Users/\(id)", body: .object([]))
        }
        var summary = Plan.Summary()
        summary.sourceRecords = 3
        summary.inScope = 2
        (summary.create, summary.update, summary.disable, summary.delete, summary.held) = (1, 1, 1, 1, 1)
        summary.skipped = ["ProtectedUser": 1]
        summary.estimatedRequests = 6
        summary.estimatedDuration = "PT2S"
        return Plan(
            createdAt: "2026-11-30T10:00:00Z", targetURL: nil, snapshotCapturedAt: nil, inputs: .object([]),
            summary: summary,
            safety: Plan.Safety(
                deletionThreshold: 2, deletionThresholdPercent: 20, managedTargets: 4, deletions: 2, held: true),
            operations: [
                PlanOperation(
                    id: "op-000001", action: .delete, reason: "SourceHardDeleted", source: nil,
                    target: TargetReference(id: "te-dave", userName: "dave@contoso.com"), matchedBy: nil, changes: [],
                    request: PlanRequest(method: "DELETE", path: "/Users/te-dave", body: nil), precondition: nil),
                PlanOperation(
                    id: "op-000002", action: .disable, reason: "SourceSoftDeleted", held: true,
                    source: SourceReference(
                        id: "c", userPrincipalName: "carol@contoso.com", file: "deleted.csv", line: 2),
                    target: TargetReference(id: "te-carol", userName: "carol@contoso.com"), matchedBy: "externalId",
                    changes: [AttributeChange(attribute: "active", old: .bool(true), new: .bool(false))],
                    request: patch("te-carol"), precondition: nil),
                PlanOperation(
                    id: "op-000003", action: .update, reason: "AttributesChanged",
                    source: SourceReference(id: "b", userPrincipalName: "bob@contoso.com", file: "users.csv", line: 3),
                    target: TargetReference(id: "te-bob", userName: "bob@contoso.com"), matchedBy: "externalId",
                    changes: [
                        AttributeChange(
                            attribute: "displayName", old: .string("Bob"), new: .string("<script>alert(1)</script>")),
                        AttributeChange(attribute: "title", old: .null, new: .string("Robert's title")),
                    ],
                    request: patch("te-bob"), precondition: nil),
                PlanOperation(
                    id: "op-000004", action: .create, reason: "NotMatched",
                    source: SourceReference(
                        id: "a", userPrincipalName: "alice@contoso.com", file: "users.csv", line: 2),
                    target: nil, matchedBy: nil,
                    changes: [AttributeChange(attribute: "userName", old: .null, new: .string("alice@contoso.com"))],
                    request: PlanRequest(method: "POST", path: "/Users", body: nil), precondition: nil),
            ],
            skipped: [
                SkippedEntry(
                    reason: "ProtectedUser", source: nil,
                    target: TargetReference(id: "te-root", userName: "root@contoso.com"),
                    detail: "listed in safety.protectedUsers")
            ],
            diagnostics: [Diagnostic(.warning, file: "users.csv", line: 3, "title was trimmed")]
        ).sealed()
    }

    /// Writes the sealed plan into a fresh directory and returns the file's path.
    static func writtenPlan() throws -> String {
        let path = try makeTemporaryDirectory().appendingPathComponent("plan.json").path
        try PlanFile.write(plan(), to: path)
        return path
    }

    @Test func textShowsTheOperationsAndNoColoursWhenPiped() throws {
        let result = try CLIRunner.run(["show", try Self.writtenPlan()])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("+ create  alice@contoso.com  (NotMatched)  op-000004\n"))
        #expect(result.stdout.contains("- disable carol@contoso.com  (SourceSoftDeleted)  [held]  op-000002\n"))
        #expect(result.stdout.contains(#"    displayName: "Bob" → "<script>alert(1)</script>""#))
        #expect(result.stdout.contains("This plan is HELD."))
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test(arguments: ["markdown", "html"])
    func reviewPagesRenderAndExitZero(format: String) throws {
        let result = try CLIRunner.run(["show", try Self.writtenPlan(), "--format", format])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("1 to create, 1 to update, 1 to disable, 1 to delete; 1 held; 0 unchanged."))
        #expect(!result.stdout.contains("<script>"))
        #expect(result.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func jsonIsThePlanFileAsWritten() throws {
        let path = try Self.writtenPlan()
        let result = try CLIRunner.run(["show", path, "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stdout == (try String(contentsOfFile: path, encoding: .utf8)))
    }

    /// A plan rewritten in another layout keeps its digest (the digest covers the canonical form) and
    /// is shown in the plan layout, as teprov writes it, not copied as it lies on disk.
    @Test func jsonOfAReformattedPlanIsThePlanLayout() throws {
        let path = try Self.writtenPlan()
        let written = try String(contentsOfFile: path, encoding: .utf8)
        let document = try JSONTokenizer(path: path).readValue()
        try document.serialized(style: .compact).write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["show", path, "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == written)
    }

    @Test func filtersAndRedactionReachTheRenderer() throws {
        let result = try CLIRunner.run([
            "show", try Self.writtenPlan(), "--action", "update,create", "--user", "BOB@contoso.com", "--redact",
        ])
        #expect(result.status == 0)
        #expect(result.stdout.contains("~ update  b***@contoso.com  (AttributesChanged)  op-000003\n"))
        #expect(!result.stdout.contains("op-000004"))
        #expect(!result.stdout.contains("bob@contoso.com"))
    }

    @Test func aPlanEditedByHandIsRefusedWithExitThreeAndNothingRendered() throws {
        let path = try Self.writtenPlan()
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let edited = original.replacingOccurrences(of: "\"Robert's title\"", with: "\"Roberta's title\"")
        #expect(edited != original)
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        let recorded = Self.plan().digest
        let computed = try PlanFile.load(path: path).computedDigest
        let result = try CLIRunner.run(["show", path, "--format", "html"])
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr
                == "teprov: \(path): the plan's digest does not match its content (recorded \(recorded), computed "
                + "\(computed)); it was edited or corrupted — re-run teprov plan\n")
    }

    @Test(
        arguments: [
            ("truncated.json", #"{"formatVersion": 1, "operations": ["#),
            ("not-a-plan.json", "[1, 2, 3]"),
            ("old-format.json", #"{"formatVersion": 99}"#),
        ])
    func aMalformedPlanIsAnInputError(name: String, content: String) throws {
        let path = try makeTemporaryDirectory().appendingPathComponent(name).path
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["show", path])
        #expect(result.status == 4)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("teprov: \(path)"))
    }

    @Test func aMissingPlanIsAnInputError() throws {
        let path = try makeTemporaryDirectory().appendingPathComponent("absent.json").path
        let result = try CLIRunner.run(["show", path])
        #expect(result.status == 4)
        #expect(result.stderr.contains(path))
    }

    @Test(
        arguments: [
            ["--action", "create,remove"],
            ["--action", ","],
            ["--format", "pdf"],
            ["--format", "html", "--page", "0"],
            ["--format", "text", "--page", "2"],
            ["--format", "html", "--page", "2"],
        ])
    func badUsageExitsSixtyFour(arguments: [String]) throws {
        let result = try CLIRunner.run(["show", try Self.writtenPlan()] + arguments)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.isEmpty)
    }

    @Test func aBadActionIsNamedInTheError() throws {
        let result = try CLIRunner.run(["show", try Self.writtenPlan(), "--action", "create,remove"])
        #expect(result.stderr.contains("\"remove\" is not an action"))
    }

    @Test func helpListsShow() throws {
        let result = try CLIRunner.run(["--help"])
        #expect(result.stdout.contains("show"))
    }

    /// Renders the HTML page in headless Chromium (bin/check-html); only with TEPROV_CHECK_HTML=1, since it
    /// may install Chromium and takes a while.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TEPROV_CHECK_HTML"] == "1"))
    func theHTMLPageRendersInABrowserWithItsCounts() throws {
        let directory = try makeTemporaryDirectory()
        let planPath = directory.appendingPathComponent("plan.json").path
        try PlanFile.write(Self.plan(), to: planPath)
        let shown = try CLIRunner.run(["show", planPath, "--format", "html"])
        #expect(shown.status == 0)
        let page = directory.appendingPathComponent("review.html")
        try shown.stdout.write(to: page, atomically: true, encoding: .utf8)
        let check = try Self.runCheckHTML([page.path, "&lt;script&gt;alert(1)&lt;/script&gt;", "This plan is HELD."])
        #expect(check.status == 0, "bin/check-html failed: \(check.output)")
        #expect(FileManager.default.fileExists(atPath: page.path + ".png"))

        // The check must be able to fail: a page without the counts, and a page carrying a script.
        let bare = directory.appendingPathComponent("bare.html")
        try "<!DOCTYPE html><html><body><p>nothing</p><script>1</script></body></html>".write(
            to: bare, atomically: true, encoding: .utf8)
        #expect(try Self.runCheckHTML([bare.path]).status == 1)
    }

    static func runCheckHTML(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = CLIRunner.packageRoot.appendingPathComponent("bin/check-html")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
