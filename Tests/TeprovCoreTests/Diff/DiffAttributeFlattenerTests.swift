import Testing

@testable import TeprovCore

/// How `diff` names attribute paths (SPEC §9): nested, extension, multi-valued by type, value or
/// position, plain arrays, absent values, ignored paths, ThousandEyes v7 users.
@Suite("Diff: attribute paths")
struct DiffAttributeFlattenerTests {
    @Test func nestedAttributesJoinWithADotAndExtensionAttributesWithAColon() throws {
        let leaves = try DiffTestInput.leaves(
            """
            {"name": {"givenName": "Adele", "formatted": "Adele Vance"},
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Retail", "manager": {"value": "1002"}}}
            """)
        #expect(
            leaves == [
                "name.givenName = \"Adele\"", "name.formatted = \"Adele Vance\"",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department = \"Retail\"",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value = \"1002\"",
            ])
    }

    @Test func multiValuedElementsAreNamedByTypeWithoutRepeatingIt() throws {
        let leaves = try DiffTestInput.leaves(
            #"{"emails": [{"value": "a@contoso.com", "type": "work", "primary": true}, {"value": "a@home.example", "type": "home"}]}"#
        )
        #expect(
            leaves == [
                "emails[type eq \"work\"].value = \"a@contoso.com\"", "emails[type eq \"work\"].primary = true",
                "emails[type eq \"home\"].value = \"a@home.example\"",
            ])
    }

    @Test func elementsSharingATypeAreNamedByTypeAndValue() throws {
        let leaves = try DiffTestInput.leaves(
            #"{"emails": [{"value": "a@contoso.com", "type": "work"}, {"value": "b@contoso.com", "type": "work", "primary": true}]}"#
        )
        #expect(
            leaves == [
                "emails[type eq \"work\" and value eq \"a@contoso.com\"].value = \"a@contoso.com\"",
                "emails[type eq \"work\" and value eq \"b@contoso.com\"].value = \"b@contoso.com\"",
                "emails[type eq \"work\" and value eq \"b@contoso.com\"].primary = true",
            ])
    }

    @Test func untypedElementsAreNamedByValueElseByPosition() throws {
        let leaves = try DiffTestInput.leaves(
            #"{"groups": [{"value": "g1", "display": "Sales"}], "addresses": [{"locality": "Bellevue"}, {"locality": "Oslo"}]}"#
        )
        #expect(
            leaves == [
                "groups[value eq \"g1\"].value = \"g1\"", "groups[value eq \"g1\"].display = \"Sales\"",
                "addresses[1].locality = \"Bellevue\"", "addresses[2].locality = \"Oslo\"",
            ])
    }

    @Test func anElementWithNothingButItsTypeIsItsOwnValue() throws {
        #expect(try DiffTestInput.leaves(#"{"ims": [{"type": "aim"}]}"#) == [#"ims[type eq "aim"] = {"type":"aim"}"#])
    }

    @Test func plainArraysAreOneValueAndNullOrEmptyValuesAreAbsent() throws {
        let leaves = try DiffTestInput.leaves(
            #"{"schemas": ["urn:a", "urn:b"], "title": null, "nickName": "", "roles": [], "name": {}, "x509Certificates": [null]}"#
        )
        #expect(leaves == [#"schemas = ["urn:a","urn:b"]"#, #"nickName = """#])
    }

    @Test func metaIsIgnoredByDefaultAndIgnoreEntriesCoverEverythingBelowThem() throws {
        let user = """
            {"name": {"formatted": "A"}, "nameSuffix": "x", "meta": {"lastModified": "2026-01-01"},
             "emails": [{"value": "a@x", "type": "work"}, {"value": "a@y", "type": "home"}]}
            """
        #expect(
            try DiffTestInput.leaves(user, ignore: ["NAME", #"emails[type eq "home"]"#])
                == ["nameSuffix = \"x\"", #"emails[type eq "work"].value = "a@x""#])
        // Filter values are compared exactly: "Home" is not "home".
        #expect(try DiffTestInput.leaves(user, ignore: [#"emails[type eq "Home"]"#]).count == 4)
    }

    @Test func serversSpellingOfCoreAttributesIsShownCanonically() throws {
        #expect(
            try DiffTestInput.leaves(#"{"USERNAME": "a@x", "Emails": [{"Value": "a@x", "Type": "work"}], "custom": 1}"#)
                == ["userName = \"a@x\"", #"emails[type eq "work"].value = "a@x""#, "custom = 1"])
    }

    @Test func thousandEyesV7UsersAreReadInSCIMTerms() throws {
        let leaves = try DiffTestInput.leaves(
            """
            {"loginAccountGroup": {"accountGroupName": "Account A", "aid": "1234"}, "uid": "245",
             "name": "User X", "email": "userx@thousandeyes.com", "_links": {"self": {"href": "x"}}}
            """, isThousandEyesV7: true)
        #expect(
            leaves == [
                "loginAccountGroup.accountGroupName = \"Account A\"", "loginAccountGroup.aid = \"1234\"",
                "id = \"245\"",
                "displayName = \"User X\"", "name.formatted = \"User X\"", "userName = \"userx@thousandeyes.com\"",
                #"emails[value eq "userx@thousandeyes.com"].value = "userx@thousandeyes.com""#,
                #"emails[value eq "userx@thousandeyes.com"].primary = true"#,
            ])
    }
}
