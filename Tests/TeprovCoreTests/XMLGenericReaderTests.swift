import Foundation
import Testing

@testable import TeprovCore

@Suite struct XMLGenericReaderTests {
    @Test func repeatedRootChildrenAreRecords() throws {
        let document = """
            <?xml version="1.0"?>
            <export generated="2024-05-01">
              <meta><count>2</count></meta>
              <user id="1" enabled="true">
                <userPrincipalName>ann@example.com</userPrincipalName>
                <name><given>Ann</given><family>Lee</family></name>
                <email type="work">ann@example.com</email>
                <email type="home">ann@home.example</email>
                <manager xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>
                <note><![CDATA[a < b]]></note>
              </user>
              <user id="2"><userPrincipalName>bob@example.com</userPrincipalName><active>FALSE</active></user>
              <summary>done</summary>
              <user id="3"><userPrincipalName>cy@example.com</userPrincipalName></user>
            </export>
            """
        let result = try XMLTestInput.read(document)
        #expect(result.format.description == "xml/generic")
        #expect(result.records.count == 3)
        #expect(result.lines == [4, 12, 14])
        #expect(result.records.map(\.origin.index) == [0, 1, 2])
        let ann = result.records[0]
        #expect(ann["id"] == .string("1"))
        #expect(ann["enabled"] == .bool(true))
        #expect(ann["userPrincipalName"] == .string("ann@example.com"))
        #expect(ann["name.given"] == .string("Ann"))
        #expect(ann["name.family"] == .string("Lee"))
        #expect(ann["email"] == .multi([.string("ann@example.com"), .string("ann@home.example")]))
        #expect(ann["email.type"] == .multi([.string("work"), .string("home")]))
        #expect(ann["manager"] == nil)
        #expect(ann["note"] == .string("a < b"))
        #expect(result.value(1, "active") == .bool(false))
        // The header and the summary are not records, and their names are not reported.
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.line == 3)
        #expect(
            result.warnings.first?.message
                == "ignored root children that are not the repeated record element (<meta> 1, <summary> 1); "
                + "only repeated elements are read as users")
        #expect(
            result.attributeNames == [
                "id", "enabled", "userPrincipalName", "name.given", "name.family", "email", "email.type", "manager",
                "note", "active",
            ])
    }

    @Test func aSingleChildIsOneRecord() throws {
        let result = try XMLTestInput.read("<users><user><mail>solo@example.com</mail></user></users>")
        #expect(result.records.count == 1)
        #expect(result.value(0, "mail") == .string("solo@example.com"))
        #expect(result.warnings.isEmpty)
    }

    @Test func anEmptyRecordIsInvalid() throws {
        let result = try XMLTestInput.read("<users>\n<user/>\n<user><mail>a@example.com</mail></user>\n</users>")
        #expect(result.records.count == 1)
        #expect(result.invalid == 1)
        #expect(result.errors.first?.line == 2)
        #expect(result.records.first?.origin.index == 1)
    }

    @Test func projectionDropsUnusedAttributesButReportsTheirNames() throws {
        let result = try XMLTestInput.read(
            "<users><user><mail>a@example.com</mail><city>Oslo</city></user><user><mail>b@x</mail></user></users>",
            projection: ["mail"])
        #expect(result.records.map { $0.fields.map(\.key.rawValue) } == [["mail"], ["mail"]])
        #expect(result.attributeNames == ["mail", "city"])
    }

    @Test func emptyRootHasNoRecords() throws {
        let result = try XMLTestInput.read("<?xml version=\"1.0\"?>\n<users/>\n")
        #expect(result.format.description == "xml/generic")
        #expect(result.records.isEmpty)
        #expect(result.diagnostics.isEmpty)
    }
}
