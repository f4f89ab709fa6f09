import Testing

@testable import TeprovCore

/// Builds contexts and evaluates expression text for the expression tests.
enum ExpressionFixture {
    static func record(_ fields: [String: AttributeValue]) -> SourceRecord {
        var record = SourceRecord(origin: RecordOrigin(file: "users.csv", line: 2, index: 0))
        for name in fields.keys.sorted() { record[AttributeKey(name)] = fields[name] }
        return record
    }

    static func evaluate(
        _ text: String, _ fields: [String: AttributeValue] = [:], softDeleted: Bool = false, roles: [String] = []
    ) throws -> ExpressionResult {
        let expression = try ExpressionParser.parse(text)
        let context = ExpressionContext(record: record(fields), isSoftDeleted: softDeleted, appRoleValues: roles)
        return expression.evaluate(in: context)
    }
}

/// One row of a function table: an expression, the record it reads, the value it must give.
struct ExpressionCase: Sendable, CustomTestStringConvertible {
    let expression: String
    let fields: [String: AttributeValue]
    let expected: AttributeValue?
    /// Whether a diagnostic must (true) or must not (false) be reported.
    let diagnosed: Bool

    init(
        _ expression: String, _ fields: [String: AttributeValue] = [:], _ expected: AttributeValue?,
        diagnosed: Bool = false
    ) {
        self.expression = expression
        self.fields = fields
        self.expected = expected
        self.diagnosed = diagnosed
    }

    var testDescription: String { expression }
}

private func t(_ text: String) -> AttributeValue { .string(text) }

@Suite struct ExpressionFunctionTests {
    func check(_ row: ExpressionCase) throws {
        let result = try ExpressionFixture.evaluate(row.expression, row.fields)
        #expect(result.value == row.expected)
        #expect(result.diagnostics.isEmpty == !row.diagnosed, "diagnostics: \(result.diagnostics)")
        #expect(result.ignoreFlow == false)
    }

    @Test(arguments: [
        // FUNC example.
        ExpressionCase(
            #"Append([userPrincipalName], ".test")"#, ["userPrincipalName": t("John.Doe@contoso.com")],
            t("John.Doe@contoso.com.test")),
        ExpressionCase(#"Append([missing], ".test")"#, [:], nil),
        ExpressionCase(#"Append([a], [missing])"#, ["a": t("x")], t("x")),
        ExpressionCase(
            #"Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))"#,
            ["givenName": t("John"), "surname": t("Doe")], t("JohDoe")),
    ])
    func append(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase(
            "CBool([attribute1] = [attribute2])", ["attribute1": t("x"), "attribute2": t("x")], .bool(true)),
        ExpressionCase(
            "CBool([attribute1] = [attribute2])", ["attribute1": t("x"), "attribute2": t("y")], .bool(false)),
        ExpressionCase(#"CBool("1")"#, [:], .bool(true)),
        ExpressionCase("CBool(0)", [:], .bool(false)),
        ExpressionCase(#"CBool("False")"#, [:], .bool(false)),
        ExpressionCase(#"CBool("tRUE")"#, [:], .bool(true)),
        ExpressionCase("CBool([missing])", [:], nil),
        ExpressionCase(#"CBool("abc")"#, [:], nil, diagnosed: true),
    ])
    func cBool(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase("CStr([dn])", ["dn": t("cn=Joe,dc=contoso,dc=com")], t("cn=Joe,dc=contoso,dc=com")),
        ExpressionCase("CStr([accountEnabled])", ["accountEnabled": .bool(true)], t("True")),
        ExpressionCase("CStr([accountEnabled])", ["accountEnabled": .bool(false)], t("False")),
        ExpressionCase("CStr(42)", [:], t("42")),
        ExpressionCase("CStr([missing])", [:], nil),
    ])
    func cStr(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase(
            "Coalesce([mail],[userPrincipalName])", ["userPrincipalName": t("John.Doe@contoso.com")],
            t("John.Doe@contoso.com")),
        ExpressionCase(
            "Coalesce([mail],[userPrincipalName])",
            ["mail": t("j@contoso.com"), "userPrincipalName": t("John.Doe@contoso.com")], t("j@contoso.com")),
        ExpressionCase(#"Coalesce([a], [b], "default")"#, [:], t("default")),
        ExpressionCase("Coalesce([a], [b])", [:], nil),
        ExpressionCase(#"Coalesce("", "x")"#, [:], t("")),
    ])
    func coalesce(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase(
            #"IIF([country]="USA",[country],[department])"#, ["country": t("USA"), "department": t("Sales")],
            t("USA")),
        ExpressionCase(
            #"IIF([country]="USA",[country],[department])"#, ["country": t("NZ"), "department": t("Sales")],
            t("Sales")),
        // FUNC's AND and OR patterns.
        ExpressionCase(
            #"IIF([country]="USA",IIF([state]="CA","True","False"),"False")"#,
            ["country": t("USA"), "state": t("CA")], t("True")),
        ExpressionCase(
            #"IIF([country]="USA",IIF([state]="CA","True","False"),"False")"#,
            ["country": t("USA"), "state": t("NY")], t("False")),
        ExpressionCase(
            #"IIF([country]="USA","True",IIF([state]="CA","True","False"))"#,
            ["country": t("NZ"), "state": t("CA")], t("True")),
        // FUNC's known limitation: a null or empty attribute in the condition makes the check fail.
        ExpressionCase(#"IIF([country]="","Other",[country])"#, [:], nil, diagnosed: true),
        ExpressionCase(#"IIF(IsNullOrEmpty([country]),"Other",[country])"#, [:], nil, diagnosed: true),
        ExpressionCase(#"IIF(IsPresent([country]),[country],"Other")"#, [:], nil, diagnosed: true),
        ExpressionCase(#"IIF([age] > 5, "big", "small")"#, ["age": .int(7)], t("big")),
        ExpressionCase(#"IIF([age] >= 10, "big", "small")"#, ["age": t("10")], t("big")),
        ExpressionCase(#"IIF("10" > "9", "yes", "no")"#, [:], t("yes")),
        ExpressionCase(#"IIF("b" < "a", "yes", "no")"#, [:], t("no")),
        ExpressionCase(#"IIF([x] <> "usa", "other", "same")"#, ["x": t("USA")], t("other")),
        ExpressionCase(#"IIF([accountEnabled] = "true", "on", "off")"#, ["accountEnabled": .bool(true)], t("on")),
        ExpressionCase(#"IIF([title], "yes", "no")"#, ["title": t("Boss")], nil, diagnosed: true),
    ])
    func iif(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase("IsNull([displayName])", [:], .bool(true)),
        ExpressionCase("IsNull([displayName])", ["displayName": t("Ann")], .bool(false)),
        ExpressionCase(#"IsNull("")"#, [:], .bool(false)),
        ExpressionCase("IsNullOrEmpty([displayName])", [:], .bool(true)),
        ExpressionCase(#"IsNullOrEmpty("")"#, [:], .bool(true)),
        ExpressionCase("IsNullOrEmpty([displayName])", ["displayName": t("Ann")], .bool(false)),
        ExpressionCase("IsPresent([displayName])", [:], .bool(false)),
        ExpressionCase(#"IsPresent("")"#, [:], .bool(false)),
        ExpressionCase("IsPresent([displayName])", ["displayName": t("Ann")], .bool(true)),
    ])
    func nullTests(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase(
            #"Join(" ", [givenName], [surname])"#, ["givenName": t("Ann"), "surname": t("Lee")], t("Ann Lee")),
        ExpressionCase(#"Join(" ", [givenName], [surname])"#, ["givenName": t("Ann")], t("Ann")),
        ExpressionCase(#"Join(" ", [givenName], [surname])"#, [:], nil),
        // FUNC example: empty values are skipped.
        ExpressionCase(
            #"Join(", ", "", [surname], [givenName])"#, ["givenName": t("John"), "surname": t("Doe")],
            t("Doe, John")),
        ExpressionCase(
            #"Join(";", [proxyAddresses], [mail])"#,
            ["proxyAddresses": .multi([t("smtp:a@x"), t("smtp:b@x")]), "mail": t("c@x")], t("smtp:a@x;smtp:b@x;c@x")),
        ExpressionCase(#"Join("", 1000, "x")"#, [:], t("1000x")),
        ExpressionCase(#"Join([missing], "a", "b")"#, [:], t("ab")),
    ])
    func join(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase(#"Left("John Doe", 3)"#, [:], t("Joh")),
        ExpressionCase(#"Left("John", 0)"#, [:], t("")),
        ExpressionCase(#"Left("John", -1)"#, [:], t("John")),
        ExpressionCase("Left([missing], 2)", [:], t("")),
        ExpressionCase(#"Left("Jo", 5)"#, [:], t("Jo")),
        ExpressionCase(#"Left("John", "2")"#, [:], t("Jo")),
        ExpressionCase(#"Left("John", [n])"#, ["n": t("two")], nil, diagnosed: true),
    ])
    func left(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase(#"Mid("abcdef", 3, 2)"#, [:], t("cd")),
        ExpressionCase(#"Mid("abc", 2, 10)"#, [:], t("bc")),
        ExpressionCase(#"Mid("abc", 5, 1)"#, [:], t("")),
        ExpressionCase("Mid([missing], 1, 2)", [:], nil),
        ExpressionCase(#"Mid("abc", 0, 1)"#, [:], nil, diagnosed: true),
        ExpressionCase(#"Mid("abc", 1, -1)"#, [:], nil, diagnosed: true),
        ExpressionCase(#"Mid("Zoë Ånström", 5, 3)"#, [:], t("Åns")),
    ])
    func mid(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase("NormalizeDiacritics([givenName])", ["givenName": t("Zoë")], t("Zoe")),
        ExpressionCase(#"NormalizeDiacritics("Jéssica Smith")"#, [:], t("Jessica Smith")),
        ExpressionCase(#"NormalizeDiacritics("Straße")"#, [:], t("Strasse")),
        ExpressionCase(#"NormalizeDiacritics("Ærøskøbing")"#, [:], t("AEroeskoebing")),
        ExpressionCase(#"NormalizeDiacritics("Łódź ǣ ı İ ḹ")"#, [:], t("Lodz ae i I l")),
        ExpressionCase(#"NormalizeDiacritics("Ελλάδα")"#, [:], t("Ελλάδα")),
        ExpressionCase("NormalizeDiacritics([missing])", [:], nil),
    ])
    func normalizeDiacritics(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase(#"Not("True")"#, [:], .bool(false)),
        ExpressionCase(#"Not("false")"#, [:], .bool(true)),
        ExpressionCase("Not([accountEnabled])", ["accountEnabled": .bool(true)], .bool(false)),
        // FUNC: "If source value is True, returns False. Otherwise, returns True."
        ExpressionCase("Not([missing])", [:], .bool(true)),
        ExpressionCase(#"Not("maybe")"#, [:], .bool(true), diagnosed: true),
    ])
    func not(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase(
            "PCase([firstName])", ["firstName": t("PABLO GONSALVES (SECOND)")], t("Pablo Gonsalves (Second)")),
        ExpressionCase(#"PCase([lastName]," '-")"#, ["lastName": t("PINTO-DE'SILVA")], t("Pinto-De'Silva")),
        ExpressionCase(
            #"PCase(Join(" ",[firstName],[lastName]))"#, ["firstName": t("GREGORY"), "lastName": t("JAMES")],
            t("Gregory James")),
        ExpressionCase(#"PCase("anne-marie o'neil", " ")"#, [:], t("Anne-marie O'neil")),
        ExpressionCase(#"PCase("élodie_ÉCOLE")"#, [:], t("Élodie_École")),
        ExpressionCase("PCase([missing])", [:], nil),
    ])
    func pCase(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase(
            "Split([extensionAttribute5], \",\")",
            ["extensionAttribute5": t("PermissionSetOne, PermissionSetTwo")],
            .multi([t("PermissionSetOne"), t("PermissionSetTwo")])),
        ExpressionCase(#"Split("a", ",")"#, [:], .multi([t("a")])),
        ExpressionCase(#"Split("a,,b,", ",")"#, [:], .multi([t("a"), t("b")])),
        ExpressionCase(#"Split("a::b", "::")"#, [:], .multi([t("a"), t("b")])),
        ExpressionCase(#"Split([missing], ",")"#, [:], nil),
        ExpressionCase(#"Join("|", Split("a,b", ","))"#, [:], t("a|b")),
    ])
    func split(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase(#"StripSpaces("John Smith Jr")"#, [:], t("JohnSmithJr")),
        ExpressionCase("StripSpaces(\"a\tb\")", [:], t("a\tb")),
        ExpressionCase("StripSpaces([missing])", [:], nil),
    ])
    func stripSpaces(_ row: ExpressionCase) throws { try check(row) }

    static let states =
        #"Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")"#

    @Test(arguments: [
        ExpressionCase(states, ["state": t("QLD")], t("Australia/Brisbane")),
        ExpressionCase(states, ["state": t("WA")], t("Australia/Sydney")),
        ExpressionCase(#"Switch([statusFlag], "Default Value", "true", "1", "", "0")"#, [:], t("0")),
        ExpressionCase(
            #"Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")"#, ["statusFlag": t("TRUE")], t("1")),
        ExpressionCase(
            #"Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")"#, ["statusFlag": .bool(false)],
            t("0")),
        ExpressionCase(#"Switch([state], "none", "qld", "x")"#, ["state": t("QLD")], t("none")),
        ExpressionCase(#"Switch([country],[country],"","Other")"#, [:], t("Other")),
        ExpressionCase(#"Switch([country],[country],"","Other")"#, ["country": t("NZ")], t("NZ")),
        ExpressionCase(#"Switch([state], , "NSW", "x")"#, ["state": t("QLD")], nil),
        ExpressionCase(
            """
            Switch([Active], ,
              "1", IIF([level] > 5, "False", "True"),
              "0", "False")
            """, ["Active": t("1"), "level": .int(3)], t("True")),
    ])
    func switchFunction(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase(
            #"ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))"#,
            ["PreferredFirstName": t("John"), "PreferredLastName": t("Smith")], t("john.smith@contoso.com")),
        ExpressionCase(#"ToLower("ÉCOLE", "fr-FR")"#, [:], t("école")),
        ExpressionCase(#"ToLower("MiXeD")"#, [:], t("mixed")),
        ExpressionCase("ToLower([missing])", [:], nil),
        ExpressionCase(#"ToUpper("straße", "de-DE")"#, [:], t("STRAßE")),
        ExpressionCase(#"ToUpper("abc")"#, [:], t("ABC")),
        ExpressionCase("ToUpper([missing])", [:], nil),
    ])
    func caseFunctions(_ row: ExpressionCase) throws { try check(row) }

    @Test(arguments: [
        ExpressionCase(#"Word("The quick brown fox",3," ")"#, [:], t("brown")),
        ExpressionCase(#"Word("This,string!has&many separators",3,",!&#")"#, [:], t("has")),
        ExpressionCase(#"Word("a  b", 2, " ")"#, [:], t("b")),
        ExpressionCase(#"Word("a b", 0, " ")"#, [:], t("")),
        ExpressionCase(#"Word("a b", 5, " ")"#, [:], t("")),
        ExpressionCase(#"Word([missing], 1, " ")"#, [:], t("")),
    ])
    func word(_ row: ExpressionCase) throws { try check(row) }

    @Test func singleAppRoleAssignment() throws {
        let text = "SingleAppRoleAssignment([appRoleAssignments])"
        #expect(try ExpressionFixture.evaluate(text, roles: ["Admin"]).value == t("Admin"))
        #expect(try ExpressionFixture.evaluate(text, roles: []).value == nil)
        let several = try ExpressionFixture.evaluate(text, roles: ["Admin", "Viewer"])
        #expect(several.value == t("Admin"))
        #expect(several.diagnostics.count == 1)
        #expect(
            try ExpressionFixture.evaluate(#"Join(",", [appRoleAssignments])"#, roles: ["A", "B"]).value == t("A,B"))
    }
}
