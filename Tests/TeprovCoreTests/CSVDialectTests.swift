import Foundation
import Testing

@testable import TeprovCore

/// The dialects of SPEC §2 "CSV": Entra download (both header vocabularies), Entra bulk-create, generic.
@Suite struct CSVDialectTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return Array(try Data(contentsOf: folder.appendingPathComponent("csv").appendingPathComponent(name)))
    }

    static let variantAHeader =
        "userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled,"
        + "usageLocation,streetAddress,state,country,physicalDeliveryOfficeName,city,postalCode,telephoneNumber,mobile,"
        + "authenticationPhoneNumber,authenticationAlternativePhoneNumber,authenticationEmail,alternateEmailAddress,"
        + "ageGroup,consentProvidedForMinor,legalAgeGroupClassification"

    @Test(arguments: CSVTestInput.chunkSizes)
    func readsEntraDownloadVariantAWithAliases(chunkSize: Int) throws {
        let row =
            "ann@contoso.com,Ann Lee,Lee,ann@contoso.com,Ann,0f1e2d3c-0000-4000-8000-000000000001,Member,Engineer,"
            + "R&D,False,US,1 Main St,WA,United States,Building 7,Redmond,98052,+1 425 555 0100,+1 425 555 0199,"
            + ",,,,,,"
        let result = try CSVTestInput.read(Self.variantAHeader + "\r\n" + row + "\r\n", chunkSize: chunkSize)
        #expect(result.format == ExportFormat(.csv, "entra-download"))
        #expect(result.records.count == 1)
        #expect(result.value(0, "id") == .string("0f1e2d3c-0000-4000-8000-000000000001"))
        #expect(result.value(0, "objectId") == nil)
        #expect(result.value(0, "officeLocation") == .string("Building 7"))
        #expect(result.value(0, "mobilePhone") == .string("+1 425 555 0199"))
        #expect(result.value(0, "accountEnabled") == .bool(false))
        #expect(result.attributeNames.count == 26)
        #expect(result.attributeNames[5] == "id")
        #expect(result.attributeNames.contains("officeLocation"))
        #expect(result.attributeNames.contains("mobilePhone"))
        #expect(!result.attributeNames.contains("physicalDeliveryOfficeName"))
    }

    @Test(arguments: CSVTestInput.chunkSizes)
    func readsEntraDownloadVariantBVerbatim(chunkSize: Int) throws {
        let result = try CSVTestInput.read(try Self.fixture("entra-download-graph-names.csv"), chunkSize: chunkSize)
        #expect(result.format == ExportFormat(.csv, "entra-download"))
        #expect(result.records.count == 2)
        #expect(result.invalid == 0)
        #expect(result.lines == [2, 3])
        #expect(result.value(0, "id") == .string("7cc0c81b-f2a2-489a-8243-eda96da4214d"))
        #expect(result.value(0, "displayName") == .string("=1+3 MSOBB"))
        #expect(result.value(0, "mail") == nil)
        #expect(result.value(0, "accountEnabled") == .bool(true))
        #expect(result.value(0, "alternateEmailAddress") == .string("MSOBBYSec@outlook.com"))
        #expect(result.value(0, "createdDateTime") == .string("8/19/2021 1:25:31 PM"))
        #expect(result.value(1, "userPrincipalName") == .string("test12345@msobbysecoutlook.onmicrosoft.com"))
        #expect(result.attributeNames.count == 29)
    }

    @Test(arguments: CSVTestInput.chunkSizes)
    func readsBulkCreateTemplateVerbatim(chunkSize: Int) throws {
        let result = try CSVTestInput.read(try Self.fixture("entra-bulk-create-template.csv"), chunkSize: chunkSize)
        #expect(result.format == ExportFormat(.csv, "entra-bulk-create"))
        #expect(result.records.count == 3, "16 fields against 17 headers are padded, not rejected")
        #expect(result.invalid == 0)
        #expect(result.lines == [3, 4, 5], "the version line counts as line 1")
        #expect(result.value(0, "displayName") == .string("Alain Charon"))
        #expect(result.value(0, "userPrincipalName") == .string("alain@contoso.com"))
        #expect(result.value(0, "accountEnabled") == .bool(true), "Block sign in No means enabled")
        #expect(result.value(2, "jobTitle") == .string("Sales Representative"))
        #expect(result.value(0, "passwordProfile") == nil, "initial passwords are never kept")
        #expect(
            result.attributeNames == [
                "displayName", "userPrincipalName", "accountEnabled", "givenName", "surname", "jobTitle", "department",
                "usageLocation", "streetAddress", "state", "country", "officeLocation", "city", "postalCode",
                "telephoneNumber", "mobilePhone",
            ])
        #expect(result.diagnostics.map(\.severity) == [.warning])
        #expect(result.diagnostics.first?.message.contains("passwords") == true)
    }

    /// (Block sign in value, accountEnabled) for valid values.
    @Test(arguments: [
        ("No", true), ("Yes", false), ("no", true), ("YES", false), (" yes ", false),
    ])
    func invertsBlockSignIn(raw: String, enabled: Bool) throws {
        let text = """
            version:v1.0,,,
            Name [displayName] Required,User name [userPrincipalName] Required,Block sign in (Yes/No) [accountEnabled] Required
            Ann,ann@contoso.com,\(raw)

            """
        let result = try CSVTestInput.read(text)
        #expect(result.value(0, "accountEnabled") == .bool(enabled))
    }

    @Test func rejectsABlockSignInThatIsNotYesOrNo() throws {
        let text = """
            version:v1.0,,,
            Name [displayName] Required,User name [userPrincipalName] Required,Block sign in (Yes/No) [accountEnabled] Required
            Ann,ann@contoso.com,True
            Bob,bob@contoso.com,
            Cy,cy@contoso.com,maybe

            """
        let result = try CSVTestInput.read(text)
        #expect(result.records.map { $0["displayName"] } == [.string("Bob")])
        #expect(result.value(0, "accountEnabled") == nil, "an empty cell is null")
        #expect(result.invalid == 2)
        #expect(result.diagnostics.map(\.line) == [3, 5])
        #expect(result.diagnostics.first?.message.contains("must be Yes or No") == true)
        let partial = try #require(result.invalidRecords.first?.partial)
        #expect(partial["userPrincipalName"] == .string("ann@contoso.com"))
        #expect(partial["accountEnabled"] == nil)
    }

    @Test(arguments: CSVTestInput.chunkSizes)
    func skipsVersionLineWithCommasAndExampleRow(chunkSize: Int) throws {
        let text =
            "version:v1.0,,,,\r\n"
            + "Name (example: Chris Green) [displayName] *,User name [userPrincipalName] Required,"
            + "Initial password [passwordProfile] Required,Block sign in (Yes/No) [accountEnabled] Required,Office [physicalDeliveryOfficeName]\r\n"
            + "Example: Chris Green,Example: chris@contoso.com,Example: Password1!,Example: No,Example: 7/1234\r\n"
            + "Ann Lee,ann@contoso.com,Secret1!,No,B7\r\n"
        let result = try CSVTestInput.read(text, chunkSize: chunkSize)
        #expect(result.format == ExportFormat(.csv, "entra-bulk-create"))
        #expect(result.records.count == 1)
        #expect(result.invalid == 0, "the example row is not a record and not counted")
        #expect(result.lines == [4])
        #expect(result.records.first?.origin.index == 0)
        #expect(result.value(0, "officeLocation") == .string("B7"))
        #expect(result.value(0, "displayName") == .string("Ann Lee"))
    }

    @Test func readsGenericHeadersAsAttributeNames() throws {
        let result = try CSVTestInput.read("EMAIL,USERPRINCIPALNAME,Cost Center,objectId\nann@x.com,ann@x.com,42,abc\n")
        #expect(result.format == ExportFormat(.csv, "generic"))
        #expect(result.attributeNames == ["EMAIL", "userPrincipalName", "Cost Center", "objectId"])
        #expect(result.value(0, "cost center") == .string("42"))
        #expect(result.value(0, "objectid") == .string("abc"), "generic files are not aliased")
        #expect(result.value(0, "id") == nil)
    }

    @Test(arguments: [
        ("userPrincipalName,displayName,surname,mail,givenName,objectId,userType,accountEnabled", "entra-download"),
        ("userPrincipalName,displayName,surname,mail,givenName,id,userType,accountEnabled", "entra-download"),
        ("USERPRINCIPALNAME,ID,ACCOUNTENABLED", "entra-download"),
        ("id,accountEnabled,userPrincipalName", "entra-download"),
        ("userPrincipalName,displayName,id", "generic"),
        ("userPrincipalName,accountEnabled", "generic"),
        ("Name [displayName] Required,User name [userPrincipalName] Required", "entra-bulk-create"),
        ("First Name [Required],Last Name [Required],Email Address [Required]", "generic"),
        ("mail,department", "generic"),
    ])
    func recognisesDialectFromHeader(header: String, dialect: String) {
        let cells = header.split(separator: ",").map(String.init)
        #expect(CSVDialect.recognise(header: cells, afterVersionLine: false).rawValue == dialect)
    }

    @Test(
        arguments: [
            (["version:v1.0"], true), (["version:v1.0", nil, nil], true), (["VERSION:V2"], true),
            (["version:v1.0", "x"], false), (["version:"], false), (["version:v"], false), (["version:v1.x"], false),
            (["Name [displayName] Required"], false),
        ] as [([String?], Bool)])
    func recognisesVersionLine(cells: [String?], expected: Bool) {
        #expect(CSVDialect.isVersionLine(cells) == expected)
    }

    @Test(
        arguments: [
            ("Name [displayName] Required", "displayName"),
            ("Name (example: Chris Green) [displayName] *", "displayName"),
            ("Block sign in (Yes/No) [accountEnabled] Required", "accountEnabled"),
            ("Office [ officeLocation ]", "officeLocation"),
            ("Name", nil), ("Name []", nil), ("Name [unclosed", nil),
        ] as [(String, String?)])
    func extractsBracketedPropertyName(heading: String, expected: String?) {
        #expect(CSVDialect.bracketedPropertyName(in: heading) == expected)
    }
}
