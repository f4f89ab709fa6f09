import Foundation
import Testing

@testable import TeprovCore

/// Builds Export-Clixml documents for the tests.
enum CLIXMLDocument {
    static func objs(_ objects: String...) -> String {
        "<Objs Version=\"1.1.0.1\" xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\n"
            + objects.joined(separator: "\n") + "\n</Objs>\n"
    }

    static func obj(refId: Int = 0, toString: String = "CN=Test", props: String = "", memberSet: String? = nil)
        -> String
    {
        var text = "<Obj RefId=\"\(refId)\"><TN RefId=\"\(refId)\"><T>Deserialized.ADUser</T></TN>"
        text += "<ToString>\(toString)</ToString><Props>\(props)</Props>"
        if let memberSet { text += "<MS>\(memberSet)</MS>" }
        return text + "</Obj>"
    }
}

@Suite struct CLIXMLReaderTests {
    @Test func readsTheMonteverdeFileInUTF16LEWithBOM() throws {
        let result = try XMLTestInput.read(path: try XMLTestInput.fixture("monteverde.clixml.xml"))
        #expect(result.format.description == "xml/clixml")
        #expect(result.records.count == 1)
        #expect(result.lines == [2])
        #expect(result.value(0, "StartDate") == .string("2020-01-03T05:35:00.7562298-08:00"))
        #expect(result.value(0, "EndDate") == .string("2054-01-03T05:35:00.7562298-08:00"))
        #expect(result.value(0, "KeyId") == .string("00000000-0000-0000-0000-000000000000"))
        #expect(result.value(0, "Password") == .string("[value redacted in this report]"))
        #expect(result.attributeNames == ["StartDate", "EndDate", "KeyId", "Password"])
    }

    @Test(arguments: [XMLTestInput.Encoding.utf8, .utf16LEWithBOM, .utf16BEWithBOM])
    func readsTheIllustrativeGetADUserExport(encoding: XMLTestInput.Encoding) throws {
        let text = try String(
            contentsOfFile: try XMLTestInput.fixture("aduser-illustrative.clixml.xml"), encoding: .utf8)
        let result = try XMLTestInput.read(text, encoding)
        #expect(result.format.description == "xml/clixml")
        #expect(result.records.count == 1)
        let ann = try #require(result.records.first)
        #expect(ann.origin.line == 2)
        #expect(ann["id"] == .string("0b6f2a6c-8b0e-4c4e-9d4a-3f1b2c3d4e5f"))
        #expect(ann["accountEnabled"] == .bool(true))
        #expect(ann["givenName"] == .string("Ann"))
        #expect(ann["displayName"] == .string("Ann Lee"))  // from Name
        #expect(ann["Name"] == .string("Ann Lee"))
        #expect(ann["surname"] == nil)  // <Nil N="Surname" />
        #expect(ann["SID"] == .string("S-1-5-21-1111111111-2222222222-3333333333-1104"))
        #expect(ann["userPrincipalName"] == .string("alee@example.com"))
        #expect(ann["DistinguishedName"] == .string("CN=Ann Lee,OU=Staff,DC=example,DC=com"))
        #expect(ann["ObjectClass"] == .string("user"))
        // The second object (`<TNRef RefId="0" />…`) has no properties: invalid, not a user.
        #expect(result.invalid == 1)
        #expect(result.errors.first?.line == 29)
        #expect(
            result.errors.first?.message
                == "object: has no properties (Props or MS), so it is not a user object; "
                + "the record is not used, fix it in the export")
        #expect(
            result.attributeNames == [
                "DistinguishedName", "accountEnabled", "givenName", "Name", "ObjectClass", "id", "SamAccountName",
                "SID", "surname", "userPrincipalName",
            ])
    }

    @Test(
        arguments: [
            ("<S N=\"x\">text</S>", .string("text")),
            ("<S N=\"x\">  padded \t</S>", .string("padded")),
            ("<S N=\"x\">true</S>", .string("true")),  // typed: a string stays a string
            ("<B N=\"x\">true</B>", .bool(true)),
            ("<B N=\"x\">false</B>", .bool(false)),
            ("<DT N=\"x\">2022-10-30T18:01:36-07:00</DT>", .string("2022-10-30T18:01:36-07:00")),
            ("<G N=\"x\">c07d2fbc-48f5-4a90-b7d7-5ec79d2844b4</G>", .string("c07d2fbc-48f5-4a90-b7d7-5ec79d2844b4")),
            ("<I32 N=\"x\">-42</I32>", .int(-42)),
            ("<I64 N=\"x\">9000000000</I64>", .int(9_000_000_000)),
            ("<U32 N=\"x\">4294967295</U32>", .int(4_294_967_295)),
            ("<I16 N=\"x\">7</I16>", .int(7)),
            ("<U16 N=\"x\">65535</U16>", .int(65535)),
            ("<By N=\"x\">255</By>", .int(255)),
            ("<SB N=\"x\">-5</SB>", .int(-5)),
            ("<U64 N=\"x\">5</U64>", .int(5)),
            ("<U64 N=\"x\">18446744073709551615</U64>", .string("18446744073709551615")),
            ("<Db N=\"x\">1.5</Db>", .double(1.5)),
            ("<Sg N=\"x\">-0.25</Sg>", .double(-0.25)),
            ("<Db N=\"x\">INF</Db>", .string("INF")),
            ("<D N=\"x\">12.50</D>", .string("12.50")),
            ("<C N=\"x\">65</C>", .string("A")),
            ("<Nil N=\"x\" />", nil),
            ("<SS N=\"x\">01000000d08c9ddf0115d1118c7a00c04fc297eb</SS>", nil),
            ("<BA N=\"x\">AQID\n BA==</BA>", .string("AQIDBA==")),
            ("<TS N=\"x\">PT1H30M</TS>", .string("PT1H30M")),
            ("<URI N=\"x\">https://example.com/</URI>", .string("https://example.com/")),
            ("<Version N=\"x\">1.2.3</Version>", .string("1.2.3")),
            (
                "<Obj N=\"x\" RefId=\"5\"><TN RefId=\"9\"><T>System.Security.Principal.SecurityIdentifier</T></TN>"
                    + "<ToString>S-1-5-32-544</ToString><Props><S N=\"Value\">S-1-5-32-544</S></Props></Obj>",
                .string("S-1-5-32-544")
            ),
            (
                "<Obj N=\"x\" RefId=\"5\"><TNRef RefId=\"0\" /><LST><S>top</S><S>person</S></LST></Obj>",
                .multi([.string("top"), .string("person")])
            ),
            ("<Obj N=\"x\" RefId=\"5\"><IE><S>one</S></IE></Obj>", .multi([.string("one")])),
            ("<Obj N=\"x\" RefId=\"5\"><STK><I32>2</I32><I32>1</I32></STK></Obj>", .multi([.int(2), .int(1)])),
            ("<Obj N=\"x\" RefId=\"5\"><QUE><B>true</B></QUE></Obj>", .multi([.bool(true)])),
            ("<Obj N=\"x\" RefId=\"5\"><LST><I32>1</I32><Nil /><I32>2</I32></LST></Obj>", .multi([.int(1), .int(2)])),
            ("<Obj N=\"x\" RefId=\"5\"><LST /></Obj>", nil),
            (
                "<Obj N=\"x\" RefId=\"5\"><LST><Obj RefId=\"6\"><ToString>S-1-5-11</ToString></Obj></LST></Obj>",
                .multi([.string("S-1-5-11")])
            ),
            (
                "<Obj N=\"x\" RefId=\"5\"><DCT><En><S N=\"Key\">a</S><S N=\"Value\">b</S></En></DCT>"
                    + "<ToString>System.Collections.Hashtable</ToString></Obj>",
                .string("System.Collections.Hashtable")
            ),
            ("<Unknown N=\"x\">kept as text</Unknown>", .string("kept as text")),
        ] as [(String, AttributeValue?)])
    func everyTypedElementConverts(element: String, expected: AttributeValue?) throws {
        let result = try XMLTestInput.read(
            CLIXMLDocument.objs(CLIXMLDocument.obj(props: "<S N=\"mail\">a@example.com</S>" + element)))
        #expect(result.records.count == 1)
        #expect(result.invalid == 0)
        #expect(result.value(0, "x") == expected)
        #expect(result.attributeNames.contains("x"))
    }

    @Test(arguments: [
        ("<I32 N=\"EmployeeNumber\">abc</I32>", "EmployeeNumber is not a whole number: abc"),
        ("<B N=\"Enabled\">yes</B>", "Enabled is not a boolean: yes"),
        ("<Db N=\"Score\">1,5</Db>", "Score is not a number: 1,5"),
        ("<C N=\"Initial\">x</C>", "Initial is not a character code: x"),
        ("<S N=\"Note\">a_xD800_b</S>", "Note holds a lone UTF-16 surrogate escape (_xD800_ to _xDFFF_)"),
        (
            "<Obj N=\"Codes\" RefId=\"7\"><LST><I32>1</I32><I32>two</I32></LST></Obj>",
            "Codes holds a value that is not a whole number: two"
        ),
    ])
    func undecodableValuesMakeTheRecordInvalid(element: String, message: String) throws {
        let result = try XMLTestInput.read(
            CLIXMLDocument.objs(
                CLIXMLDocument.obj(toString: "CN=Bad", props: element),
                CLIXMLDocument.obj(refId: 1, toString: "CN=Good", props: "<S N=\"Name\">Good</S>")))
        #expect(result.records.count == 1)
        #expect(result.value(0, "displayName") == .string("Good"))
        #expect(result.invalid == 1)
        #expect(result.errors.first?.line == 2)
        #expect(
            result.errors.first?.message
                == "object \"CN=Bad\": \(message); the record is not used, fix it in the export")
    }

    @Test(arguments: [
        ("a_x000D__x000A_b", "a\r\nb"),
        ("smile _xD83D__xDE00_", "smile \u{1F600}"),
        ("_x005F_x0041_", "_x0041_"),
        ("tab_x0009_here", "tab\there"),
        ("not_an_escape_x12_", "not_an_escape_x12_"),
        ("Zoe\u{0301}", "Zo\u{00E9}"),
    ])
    func escapesAreDecodedInStrings(written: String, expected: String) throws {
        let result = try XMLTestInput.read(
            CLIXMLDocument.objs(CLIXMLDocument.obj(props: "<S N=\"description\">\(written)</S>")))
        #expect(result.value(0, "description") == .string(expected))
    }

    @Test func escapesAreDecodedInPropertyNames() throws {
        let result = try XMLTestInput.read(
            CLIXMLDocument.objs(CLIXMLDocument.obj(props: "<S N=\"Cost_x0020_Center\">42</S>")))
        #expect(result.value(0, "Cost Center") == .string("42"))
        #expect(result.attributeNames == ["Cost Center"])
    }

    @Test func memberSetPropertiesAreAttributesWithAliases() throws {
        let select = """
            <Obj RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN>\
            <ToString>@{UserPrincipalName=bob@example.com}</ToString><MS>\
            <S N="UserPrincipalName">bob@example.com</S><B N="Enabled">false</B><S N="EmailAddress">bob@x.com</S>\
            <S N="Surname">Ray</S><S N="Title">Chef</S></MS></Obj>
            """
        let result = try XMLTestInput.read(CLIXMLDocument.objs(select))
        let bob = try #require(result.records.first)
        #expect(bob["userPrincipalName"] == .string("bob@example.com"))
        #expect(bob["accountEnabled"] == .bool(false))
        #expect(bob["mail"] == .string("bob@x.com"))
        #expect(bob["surname"] == .string("Ray"))
        #expect(bob["jobTitle"] == .string("Chef"))
        #expect(result.attributeNames == ["userPrincipalName", "accountEnabled", "mail", "surname", "jobTitle"])
    }

    @Test func userAccountControlOverridesEnabled() throws {
        let props = "<B N=\"Enabled\">true</B><I32 N=\"userAccountControl\">514</I32><S N=\"Name\">Old</S>"
        let result = try XMLTestInput.read(CLIXMLDocument.objs(CLIXMLDocument.obj(props: props)))
        #expect(result.value(0, "accountEnabled") == .bool(false))
        #expect(result.value(0, "userAccountControl") == .int(514))
    }

    @Test func referencesResolveToEarlierObjects() throws {
        let first = CLIXMLDocument.obj(
            refId: 0, toString: "CN=Ann",
            props: "<Obj N=\"ObjectClass\" RefId=\"1\"><LST><S>top</S><S>user</S></LST></Obj>"
                + "<Obj N=\"Manager\" RefId=\"2\"><ToString>CN=Boss</ToString></Obj>")
        let second = CLIXMLDocument.obj(
            refId: 3, toString: "CN=Bob",
            props: "<Ref N=\"ObjectClass\" RefId=\"1\" /><Ref N=\"Manager\" RefId=\"2\" />"
                + "<Ref N=\"Peer\" RefId=\"0\" /><Ref N=\"Unknown\" RefId=\"99\" />")
        let result = try XMLTestInput.read(CLIXMLDocument.objs(first, second))
        #expect(result.records.count == 2)
        #expect(result.value(1, "ObjectClass") == .multi([.string("top"), .string("user")]))
        #expect(result.value(1, "Manager") == .string("CN=Boss"))
        #expect(result.value(1, "Peer") == .string("CN=Ann"))
        #expect(result.value(1, "Unknown") == nil)
    }

    @Test func readsTheExchangeExcerptWithLSTAndTNRef() throws {
        // Verbatim excerpt (export-formats.md §3.2), placed in an object's Props.
        let excerpt = """
            <Nil N="ResourceType" /><Nil N="RoomMailboxAccountEnabled" /><S N="SamAccountName">Administrator</S>
            …<S N="UserPrincipalName">Administrator@test.com</S><B N="UMEnabled">false</B>
            …<S N="DistinguishedName">CN=Administrator,CN=Users,DC=test,DC=com</S><G N="Guid">c07d2fbc-48f5-4a90-b7d7-5ec79d2844b4</G><S N="ObjectCategory">test.com/Configuration/Schema/Person</S><Obj N="ObjectClass" RefId="39"><TNRef RefId="6" /><LST><S>top</S><S>person</S><S>organizationalPerson</S><S>user</S></LST></Obj><DT N="WhenChanged">2022-10-30T18:01:36-07:00</DT>
            …<Obj N="EmailAddresses" RefId="29"><TN RefId="11"><T>Microsoft.Exchange.Data.ProxyAddressCollection</T>…</TN><LST><S>SMTP:Administrator@test.com</S></LST></Obj>
            """
        let result = try XMLTestInput.read(CLIXMLDocument.objs(CLIXMLDocument.obj(props: excerpt)))
        let record = try #require(result.records.first)
        #expect(record["userPrincipalName"] == .string("Administrator@test.com"))
        #expect(record["UMEnabled"] == .bool(false))
        #expect(record["Guid"] == .string("c07d2fbc-48f5-4a90-b7d7-5ec79d2844b4"))
        #expect(
            record["ObjectClass"]
                == .multi([.string("top"), .string("person"), .string("organizationalPerson"), .string("user")]))
        #expect(record["EmailAddresses"] == .multi([.string("SMTP:Administrator@test.com")]))
        #expect(record["WhenChanged"] == .string("2022-10-30T18:01:36-07:00"))
        #expect(record["ResourceType"] == nil)
        #expect(result.attributeNames.first == "ResourceType")
    }

    @Test func nonObjectsAndNonUsersAreSkippedWithWarnings() throws {
        let result = try XMLTestInput.read(
            CLIXMLDocument.objs(
                "<S>hello</S>",
                CLIXMLDocument.obj(refId: 0, props: "<S N=\"ObjectClass\">computer</S><S N=\"Name\">PC1</S>"),
                CLIXMLDocument.obj(refId: 1, props: "<S N=\"ObjectClass\">user</S><S N=\"Name\">Ann</S>")))
        #expect(result.records.map { $0["displayName"] } == [.string("Ann")])
        #expect(result.invalid == 0)
        #expect(
            result.warnings.map(\.message) == [
                "skipped 1 directory object that is not a user account (objectClass computer: 1); they are not provisioned",
                "ignored 1 top-level value(s) that are not objects (only <Obj> elements are users)",
            ])
    }

    @Test func projectionKeepsOnlyWhatIsAskedAndTheFixUpInputs() throws {
        let props =
            "<S N=\"Name\">Ann</S><S N=\"Department\">X</S><S N=\"EmailAddress\">a@x.com</S>"
            + "<S N=\"ObjectClass\">user</S>"
        let result = try XMLTestInput.read(CLIXMLDocument.objs(CLIXMLDocument.obj(props: props)), projection: ["mail"])
        let record = try #require(result.records.first)
        #expect(record.fields.map(\.key.rawValue) == ["name", "mail", "displayname"])
        #expect(result.attributeNames == ["Name", "department", "mail", "ObjectClass"])
    }

    @Test func aLoneObjRootIsOneRecord() throws {
        let document = """
            <Obj RefId="0" xmlns="http://schemas.microsoft.com/powershell/2004/04"><ToString>x</ToString>\
            <Props><S N="UserPrincipalName">solo@example.com</S></Props></Obj>
            """
        let result = try XMLTestInput.read(document)
        #expect(result.format.description == "xml/clixml")
        #expect(result.value(0, "userPrincipalName") == .string("solo@example.com"))
    }
}
