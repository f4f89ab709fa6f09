import Testing

@testable import TeprovCore

/// The sample plan rendered in each review format, compared with Fixtures/show/ (re-record with `RECORD=1`).
@Suite("Plan renderer: golden files")
struct PlanRendererGoldenTests {
    @Test(
        arguments: [
            (PlanRenderer.Format.text, "sample.txt"), (.markdown, "sample.md"), (.html, "sample.html"),
        ])
    func sampleMatchesItsGoldenFile(format: PlanRenderer.Format, file: String) throws {
        let rendered = try PlanRendererTestPlans.render(
            PlanRendererTestPlans.sample(), PlanRendererTestPlans.options(format))
        try PlanRendererGolden.check(rendered, named: file)
    }

    @Test func redactedMarkdownMatchesItsGoldenFile() throws {
        var options = PlanRendererTestPlans.options(.markdown)
        options.redact = true
        let rendered = try PlanRendererTestPlans.render(PlanRendererTestPlans.sample(), options)
        try PlanRendererGolden.check(rendered, named: "sample-redacted.md")
    }
}
