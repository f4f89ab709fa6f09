import Testing

@testable import TeprovCore

@Suite("Plan renderer: --action, --user and the JSON format")
struct PlanRendererFilterTests {
    let plan = PlanRendererTestPlans.sample()

    func text(actions: Set<PlanAction>? = nil, user: String? = nil) throws -> String {
        var options = PlanRendererTestPlans.options(.text)
        options.actions = actions
        options.user = user
        return try PlanRendererTestPlans.render(plan, options)
    }

    func operationLines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter {
            $0.hasPrefix("+ ") || $0.hasPrefix("~ ") || $0.hasPrefix("- ")
        }
    }

    @Test func actionFilterKeepsOnlyThoseActionsAndHidesSkips() throws {
        let filtered = try text(actions: [.create, .update])
        #expect(
            operationLines(filtered) == [
                "~ update  bob@contoso.com  (AttributesChanged)  op-000003",
                "+ create  alice@contoso.com  (NotMatched)  op-000004",
            ])
        #expect(!filtered.contains("Skipped ("))
        #expect(
            filtered.contains("Showing 2 of 4 operations (--action create,update); the summary covers the whole plan."))
        #expect(filtered.contains("Plan: 1 to create, 1 to update, 1 to disable, 1 to delete"))
    }

    @Test(
        "--user matches target userName, a create's new userName, source UPN and source id, in any case",
        arguments: [
            ("BOB@CONTOSO.COM", "op-000003"),
            ("alice@contoso.com", "op-000004"),
            ("Carol@Contoso.com", "op-000002"),
            ("b0b", "op-000003"),
            ("te-dave", "op-000001"),
        ])
    func userFilterMatches(user: String, operationID: String) throws {
        let lines = operationLines(try text(user: user))
        #expect(lines.count == 1)
        #expect(lines.first?.hasSuffix(operationID) == true)
    }

    @Test func userFilterIsNotASubstringMatch() throws {
        let filtered = try text(user: "contoso.com")
        #expect(operationLines(filtered).isEmpty)
        #expect(filtered.contains("No operations match --user contoso.com."))
    }

    @Test func userFilterShowsThatUsersSkipsAndTheDiagnosticsOnTheirLine() throws {
        let filtered = try text(user: "erin@contoso.com")
        #expect(operationLines(filtered).isEmpty)
        #expect(filtered.contains("Skipped (1):\n  DuplicateSourceEntries  erin@contoso.com  users.csv:5"))
        #expect(
            filtered.contains("Diagnostics (1):\n  warning  users.csv:5: two records share userName erin@contoso.com"))
        #expect(!filtered.contains("users.csv:7"))
        #expect(filtered.contains("Showing 0 of 4 operations and 1 of 2 skipped entries (--user erin@contoso.com)"))
    }

    @Test func jsonWithoutFiltersIsThePlanDocumentAsIs() throws {
        let json = try PlanRendererTestPlans.render(plan, PlanRendererTestPlans.options(.json))
        #expect(json == plan.jsonValue().serialized(style: .plan))
    }

    @Test func jsonPrintsTheGivenDocumentKeepingFieldsThePlanModelDoesNotKnow() throws {
        guard case .object(var members) = plan.jsonValue() else {
            Issue.record("a plan's JSON is an object")
            return
        }
        members.append(("x-reviewer", .string("kept")))
        let document = JSONValue.object(members)
        let json = try PlanRenderer(options: PlanRendererTestPlans.options(.json)).render(plan, document: document)
        #expect(json == document.serialized(style: .plan))
    }

    @Test func jsonFilteredKeepsOnlySelectedEntriesAndTheWholeSummary() throws {
        var options = PlanRendererTestPlans.options(.json)
        options.user = "erin@contoso.com"
        let json = try PlanRendererTestPlans.render(plan, options)
        let document = try JSONTokenizer(bytes: Array(json.utf8), sourceName: "show").readValue()
        #expect(document["operations"] == .array([]))
        guard case .array(let skipped)? = document["skipped"], case .array(let diagnostics)? = document["diagnostics"]
        else {
            Issue.record("skipped and diagnostics are arrays")
            return
        }
        #expect(skipped.count == 1)
        #expect(skipped.first?["reason"] == .string("DuplicateSourceEntries"))
        #expect(diagnostics.count == 1)
        #expect(document["summary"]?["create"] == .int(1))
        #expect(document["digest"] == .string(plan.digest))
    }

    @Test func jsonActionFilterKeepsThoseOperations() throws {
        var options = PlanRendererTestPlans.options(.json)
        options.actions = [.delete, .disable]
        let json = try PlanRendererTestPlans.render(plan, options)
        let document = try JSONTokenizer(bytes: Array(json.utf8), sourceName: "show").readValue()
        guard case .array(let operations)? = document["operations"] else {
            Issue.record("operations is an array")
            return
        }
        #expect(operations.map { $0["id"] } == [.string("op-000001"), .string("op-000002")])
        #expect(document["skipped"] == .array([]))
    }
}
