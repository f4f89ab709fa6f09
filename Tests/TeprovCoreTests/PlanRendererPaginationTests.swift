import Testing

@testable import TeprovCore

@Suite("Plan renderer: pages beyond 5,000 operations")
struct PlanRendererPaginationTests {
    static let large = PlanRendererTestPlans.creates(5_001)

    func render(_ format: PlanRenderer.Format, page: Int = 1, plan: Plan = large, actions: Set<PlanAction>? = nil)
        throws
        -> String
    {
        var options = PlanRendererTestPlans.options(format)
        options.page = page
        options.actions = actions
        return try PlanRendererTestPlans.render(plan, options)
    }

    @Test func theFirstHTMLPageShowsFiveThousandAndSaysHowManyMoreAndHow() throws {
        let html = try render(.html)
        #expect(
            html.contains(
                "Page 1 of 2 shows operations 1–5,000 of 5,001. 1 more operation is not on this page; "
                    + "see the next 1 with: teprov show plan.json --format html --page 2"))
        #expect(html.contains("<tr id=\"op-005000\">"))
        #expect(!html.contains("<tr id=\"op-005001\">"))
        #expect(html.contains(">Create (5,000)</h3>"))
        #expect(
            html.contains(
                "<strong>5,001 to create, 0 to update, 0 to disable, 0 to delete; 0 held; 2 unchanged.</strong>"))
    }

    @Test func theSecondPageHoldsTheRestAndPointsBack() throws {
        let html = try render(.html, page: 2)
        #expect(html.contains("<tr id=\"op-005001\">"))
        #expect(!html.contains("<tr id=\"op-000001\">"))
        #expect(
            html.contains(
                "Page 2 of 2 shows operations 5,001–5,001 of 5,001. The earlier ones: "
                    + "teprov show plan.json --format html --page 1"))
        #expect(html.contains("No skipped entries on page 2 of 2: all 2 are on earlier pages"))
    }

    @Test func aPageBeyondTheLastIsAUsageError() {
        #expect(throws: TeprovError.self) { try render(.html, page: 3) }
        do {
            _ = try render(.html, page: 3)
        } catch let error as TeprovError {
            #expect(error.code == .usage)
            #expect(error.message == "--page 3 does not exist: this rendering has 2 pages; give --page 1 to 2")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func fiveThousandOperationsFitOnOnePage() throws {
        let html = try render(.html, plan: PlanRendererTestPlans.creates(5_000))
        #expect(!html.contains("class=\"page\""))
        #expect(html.contains("<tr id=\"op-005000\">"))
    }

    @Test func markdownPaginatesTheSameWay() throws {
        let markdown = try render(.markdown)
        #expect(
            markdown.contains(
                "1 more operation is not on this page; see the next 1 with: teprov show plan.json --format markdown --page 2"
            ))
        #expect(markdown.contains("| op-005000 |"))
        #expect(!markdown.contains("| op-005001 |"))
    }

    @Test func theNextPageCommandKeepsTheFilters() throws {
        let html = try render(.html, actions: [.create])
        #expect(html.contains("teprov show plan.json --format html --action create --page 2"))
    }

    @Test func textIsNeverPaginated() throws {
        let text = try render(.text)
        #expect(text.contains("op-005001"))
        #expect(text.contains("op-000001"))
    }
}
