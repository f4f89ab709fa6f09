import Testing

@testable import TeprovCore

@Suite("Plan renderer: Markdown and HTML review pages")
struct PlanRendererPageTests {
    /// The sample with an update whose values try to break out of a table cell or inject markup.
    static func hostilePlan() -> Plan {
        var plan = PlanRendererTestPlans.sample()
        plan.operations[2].changes = [
            AttributeChange(
                attribute: "displayName", old: .string("Bob | Builder"), new: .string("<script>alert(1)</script>")),
            AttributeChange(
                attribute: "title", old: .string("line one\nline two"), new: .string("`rm -rf` & <b>x</b>")),
        ]
        plan.operations[2].target?.userName = "bob\"'@contoso.com"
        return plan.sealed()
    }

    func render(_ plan: Plan, _ format: PlanRenderer.Format) throws -> String {
        try PlanRendererTestPlans.render(plan, PlanRendererTestPlans.options(format))
    }

    @Test func htmlEscapesEveryValueSoMarkupInDataIsInert() throws {
        let html = try render(Self.hostilePlan(), .html)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>x</b>"))
        #expect(html.contains("&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;"))
        #expect(html.contains("&quot;`rm -rf` &amp; &lt;b&gt;x&lt;/b&gt;&quot;"))
        #expect(html.contains("<td>bob&quot;&#39;@contoso.com</td>"))
    }

    @Test func htmlIsOneSelfContainedPage() throws {
        let html = try render(PlanRendererTestPlans.sample(), .html)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.contains("<style>"))
        for external in ["<script", "<link", "src=", "href=", "@import", "url("] {
            #expect(!html.contains(external), "the page must not load anything: found \(external)")
        }
    }

    @Test func htmlStatesTheSummaryCountsAsText() throws {
        let html = try render(PlanRendererTestPlans.sample(), .html)
        #expect(
            html.contains(
                "<p id=\"summary-counts\"><strong>1 to create, 1 to update, 1 to disable, 1 to delete; 1 held; 2 unchanged."
                    + "</strong></p>"))
        #expect(html.contains("<tr><th scope=\"row\">unmanaged (left alone)</th><td class=\"n\">3</td></tr>"))
        #expect(html.contains("<tr><td>DuplicateSourceEntries</td><td class=\"n\">1</td></tr>"))
        #expect(html.contains("estimated duration</th><td class=\"n\">3 s (PT3S)</td>"))
    }

    @Test func htmlGroupsOperationsByActionInPlanOrder() throws {
        let html = try render(PlanRendererTestPlans.sample(), .html)
        let headings = ["Delete (1)", "Disable (1)", "Update (1)", "Create (1)"].map { heading in
            html.range(of: ">\(heading)</h3>")?.lowerBound
        }
        #expect(headings.allSatisfy { $0 != nil })
        #expect(headings.compactMap { $0 } == headings.compactMap { $0 }.sorted())
        #expect(html.contains("<td><span class=\"tag\">held</span></td>"))
        #expect(html.contains("id=\"held\""))
        #expect(html.contains("<section id=\"skipped\">"))
        #expect(html.contains("<section id=\"diagnostics\">"))
    }

    @Test func markdownEscapesValuesForTableCells() throws {
        let markdown = try render(Self.hostilePlan(), .markdown)
        let row = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| op-000003 |") })
        let characters = Array(row)
        let cellBorders = characters.indices.filter { characters[$0] == "|" && ($0 == 0 || characters[$0 - 1] != "\\") }
            .count
        #expect(cellBorders == 7, "six cells need seven unescaped pipes: \(row)")
        #expect(row.contains(#"displayName: "Bob \| Builder" → "&lt;script&gt;alert(1)&lt;/script&gt;""#))
        #expect(row.contains(#"title: "line one\\nline two" → "\`rm -rf\` &amp; &lt;b&gt;x&lt;/b&gt;""#))
        #expect(!markdown.contains("<script"))
    }

    @Test func markdownEscapesLineBreaksInsideACell() {
        #expect(MarkdownEscaping.cell("a\nb\r\nc|d") == #"a<br>b<br>c\|d"#)
        #expect(MarkdownEscaping.cell("[x](http://e) *y* _z_") == #"\[x\](http://e) \*y\* \_z\_"#)
    }

    @Test func markdownHasTitleSummaryGroupsSkipsAndDiagnostics() throws {
        let markdown = try render(PlanRendererTestPlans.sample(), .markdown)
        #expect(markdown.hasPrefix("# teprov plan review\n"))
        #expect(markdown.contains("**1 to create, 1 to update, 1 to disable, 1 to delete; 1 held; 2 unchanged.**"))
        #expect(markdown.contains("| to delete | 1 |"))
        for heading in [
            "### Delete (1)", "### Disable (1)", "### Update (1)", "### Create (1)", "## Skipped (2)",
            "## Diagnostics (2)",
        ] {
            #expect(markdown.contains("\n\(heading)\n"))
        }
        #expect(markdown.contains("> **Note:** ThousandEyes gives new SCIM users"))
        #expect(markdown.contains("--allow-deletes \(PlanRendererTestPlans.sample().digest)"))
    }

    @Test func pagesWithoutCreatesOrHoldLeaveTheirNotesOut() throws {
        for format in [PlanRenderer.Format.markdown, .html] {
            let page = try render(PlanRendererTestPlans.unheldWithoutCreates(), format)
            #expect(!page.contains("default SCIM role"))
            #expect(!page.contains("HELD"))
        }
    }
}
