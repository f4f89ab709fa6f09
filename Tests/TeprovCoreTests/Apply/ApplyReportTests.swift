import Foundation
import Testing

@testable import TeprovCore

@Suite("Apply report: JSON and text summary")
struct ApplyReportTests {
    static let digest = "sha256:" + String(repeating: "0f", count: 32)

    static func failure(_ index: Int) -> ApplyFailure {
        ApplyFailure(
            operationID: String(format: "op-%06d", index), action: .update, userName: "user\(index)@example.com",
            httpStatus: 400, scimType: "invalidValue", detail: "name.givenName is too long", attempts: 1,
            reason: "HTTP 400")
    }

    static func partialReport() -> ApplyReport {
        var report = ApplyReport(
            planPath: "plan.json", planDigest: digest, target: "https://api.thousandeyes.com/scim/v2",
            outcome: .partial, requests: 31, retries: 4, tooManyRequests: 2, serverErrors: 1, networkErrors: 1,
            duration: .milliseconds(12_345),
            failures: [
                ApplyFailure(
                    operationID: "op-000002", action: .disable, userName: "bob@example.com", httpStatus: 204,
                    detail: "the server kept active=true", attempts: 1, reason: "DisableNotPersisted")
            ],
            advice: ["Set deprovision.outOfScope to delete, or to none."], reportPath: "plan.report.json",
            logPath: "plan.log.jsonl", journalPath: "plan.journal")
        report.add(.create, .succeeded, 5)
        report.add(.update, .succeeded, 10)
        report.add(.disable, .succeeded)
        report.add(.disable, .failed)
        report.add(.delete, .succeeded, 2)
        report.add(.delete, .skipped, 3)
        report.heldSkipped = 3
        report.operationsPerSecond = ApplyReport.operationsPerSecond(operations: 19, duration: report.duration)
        return report
    }

    @Test("the JSON report has every documented field, and counts for all actions × statuses")
    func jsonShape() throws {
        let report = Self.partialReport()
        let json = report.jsonValue
        let keys: [String]
        if case .object(let members) = json { keys = members.map(\.0) } else { keys = [] }
        #expect(
            keys == [
                "report", "formatVersion", "toolVersion", "plan", "planDigest", "target", "startedAt", "outcome",
                "stopReason", "alreadyApplied", "counts", "heldSkipped", "requests", "retries", "tooManyRequests",
                "serverErrors", "networkErrors", "durationSeconds", "operationsPerSecond", "failures", "advice", "log",
                "journal",
            ])
        #expect(json["outcome"] == .string("partial"))
        #expect(json["stopReason"] == .null)
        #expect(json["heldSkipped"] == .int(3))
        #expect(json["tooManyRequests"] == .int(2))
        #expect(json["durationSeconds"] == .double(12.345))
        #expect(json["operationsPerSecond"] == .double(1.54))
        #expect(
            json["counts"]?.serialized(style: .compact)
                == #"{"create":{"succeeded":5,"failed":0,"skipped":0},"update":{"succeeded":10,"failed":0,"skipped":0},"disable":{"succeeded":1,"failed":1,"skipped":0},"delete":{"succeeded":2,"failed":0,"skipped":3}}"#
        )
        #expect(
            json["failures"]?.serialized(style: .compact)
                == #"[{"opId":"op-000002","action":"disable","userName":"bob@example.com","httpStatus":204,"scimType":null,"detail":"the server kept active=true","attempts":1,"reason":"DisableNotPersisted"}]"#
        )
    }

    @Test("an empty report still lists all four actions with zero counts")
    func emptyCounts() {
        let report = ApplyReport(planPath: "p", planDigest: Self.digest, target: "out.json", outcome: .succeeded)
        guard case .object(let actions)? = report.jsonValue["counts"] else {
            Issue.record("counts is not an object")
            return
        }
        #expect(actions.map(\.0) == ["create", "update", "disable", "delete"])
        #expect(actions.allSatisfy { $0.1.serialized(style: .compact) == #"{"succeeded":0,"failed":0,"skipped":0}"# })
        #expect(report.operationsPerSecond == 0)
    }

    @Test("operations per second defaults to finished operations over the duration")
    func computedRate() {
        var counts: [PlanAction: [OperationStatus: Int]] = [:]
        counts[.create] = [.succeeded: 30, .failed: 10, .skipped: 100]
        let report = ApplyReport(
            planPath: "p", planDigest: Self.digest, target: "t", outcome: .partial, counts: counts,
            duration: .seconds(8))
        #expect(report.operationsPerSecond == 5)
    }

    @Test("write(to:) stores the pretty JSON atomically")
    func writeToFile() throws {
        let scratch = try ApplyScratchDirectory("report")
        defer { scratch.remove() }
        let path = scratch.path("plan.report.json")
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let report = Self.partialReport()
        try report.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == report.jsonValue.serialized(style: .pretty))
        let contents = try FileManager.default.contentsOfDirectory(atPath: scratch.url.path)
        #expect(contents == ["plan.report.json"])
    }

    @Test("the text summary shows outcome, counts, figures, failures, advice and files")
    func textSummary() {
        let text = Self.partialReport().textSummary(color: false)
        #expect(
            text == """
                Apply partial: 1 operation failed
                Plan \(Self.digest) (plan.json) → https://api.thousandeyes.com/scim/v2
                          succeeded    failed   skipped
                  delete          2         0         3
                  disable         1         1         0
                  update         10         0         0
                  create          5         0         0
                Held operations skipped (--skip-held): 3
                Requests: 31, retries: 4, 429: 2, 5xx: 1, network errors: 1
                Duration: 12.3 s, 1.5 operations/s
                Failures (1):
                  op-000002 disable bob@example.com: DisableNotPersisted (HTTP 204): the server kept active=true (1 attempt)
                Advice:
                  - Set deprovision.outOfScope to delete, or to none.
                Report: plan.report.json
                Log: plan.log.jsonl
                Journal: plan.journal

                """)
    }

    @Test("paths passed to textSummary override the report's own")
    func summaryPaths() {
        let text = Self.partialReport().textSummary(
            color: false, reportPath: "r.json", logPath: nil, journalPath: "j.journal")
        #expect(text.hasSuffix("Report: r.json\nJournal: j.journal\n"))
    }

    @Test("the summary lists 20 failures, then points to the report for the rest")
    func failureLimit() {
        var report = Self.partialReport()
        report.failures = (1...25).map(Self.failure)
        let lines = report.textSummary(color: false).split(separator: "\n").map(String.init)
        let listed = lines.filter { $0.hasPrefix("  op-") }
        #expect(listed.count == 20)
        #expect(
            listed.first
                == "  op-000001 update user1@example.com: HTTP 400 [invalidValue]: name.givenName is too long (1 attempt)"
        )
        #expect(lines.contains("  ... and 5 more (see the report)"))
        #expect(lines.contains("Failures (25):"))
    }

    @Test("stopped and already-applied runs say so on the first line")
    func headlines() {
        let stopped = ApplyReport(
            planPath: "p", planDigest: Self.digest, target: "t", outcome: .stopped,
            stopReason: "quarantine: the server answered HTTP 401")
        #expect(
            stopped.textSummary(color: false).hasPrefix("Apply stopped: quarantine: the server answered HTTP 401\n"))
        #expect(stopped.jsonValue["stopReason"] == .string("quarantine: the server answered HTTP 401"))
        let applied = ApplyReport(
            planPath: "p", planDigest: Self.digest, target: "t", outcome: .succeeded, alreadyApplied: true)
        #expect(
            applied.textSummary(color: false).hasPrefix(
                "Apply succeeded (already applied: every operation had succeeded in an earlier run; nothing was sent)\n"
            ))
        #expect(applied.jsonValue["alreadyApplied"] == .bool(true))
    }

    @Test("colour marks the outcome and failures only when asked")
    func colour() {
        let report = Self.partialReport()
        let coloured = report.textSummary(color: true)
        #expect(coloured.hasPrefix("Apply \u{1B}[1;33mpartial\u{1B}[0m: 1 operation failed"))
        #expect(coloured.contains("\u{1B}[31mFailures (1):\u{1B}[0m"))
        #expect(!report.textSummary(color: false).contains("\u{1B}"))
    }

    @Test("control characters from a server's message cannot reach the terminal")
    func controlCharacters() {
        var report = Self.partialReport()
        report.failures = [
            ApplyFailure(
                operationID: "op-1", action: .create, userName: "eve\u{1B}[2J@example.com", detail: "bad\nline\u{7}",
                attempts: 2)
        ]
        let text = report.textSummary(color: false)
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{7}"))
        #expect(text.contains("  op-1 create eve [2J@example.com: failed: bad line  (2 attempts)\n"))
    }

    @Test(
        "durations read naturally",
        arguments: [
            (Duration.milliseconds(940), "0.9 s"), (.seconds(59), "59.0 s"), (.seconds(125), "2 min 05 s"),
            (.seconds(3_725), "1 h 02 min"),
        ])
    func durations(duration: Duration, text: String) {
        #expect(ApplyReport.durationText(duration) == text)
    }
}
