import Testing

@testable import TeprovCore

@Suite("Plan renderer: --redact")
struct PlanRendererRedactionTests {
    @Test(
        "masks each address, keeping the local part's first character and the domain",
        arguments: [
            ("alice@contoso.com", "a***@contoso.com"),
            ("Alice Smith <alice.smith@contoso.com>", "Alice Smith <a***@contoso.com>"),
            ("userName 'bob@x.org' is duplicated.", "userName 'b***@x.org' is duplicated."),
            ("write to carol@contoso.com.", "write to c***@contoso.com."),
            ("alice_fabrikam.com#EXT#@contoso.onmicrosoft.com", "a***@contoso.onmicrosoft.com"),
            ("x@a.io and yann.b@b.example", "x***@a.io and y***@b.example"),
            ("émilie@exemple.fr", "é***@exemple.fr"),
            ("no address here", "no address here"),
            ("@handle and trailing@", "@handle and trailing@"),
        ])
    func masksAddresses(input: String, expected: String) {
        #expect(EmailRedaction.mask(input) == expected)
    }

    static let addresses = [
        "alice@contoso.com", "bob@contoso.com", "carol@contoso.com", "dave@contoso.com", "erin@contoso.com",
        "root@contoso.com",
    ]

    @Test(arguments: PlanRenderer.Format.allCases)
    func everyFormatMasksEveryAddress(format: PlanRenderer.Format) throws {
        var options = PlanRendererTestPlans.options(format)
        options.redact = true
        let rendered = try PlanRendererTestPlans.render(PlanRendererTestPlans.sample(), options)
        for address in Self.addresses {
            #expect(!rendered.contains(address), "\(address) is still in the \(format) rendering")
        }
        // Markdown escapes the asterisks so that they cannot pair up into emphasis.
        let mask = format == .markdown ? #"\*\*\*@contoso.com"# : "***@contoso.com"
        #expect(rendered.contains("a" + mask))
        #expect(rendered.contains("b" + mask))
        #expect(rendered.contains("Robert"))
    }

    @Test func textMasksUserNamesChangesDetailsAndMessages() throws {
        var options = PlanRendererTestPlans.options(.text)
        options.redact = true
        let text = try PlanRendererTestPlans.render(PlanRendererTestPlans.sample(), options)
        #expect(text.contains("+ create  a***@contoso.com  (NotMatched)  op-000004"))
        #expect(text.contains(#"    emails: [{"type":"work","value":"a***@contoso.com","primary":true}]"#))
        #expect(text.contains("e***@contoso.com  users.csv:5  userName e***@contoso.com is also on users.csv line 6"))
        #expect(text.contains("users.csv:5: two records share userName e***@contoso.com"))
    }

    @Test func theUserFilterMatchesTheRealAddressBeforeMasking() throws {
        var options = PlanRendererTestPlans.options(.text)
        options.redact = true
        options.user = "bob@contoso.com"
        let text = try PlanRendererTestPlans.render(PlanRendererTestPlans.sample(), options)
        #expect(text.contains("~ update  b***@contoso.com  (AttributesChanged)  op-000003"))
        #expect(!text.contains("op-000004"))
        #expect(!text.contains("bob@contoso.com"), "the filter note must not print the address either")
        #expect(text.contains("(--user b***@contoso.com)"))
    }
}
