import Testing

@testable import TeprovCore

@Suite struct PlanSummaryTextTests {
    @Test func countsOfOneAreSingular() {
        var plan = PlanRendererTestPlans.sample()
        plan.summary.sourceRecords = 1
        plan.summary.unmanaged = 1
        plan.summary.estimatedRequests = 1
        let text = PlanSummaryText.render(plan, path: nil)
        #expect(text.contains("Source: 1 record ("))
        #expect(text.contains("; 1 unmanaged ThousandEyes user left alone."))
        #expect(text.contains("Estimated: 1 request, "))
    }

    @Test func otherCountsArePlural() {
        var plan = PlanRendererTestPlans.sample()
        plan.summary.sourceRecords = 0
        plan.summary.unmanaged = 2
        plan.summary.estimatedRequests = 33
        let text = PlanSummaryText.render(plan, path: nil)
        #expect(text.contains("Source: 0 records ("))
        #expect(text.contains("; 2 unmanaged ThousandEyes users left alone."))
        #expect(text.contains("Estimated: 33 requests, "))
    }
}
