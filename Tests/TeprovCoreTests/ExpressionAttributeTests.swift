import Testing

@testable import TeprovCore

@Suite struct ExpressionAttributeTests {
    @Test(arguments: [
        ("adele.vance_fabrikam.com#EXT#@contoso.onmicrosoft.com", "adele.vance@fabrikam.com"),
        ("a_b_c.com#EXT#@t", "a_b@c.com"),
        ("x_y.org#ext#@tenant.onmicrosoft.com", "x@y.org"),
        ("ann.lee@contoso.com", "ann.lee@contoso.com"),
        ("first_last@contoso.com", "first_last@contoso.com"),
        ("nounderscore#EXT#@t", "nounderscore#EXT#@t"),
        ("_domain.com#EXT#@t", "_domain.com#EXT#@t"),
        ("alias_#EXT#@t", "alias_#EXT#@t"),
        ("zoë_bücher.de#EXT#@t", "zoë@bücher.de"),
        // `#` that does not start the marker, before it or alone; the marker at the very end.
        ("a#b_c.com#EXT#@t", "a#b@c.com"),
        ("a_b.com##EXT#@t", "a@b.com#"),
        ("a_b.com#EX#EXT#", "a@b.com#EX"),
        ("a_b#Ext#", "a@b"),
        ("#EXT", "#EXT"),
        ("a_b#EX", "a_b#EX"),
        ("####", "####"),
    ])
    func guestPrincipalNames(raw: String, seen: String) {
        #expect(GuestUserPrincipalName.externalForm(of: raw) == seen)
    }

    @Test func guestUserPrincipalNameIsSeenAsAliasAtDomainEverywhere() throws {
        let fields: [String: AttributeValue] = [
            "userPrincipalName": .string("Adele.Vance_Fabrikam.com#EXT#@contoso.onmicrosoft.com")
        ]
        #expect(
            try ExpressionFixture.evaluate("[userPrincipalName]", fields).value == .string("Adele.Vance@Fabrikam.com"))
        #expect(
            try ExpressionFixture.evaluate("[USERPRINCIPALNAME]", fields).value == .string("Adele.Vance@Fabrikam.com"))
        #expect(
            try ExpressionFixture.evaluate("ToLower([userPrincipalName])", fields).value
                == .string("adele.vance@fabrikam.com"))
        #expect(
            try ExpressionFixture.evaluate("[originalUserPrincipalName]", fields).value
                == .string("Adele.Vance_Fabrikam.com#EXT#@contoso.onmicrosoft.com"))
        #expect(try ExpressionFixture.evaluate("[originalUserPrincipalName]", [:]).value == nil)
    }

    @Test func isSoftDeletedComesFromTheContext() throws {
        #expect(try ExpressionFixture.evaluate("[IsSoftDeleted]", softDeleted: true).value == .bool(true))
        #expect(try ExpressionFixture.evaluate("[isSoftDeleted]", softDeleted: false).value == .bool(false))
        #expect(try ExpressionFixture.evaluate("Not([IsSoftDeleted])", softDeleted: true).value == .bool(false))
        #expect(try ExpressionFixture.evaluate("CStr([IsSoftDeleted])", softDeleted: true).value == .string("True"))
        // A record attribute of the same name does not override the computed flag.
        #expect(try ExpressionFixture.evaluate("[IsSoftDeleted]", ["isSoftDeleted": .bool(true)]).value == .bool(false))
    }

    @Test func multiValuedAttributeWhereOneValueIsNeeded() throws {
        let fields: [String: AttributeValue] = ["proxyAddresses": .multi([.string("SMTP:a@x"), .string("smtp:b@x")])]
        let result = try ExpressionFixture.evaluate("ToLower([proxyAddresses])", fields)
        #expect(result.value == nil)
        #expect(
            result.diagnostics == ["[proxyAddresses] has several values; Join or a single-valued attribute is needed"])
        let split = try ExpressionFixture.evaluate(#"ToUpper(Split("a,b", ","))"#)
        #expect(split.value == nil)
        #expect(
            split.diagnostics
                == [
                    "the result of Split at character 9 has several values; Join or a single-valued attribute is needed"
                ])
        // As the whole expression, the values are handed on untouched: the target's type decides.
        #expect(try ExpressionFixture.evaluate("[proxyAddresses]", fields).value == fields["proxyAddresses"])
        #expect(
            try ExpressionFixture.evaluate(#"Join(",", [proxyAddresses])"#, fields).value
                == .string("SMTP:a@x,smtp:b@x"))
    }

    @Test func singleEntryMultiValuedAttributeStandsForItsValue() throws {
        let fields: [String: AttributeValue] = ["otherMails": .multi([.string("Ann@X.org")])]
        let result = try ExpressionFixture.evaluate("ToLower([otherMails])", fields)
        #expect(result.value == .string("ann@x.org"))
        #expect(result.diagnostics.isEmpty)
    }

    @Test func ignoreFlowIfNullOrEmpty() throws {
        let absent = try ExpressionFixture.evaluate("IgnoreFlowIfNullOrEmpty([department])")
        #expect(absent == ExpressionResult(value: nil, diagnostics: [], ignoreFlow: true))
        let present = try ExpressionFixture.evaluate(
            "IgnoreFlowIfNullOrEmpty([department])", ["department": .string("Sales")])
        #expect(present == ExpressionResult(value: .string("Sales"), diagnostics: [], ignoreFlow: false))
        let prefix =
            #"IgnoreFlowIfNullOrEmpty(Switch([prefix], "", "3443", "Dr.", "3444", "Prof.", "3445", "Prof. Dr."))"#
        #expect(try ExpressionFixture.evaluate(prefix, ["prefix": .string("3443")]).value == .string("Dr."))
        #expect(try ExpressionFixture.evaluate(prefix, ["prefix": .string("9999")]).ignoreFlow)
        // Nested: the whole attribute is dropped from the flow, not just the inner value.
        let nested = try ExpressionFixture.evaluate(
            #"Join(" ", IgnoreFlowIfNullOrEmpty([a]), [b])"#, ["b": .string("x")])
        #expect(nested.ignoreFlow)
        #expect(nested.value == nil)
        // A plain null is not the same signal.
        #expect(try ExpressionFixture.evaluate("[department]").ignoreFlow == false)
    }

    @Test func defaultMappingEvaluates() throws {
        let fields: [String: AttributeValue] = [
            "id": .string("0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"), "userPrincipalName": .string("ann.lee@contoso.com"),
            "displayName": .string("Ann Lee"), "mail": .string("Ann.Lee@contoso.com"), "givenName": .string("Ann"),
            "surname": .string("Lee"),
        ]
        let expected: [(String, AttributeValue?)] = [
            ("[id]", .string("0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef")),
            ("[userPrincipalName]", .string("ann.lee@contoso.com")),
            ("Not([IsSoftDeleted])", .bool(true)),
            ("[displayName]", .string("Ann Lee")),
            ("[mail]", .string("Ann.Lee@contoso.com")),
            (#"Join(" ", [givenName], [surname])"#, .string("Ann Lee")),
        ]
        for (text, value) in expected {
            let result = try ExpressionFixture.evaluate(text, fields)
            #expect(result == ExpressionResult(value: value), "\(text)")
        }
    }

    @Test func typedRecordValuesReadAsText() throws {
        let fields: [String: AttributeValue] = [
            "employeeNumber": .int(42), "ratio": .double(2.5), "flag": .bool(false),
        ]
        #expect(
            try ExpressionFixture.evaluate(#"Join("-", [employeeNumber], [ratio], [flag])"#, fields).value
                == .string("42-2.5-False"))
    }
}
