import Testing

@testable import TeprovCore

@Suite("Plan renderer: text")
struct PlanRendererTextTests {
    let text: String

    init() throws {
        text = try PlanRendererTestPlans.render(PlanRendererTestPlans.sample(), PlanRendererTestPlans.options(.text))
    }

    var lines: [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test func operationsAreTerraformLikeLinesInPlanOrder() {
        let operationLines = lines.filter { $0.hasPrefix("+ ") || $0.hasPrefix("~ ") || $0.hasPrefix("- ") }
        #expect(
            operationLines == [
                "- delete  dave@contoso.com  (SourceHardDeleted)  op-000001",
                "- disable carol@contoso.com  (SourceSoftDeleted)  [held]  op-000002",
                "~ update  bob@contoso.com  (AttributesChanged)  op-000003",
                "+ create  alice@contoso.com  (NotMatched)  op-000004",
            ])
    }

    @Test func updatesShowOldAndNewValuesQuotedLikeJSON() throws {
        let update = try #require(lines.firstIndex(of: "~ update  bob@contoso.com  (AttributesChanged)  op-000003"))
        #expect(lines[update + 1] == #"    displayName: "Bob" → "Robert""#)
        #expect(lines[update + 2] == #"    title: null → "Engineer""#)
        #expect(lines[update + 3].hasPrefix("+ create"))
    }

    @Test func createsShowEachAttributeWithItsNewValue() throws {
        let create = try #require(lines.firstIndex(of: "+ create  alice@contoso.com  (NotMatched)  op-000004"))
        #expect(lines[create + 1] == #"    userName: "alice@contoso.com""#)
        #expect(lines[create + 2] == #"    displayName: "Alice Smith""#)
        #expect(lines[create + 3] == #"    emails: [{"type":"work","value":"alice@contoso.com","primary":true}]"#)
    }

    @Test func skippedEntriesAndDiagnosticsAreListed() {
        #expect(text.contains("Skipped (2):\n"))
        #expect(
            lines.contains(
                "  DuplicateSourceEntries  erin@contoso.com  users.csv:5  userName erin@contoso.com is also on users.csv line 6"
            ))
        #expect(lines.contains("  ProtectedUser           root@contoso.com  listed in safety.protectedUsers"))
        #expect(text.contains("Diagnostics (2):\n"))
        #expect(lines.contains("  warning  users.csv:5: two records share userName erin@contoso.com"))
        #expect(lines.contains("  error    users.csv:7: userPrincipalName is missing; the record is invalid"))
    }

    @Test func theSummaryComesLast() throws {
        let summary = try #require(
            lines.firstIndex { $0.hasPrefix("Plan: 1 to create, 1 to update, 1 to disable, 1 to delete") })
        let diagnostics = try #require(lines.firstIndex(of: "Diagnostics (2):"))
        let lastOperation = try #require(lines.firstIndex { $0.hasPrefix("+ create") })
        #expect(summary > diagnostics)
        #expect(summary > lastOperation)
        #expect(text.contains("Skipped: DuplicateSourceEntries 1, ProtectedUser 1"))
        #expect(text.contains("Estimated: 7 requests, PT3S"))
    }

    @Test func aPlanWithCreatesCarriesTheDefaultRoleNote() {
        #expect(
            text.contains(
                "ThousandEyes gives new SCIM users the organisation's default SCIM role in all account groups "
                    + "(roles cannot be set over SCIM)."))
    }

    @Test func aHeldPlanSaysSoFirstAndHowToReleaseIt() throws {
        let plan = PlanRendererTestPlans.sample()
        #expect(lines[2].hasPrefix("This plan is HELD. It would disable or delete 2 of 5 managed users"))
        #expect(lines[2].hasSuffix("1 operation is marked held."))
        #expect(lines[3] == "teprov apply refuses a held plan. After review, release it with one of:")
        #expect(lines[4] == "  - Apply everything, held operations included:")
        #expect(lines[5] == "      teprov apply plan.json --url URL --allow-deletes \(plan.digest)")
        #expect(lines[6] == "  - Apply everything except the held operations:")
        #expect(lines[7] == "      teprov apply plan.json --url URL --skip-held")
    }

    @Test func aPlanWithoutCreatesOrHoldHasNeitherNote() throws {
        let plain = try PlanRendererTestPlans.render(
            PlanRendererTestPlans.unheldWithoutCreates(), PlanRendererTestPlans.options(.text))
        #expect(!plain.contains("default SCIM role"))
        #expect(!plain.contains("HELD"))
        #expect(!plain.contains("[held]"))
        #expect(plain.contains("- disable carol@contoso.com  (SourceSoftDeleted)  op-000002\n"))
    }

    @Test func theHeaderNamesTheDigestAndTarget() {
        let digest = PlanRendererTestPlans.sample().digest
        #expect(
            lines[0]
                == "Plan \(digest), created 2026-11-30T10:00:00Z by teprov 0.1.0, for https://api.thousandeyes.com/scim/v2 "
                + "(snapshot captured 2026-11-30T09:55:00Z).")
    }

    @Test func anEmptyPlanSaysThereAreNoChanges() throws {
        var plan = PlanRendererTestPlans.unheldWithoutCreates()
        plan.operations = []
        let empty = try PlanRendererTestPlans.render(plan.sealed(), PlanRendererTestPlans.options(.text))
        #expect(empty.contains("No changes: nothing to create, update, disable or delete."))
    }

    @Test func colourWrapsTheActionOnlyWhenAsked() throws {
        var options = PlanRendererTestPlans.options(.text)
        options.color = true
        let coloured = try PlanRendererTestPlans.render(PlanRendererTestPlans.sample(), options)
        #expect(coloured.contains("\u{1B}[32m+ create \u{1B}[0m alice@contoso.com"))
        #expect(coloured.contains("\u{1B}[31m- delete \u{1B}[0m dave@contoso.com"))
        #expect(!text.contains("\u{1B}["))
    }
}
