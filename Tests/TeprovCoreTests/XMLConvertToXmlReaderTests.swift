import Foundation
import Testing

@testable import TeprovCore

@Suite struct XMLConvertToXmlReaderTests {
    @Test func readsTheVerbatimSample() throws {
        let result = try XMLTestInput.read(path: try XMLTestInput.fixture("convertto-xml.xml"))
        #expect(result.format.description == "xml/convertto-xml")
        #expect(result.records.count == 1)
        #expect(result.lines == [3])
        #expect(result.value(0, "Name") == .string("chrome"))
        #expect(result.value(0, "Id") == .string("1234"))
        #expect(result.attributeNames == ["Name", "id"])  // well-known names take one spelling
    }

    @Test func readsGetADUserOutputWithArraysBooleansAndNoAliases() throws {
        let document = """
            <?xml version="1.0" encoding="utf-8"?>
            <Objects>
              <Object Type="Microsoft.ActiveDirectory.Management.ADUser">
                <Property Name="UserPrincipalName" Type="System.String">ann@example.com</Property>
                <Property Name="Enabled" Type="System.Boolean">True</Property>
                <Property Name="Surname" Type="System.String">Lee</Property>
                <Property Name="Manager" Type="System.String" />
                <Property Name="proxyAddresses" Type="System.Object[]">
                  <Property Type="System.String">SMTP:ann@example.com</Property>
                  <Property Type="System.String">smtp:alee@example.com</Property>
                </Property>
                <Property Name="Address" Type="System.Management.Automation.PSCustomObject">
                  <Property Name="City" Type="System.String">Oslo</Property>
                </Property>
              </Object>
              <Object Type="System.String">just text</Object>
            </Objects>
            """
        let result = try XMLTestInput.read(document)
        let ann = try #require(result.records.first)
        #expect(ann["userPrincipalName"] == .string("ann@example.com"))
        #expect(ann["Enabled"] == .bool(true))  // not aliased: ConvertTo-Xml is not a directory dialect
        #expect(ann["accountEnabled"] == nil)
        #expect(ann["Surname"] == .string("Lee"))
        #expect(ann["Manager"] == nil)
        #expect(ann["proxyAddresses"] == .multi([.string("SMTP:ann@example.com"), .string("smtp:alee@example.com")]))
        #expect(ann["Address.City"] == .string("Oslo"))
        #expect(
            result.attributeNames == [
                "userPrincipalName", "Enabled", "surname", "Manager", "proxyAddresses", "Address.City",
            ])
        #expect(result.invalid == 1)
        #expect(result.errors.first?.line == 16)
        #expect(
            result.errors.first?.message
                == "Object: has no named Property elements, so it is not a user object; "
                + "the record is not used, fix it in the export")
    }
}
