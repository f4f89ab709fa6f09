import Testing

@testable import TeprovCore

@Suite struct ExpressionParserTests {
    @Test func parsesAttributesTextNumbersAndCalls() throws {
        let expression = try ExpressionParser.parse(#"Mid([givenName], 1, 3)"#)
        guard case .call(let call) = expression else {
            Issue.record("expected a call, got \(expression)")
            return
        }
        #expect(call.function == .mid)
        #expect(call.position == 1)
        #expect(call.arguments == [.attribute(.init(name: "givenName")), .number(1), .number(3)])
    }

    @Test func functionAndAttributeNamesAreCaseInsensitive() throws {
        let lower = try ExpressionParser.parse(#"join(" ", [GIVENNAME], [surname])"#)
        let canonical = try ExpressionParser.parse(#"Join(" ", [givenName], [Surname])"#)
        #expect(lower == canonical)
        #expect(lower.description == #"Join(" ", [GIVENNAME], [surname])"#)
    }

    @Test func whitespaceAndLineBreaksBetweenTokens() throws {
        let spaced = try ExpressionParser.parse(
            "  Switch (\n  [IsSoftDeleted] ,\t, \"False\",\r\n \"True\" , \"True\", \"False\" )  ")
        let compact = try ExpressionParser.parse(#"Switch([IsSoftDeleted],,"False","True","True","False")"#)
        #expect(spaced == compact)
        #expect(compact.description == #"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#)
    }

    @Test(arguments: [
        (#""Company name: \"Contoso\"""#, #"Company name: "Contoso""#),
        (#""a\\b""#, #"a\b"#),
        (#""\\+(?<isdCode>\\d* )""#, #"\+(?<isdCode>\d* )"#),
        (#""\d{10}""#, #"\d{10}"#),
        (#""""#, ""),
        (#""Zoë ✓""#, "Zoë ✓"),
    ])
    func textEscapes(source: String, expected: String) throws {
        let expression = try ExpressionParser.parse(source)
        #expect(expression == .text(expected))
        #expect(try ExpressionParser.parse(expression.description) == expression)
    }

    @Test func numbersMayBeNegative() throws {
        #expect(try ExpressionParser.parse("-12") == .number(-12))
        #expect(try ExpressionParser.parse(#"Left("John", -1)"#).description == #"Left("John", -1)"#)
    }

    @Test func comparisons() throws {
        let expression = try ExpressionParser.parse(#"IIF([country]<>"USA", "x", "y")"#)
        guard case .call(let call) = expression, case .comparison(let comparison)? = call.arguments.first else {
            Issue.record("expected IIF with a comparison, got \(expression)")
            return
        }
        #expect(comparison.comparator == .notEqual)
        #expect(comparison.position == 14)
        for comparator in Expression.Comparator.allCases {
            let text = "[a] \(comparator.rawValue) 5"
            #expect(try ExpressionParser.parse(text).description == text)
        }
    }

    @Test(arguments: [
        #"Join(" ", [givenName], [surname])"#,
        #"Replace([mail], "@contoso.com", , , "", , )"#,
        #"IIF([country] = "USA", IIF([state] = "CA", "True", "False"), "False")"#,
        #"Switch([IsSoftDeleted], , "False", "True", "True", "False")"#,
        #"ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [a], [b]))), "contoso.com"), "en-US")"#,
        #"Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))"#,
    ])
    func descriptionRoundTrips(text: String) throws {
        let expression = try ExpressionParser.parse(text)
        #expect(expression.description == text)
        #expect(try ExpressionParser.parse(expression.description) == expression)
    }

    @Test func referencedAttributes() throws {
        #expect(
            try ExpressionParser.parse(#"Join(" ", [givenName], [Surname])"#).referencedAttributes
                == ["givenname", "surname"])
        #expect(try ExpressionParser.parse("Not([IsSoftDeleted])").referencedAttributes.isEmpty)
        #expect(try ExpressionParser.parse("[originalUserPrincipalName]").referencedAttributes == ["userPrincipalName"])
        #expect(
            try ExpressionParser.parse("SingleAppRoleAssignment([appRoleAssignments])").referencedAttributes.isEmpty)
        #expect(
            try ExpressionParser.parse(#"IIF([a] = [b], Coalesce([c], "x"), [d])"#).referencedAttributes
                == ["a", "b", "c", "d"])
    }

    // MARK: Errors, with exact positions

    @Test(arguments: [
        (#"Join(" ", [givenName] [surname])"#, 23, "expected ')' after the arguments of Join at character 23"),
        (#"Join(" ", [givenName], [surname] "x")"#, 34, "expected ')' after the arguments of Join at character 34"),
        (#"Join(" ", [givenName]"#, 22, "expected ')' after the arguments of Join at character 22"),
        ("Foo([x])", 1, "unknown function Foo at character 1"),
        (#"Join(" ", Bar([x]))"#, 11, "unknown function Bar at character 11"),
        ("Now()", 1, "Now at character 1 is an Entra function that teprov does not support"),
        ("Left([x])", 1, "Left at character 1 takes 2 arguments (Left(string, numChars)), not 1"),
        ("Not([a], [b])", 1, "Not at character 1 takes 1 argument (Not(source)), not 2"),
        (
            "Join([a])", 1,
            "Join at character 1 takes at least 2 arguments (Join(separator, source1, source2, …)), not 1"
        ),
        (
            #"ToLower("a", "b", "c")"#, 1,
            "ToLower at character 1 takes 1 to 2 arguments (ToLower(source, culture)), not 3"
        ),
        (
            #"Switch([a], "d", "k")"#, 1,
            "Switch at character 1 takes at least 4 arguments (Switch(source, defaultValue, key1, value1, …)), not 3"
        ),
        (
            #"Switch([a], "d", "k", "v", "k2")"#, 1,
            "Switch at character 1 takes an even number of arguments (Switch(source, defaultValue, key1, value1, …)), "
                + "not 5; every key needs a value"
        ),
        ("Left(, 3)", 6, "argument 1 (string) of Left is empty at character 6"),
        (#"Join(" ", [a], , [b])"#, 16, "argument 3 (source2) of Join is empty at character 16"),
        (#"Left([x], "abc")"#, 11, #"argument 2 (numChars) of Left at character 11 must be a whole number, not "abc""#),
        (
            #"Left([x], 2.5)"#, 12,
            "unexpected '.' at character 12 in the number that starts at character 11; only whole numbers are allowed"
        ),
        (
            #"Join(" , [x])"#, 6,
            #"the text that starts at character 6 has no closing '"' (write \" for a quote inside text)"#
        ),
        ("[mail", 1, "expected ']' to close the attribute name that starts at character 1"),
        ("[ ]", 1, "the attribute name at character 1 is empty"),
        ("[mail] [x]", 8, "unexpected '[' at character 8 after the end of the expression"),
        ("", 1, "the expression is empty at character 1"),
        ("   ", 1, "the expression is empty at character 1"),
        ("True", 5, #"expected '(' after True at character 5; write text in double quotes, e.g. "True""#),
        (
            #"Join(" ", &HF)"#, 11,
            "unexpected '&' at character 11; expected an attribute like [mail], a text in double quotes, a number or a "
                + "function call"
        ),
        (
            "Join(", 6,
            "expected an attribute, a text, a number or a function at character 6, but the expression ends there"
        ),
        (
            "[a] =", 6,
            "expected an attribute, a text, a number or a function at character 6, but the expression ends there"
        ),
        (
            "SingleAppRoleAssignment([roles])", 25,
            "SingleAppRoleAssignment takes [appRoleAssignments] as its argument at character 25"
        ),
        ("- 5", 2, "expected a digit after '-' at character 2"),
        ("99999999999999999999", 1, "the number at character 1 is too large"),
    ])
    func syntaxErrors(text: String, position: Int, message: String) {
        #expect(throws: ExpressionSyntaxError(position: position, message: message)) {
            try ExpressionParser.parse(text)
        }
    }

    @Test func expressionsLongerThanEntrasLimitAreRejected() throws {
        let tooLong = "\"" + String(repeating: "a", count: 10_000) + "\""
        let error = #expect(throws: ExpressionSyntaxError.self) { try ExpressionParser.parse(tooLong) }
        #expect(error?.position == 10_001)
        #expect(error?.message.hasPrefix("the expression is 10002 characters long") == true)
        let atLimit = "\"" + String(repeating: "a", count: 9_998) + "\""
        #expect(try ExpressionParser.parse(atLimit) == .text(String(repeating: "a", count: 9_998)))
    }

    @Test func nestingIsLimited() throws {
        let depth = ExpressionParser.maximumNesting
        let fine = String(repeating: "ToLower(", count: depth) + "[a]" + String(repeating: ")", count: depth)
        #expect(try ExpressionParser.parse(fine).referencedAttributes == ["a"])
        let deep = String(repeating: "ToLower(", count: depth + 1) + "[a]" + String(repeating: ")", count: depth + 1)
        let error = #expect(throws: ExpressionSyntaxError.self) { try ExpressionParser.parse(deep) }
        #expect(error?.position == depth * 8 + 1)
    }
}
