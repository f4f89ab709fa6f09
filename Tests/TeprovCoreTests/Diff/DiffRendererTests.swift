import Testing

@testable import TeprovCore

/// Renderings the golden files do not reach: warnings, colours, names that would break a line, a
/// Markdown table or a terminal.
@Suite("Diff: rendering")
struct DiffRendererTests {
    static let result = SnapshotDiffResult(
        added: [DiffUser(id: "7", userName: "new|user`x@contoso.com")],
        removed: [DiffUser(id: "8", userName: nil)],
        changed: [
            DiffChangedUser(
                id: "9", userName: "evil\u{1B}[2J@contoso.com",
                changes: [DiffAttributeChange(attribute: "title", old: .string("a|b"), new: nil)])
        ],
        unchanged: 1,
        notes: [DiffNote(file: "old.json", line: 1, message: "the snapshot says \"complete\": false")])

    func render(_ format: DiffRenderer.Format, color: Bool = false) -> String {
        DiffRenderer(options: .init(format: format, oldName: "old.json", newName: "new.json", color: color))
            .render(Self.result)
    }

    @Test func textListsEveryUserSortedByUserNameWithoutNamesLast() {
        #expect(
            render(.text) == """
                ~ "evil\\u001b[2J@contoso.com" (id 9)
                    title: "a|b" → null
                + new|user`x@contoso.com (id 7)
                - (no userName) (id 8)
                1 added, 1 removed, 1 changed, 1 unchanged

                """)
    }

    @Test func colourMarksOnlyTheMarkers() {
        let text = render(.text, color: true)
        #expect(text.contains("\u{1B}[32m+\u{1B}[0m new|user`x@contoso.com"))
        #expect(text.contains("\u{1B}[31m-\u{1B}[0m (no userName)"))
        #expect(text.contains("\u{1B}[33m~\u{1B}[0m \"evil"))
    }

    @Test func markdownCarriesTheWarningAndKeepsTablesIntact() {
        let markdown = render(.markdown)
        #expect(markdown.contains("> **Warning:** `old.json`, line 1: the snapshot says \"complete\": false\n"))
        #expect(markdown.contains("| ``new\\|user`x@contoso.com`` | `7` |\n"))
        #expect(markdown.contains("| `title` | `\"a\\|b\"` | `null` |\n"))
    }

    @Test func jsonShowsAbsentValuesAndUserNamesAsNull() {
        let json = render(.json)
        #expect(json.contains("\"userName\": null"))
        #expect(json.contains("\"new\": null"))
        #expect(json.hasSuffix("\"unchanged\": 1\n}\n"))
    }
}
