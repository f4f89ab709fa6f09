import Testing

@testable import TeprovCore

private func t(_ text: String) -> AttributeValue { .string(text) }

@Suite struct ExpressionReplaceTests {
    @Test(arguments: [
        // FUNC example 1: oldValue + replacementValue.
        ExpressionCase(
            #"Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )"#,
            ["BusinessTitle": t("Product Developer")], t("Software Engineer")),
        ExpressionCase(
            #"Replace([mail], "@contoso.com", , ,"", ,)"#, ["mail": t("john.doe@contoso.com")], t("john.doe")),
        ExpressionCase(#"Replace([x], "a", , , "b", , )"#, ["x": t("banana")], t("bbnbnb")),
        ExpressionCase(#"Replace([x], "A", , , "b", , )"#, ["x": t("banana")], t("banana")),
        ExpressionCase(#"Replace([x], "a", , , "b")"#, ["x": t("aa")], t("bb")),
        ExpressionCase(#"Replace([missing], "a", , , "b", , )"#, [:], nil),
        // FUNC example 2: oldValue + template.
        ExpressionCase(
            #"Replace([UserID],"<username>", , , , , "<username>@contoso.com")"#, ["UserID": t("jsmith")],
            t("jsmith@contoso.com")),
        // FUNC example 3: regexPattern + replacementValue with a named group.
        ExpressionCase(
            #"Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", , "${phoneNumber}", , )"#,
            ["telephoneNumber": t("+91 9998887777")], t("9998887777")),
        // FUNC prints 19998887777, but "+" is not in the class [()\s-]; .NET and ICU both keep it.
        ExpressionCase(
            #"Replace([mobile], , "[()\\s-]+", , "", , )"#, ["mobile": t("+1 (999) 888-7777")],
            t("+19998887777")),
        ExpressionCase(
            #"Replace([x], , "(\\w+)@(\\w+)", , "$2 at $1 ($$) [$&] ${9} ${nope}", , )"#, ["x": t("ann@corp")],
            t("corp at ann ($) [ann@corp] ${9} ${nope}")),
        ExpressionCase(#"Replace([x], , "o", , "\\", , )"#, ["x": t("foo")], t(#"f\\"#)),
        // FUNC example 4: regexPattern + regexGroupName + replacementValue.
        ExpressionCase(
            #"Replace([AddressLineData], ,"(?<streetNumber>^\\d*)","streetNumber", "888", , )"#,
            ["AddressLineData": t("545 Tremont Street")], t("888 Tremont Street")),
        ExpressionCase(
            #"Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )"#,
            ["userPrincipalName": t("jsmith@contoso.com")], t("jsmith")),
        ExpressionCase(#"Replace([x], , "a(?<mid>b)c", "mid", "-", , )"#, ["x": t("abcabc xbx")], t("a-ca-c xbx")),
        // FUNC example 5: regexPattern + regexGroupName + replacementAttributeName.
        ExpressionCase(
            #"Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )"#,
            ["mobile": t("+91 8887779999")], t("8887779999")),
        ExpressionCase(
            #"Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )"#,
            ["telephoneNumber": t("+1 555"), "mobile": t("+91 8887779999")], t("+1 555")),
        ExpressionCase(
            #"Replace([telephoneNumber], , "\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})", "phoneNumber" , , [mobile], )"#,
            ["mobile": t("none")], nil),
        // FUNC example 6.
        ExpressionCase(
            #"Replace([mailNickname], , "[a-zA-Z_]*", , "", , )"#, ["mailNickname": t("john_doe72")], t("72")),
        ExpressionCase(#"Replace([missing], , "a", , "", , )"#, [:], nil),
    ])
    func documentedForms(_ row: ExpressionCase) throws {
        let result = try ExpressionFixture.evaluate(row.expression, row.fields)
        #expect(result.value == row.expected)
        #expect(result.diagnostics.isEmpty)
    }

    @Test func catastrophicPatternIsStoppedWithADiagnostic() throws {
        let result = try ExpressionFixture.evaluate(
            #"Replace([x], , "(a+)+$", , "", , )"#, ["x": .string(String(repeating: "a", count: 36) + "!")])
        #expect(result.value == nil)
        #expect(result.diagnostics.count == 1)
        #expect(
            result.diagnostics.first?.hasPrefix("Replace at character 1 gives no value: the regular expression") == true
        )
    }

    @Test(arguments: [
        (
            #"Replace([x], "a", "b", , "c", , )"#, 1,
            "Replace at character 1 has both oldValue and regexPattern; give one of them"
        ),
        (
            #"Replace([x], "a", , , "c", , "t")"#, 1,
            "Replace at character 1 has both replacementValue and template; give one of them"
        ),
        (
            #"Replace([x], "a", , , , , )"#, 1,
            "Replace at character 1 needs replacementValue (argument 5) or template (argument 7) after oldValue"
        ),
        (
            #"Replace([x], "a", , "g", "c", , )"#, 1,
            "Replace at character 1 uses regexGroupName or replacementAttributeName, which need regexPattern, not oldValue"
        ),
        (
            #"Replace([x], , , , "c", , )"#, 1,
            "Replace at character 1 needs oldValue (argument 2) or regexPattern (argument 3)"
        ),
        (
            #"Replace([x], , "a", , , , )"#, 1,
            "Replace at character 1 needs replacementValue (argument 5) with regexPattern"
        ),
        (
            #"Replace([x], , "a", , "c", , "t")"#, 1,
            "Replace at character 1 uses template, which works only with oldValue"
        ),
        (#"Replace([x], , "(", , "", , )"#, 16, "the regexPattern of Replace at character 16 is not valid ICU syntax"),
        (
            #"Replace([x], , [p], , "", , )"#, 16,
            "the regexPattern of Replace at character 16 must be text in double quotes"
        ),
        (
            #"Replace([x], , "(?<a>b)", "c", "", , )"#, 27,
            #"the regexGroupName "c" of Replace at character 27 is not a named group (?<c>…) of the pattern"#
        ),
        (
            #"Replace([x], , "(?<a>b)", "a", "", [y], )"#, 1,
            "Replace at character 1 has both replacementValue and replacementAttributeName; give one of them"
        ),
        (
            #"Replace([x], , "(?<a>b)", , "", [y], )"#, 1,
            "Replace at character 1 uses replacementAttributeName, which needs regexGroupName"
        ),
        (
            "Replace([x])", 1,
            "Replace at character 1 takes 2 to 7 arguments (Replace(source, oldValue, regexPattern, regexGroupName, "
                + "replacementValue, replacementAttributeName, template)), not 1"
        ),
    ])
    func invalidCombinationsAreSyntaxErrors(text: String, position: Int, messagePrefix: String) {
        let error = #expect(throws: ExpressionSyntaxError.self) { try ExpressionParser.parse(text) }
        #expect(error?.position == position)
        #expect(error?.message.hasPrefix(messagePrefix) == true, "\(error?.message ?? "")")
    }

    @Test func namedGroupsOfAPattern() {
        #expect(
            ReplaceForm.namedGroups(in: #"\+(?<isdCode>\d* )(?<phoneNumber>\d{10})"#) == ["isdCode", "phoneNumber"])
        #expect(ReplaceForm.namedGroups(in: #"(?<=x)(?<!y)\(?<no>[(?<no2>)](?<yes>a)"#) == ["yes"])
    }
}
