import Foundation
import Testing

@testable import TeprovCore

/// Builds DSML v2 documents for the tests, with or without a prefix.
enum DSMLDocument {
    static func batch(prefix: String? = nil, _ body: String) -> String {
        let declaration = prefix.map { "xmlns:\($0)" } ?? "xmlns"
        let tag = prefix.map { "\($0):" } ?? ""
        let prefixed = body.replacingOccurrences(of: "<", with: "<\(tag)").replacingOccurrences(
            of: "<\(tag)/", with: "</\(tag)")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <\(tag)batchResponse \(declaration)="urn:oasis:names:tc:DSML:2:0:core" \
            xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            \(prefixed)
            </\(tag)batchResponse>
            """
    }

    static func search(
        _ entries: String, done: String = "<searchResultDone><resultCode code=\"0\"/></searchResultDone>"
    )
        -> String
    {
        "<searchResponse>\n\(entries)\n\(done)\n</searchResponse>"
    }

    static func entry(_ dn: String, _ attrs: [(String, [String])], binary: Set<String> = []) -> String {
        var lines = ["<searchResultEntry dn=\"\(dn)\">"]
        for (name, values) in attrs {
            let type = binary.contains(name) ? " xsi:type=\"xsd:base64Binary\"" : ""
            lines.append(
                "<attr name=\"\(name)\">" + values.map { "<value\(type)>\($0)</value>" }.joined() + "</attr>")
        }
        lines.append("</searchResultEntry>")
        return lines.joined(separator: "\n")
    }
}

@Suite struct DSMLReaderTests {
    static let annGUIDBase64 = "bCpvCw6LTkydSj8bLD1OXw=="  // bytes 6C2A6F0B 0E8B 4E4C 9D4A 3F1B2C3D4E5F
    static let annGUIDText = "0b6f2a6c-8b0e-4c4e-9d4a-3f1b2c3d4e5f"

    static var annEntry: String {
        DSMLDocument.entry(
            "CN=Ann Lee,OU=Staff,DC=example,DC=com",
            [
                ("objectClass", ["top", "person", "organizationalPerson", "user"]),
                ("cn", ["Ann Lee"]), ("sn", ["Lee"]), ("givenName", ["Ann"]), ("title", ["Engineer"]),
                ("userPrincipalName", ["alee@example.com"]), ("mail", ["ann.lee@example.com"]),
                ("proxyAddresses", ["SMTP:ann.lee@example.com", "smtp:alee@example.com"]),
                ("objectGUID", [annGUIDBase64]), ("userAccountControl", ["512"]),
            ], binary: ["objectGUID"])
    }

    @Test func readsTheVtLdapFileFormVerbatim() throws {
        let result = try XMLTestInput.read(path: try XMLTestInput.fixture("vt-ldap.dsml.xml"))
        #expect(result.format.description == "xml/dsml")
        #expect(result.records.count == 1)
        #expect(result.value(0, "dn") == .string("uid=818037,ou=People,dc=vt,dc=edu"))
        #expect(result.value(0, "mail") == .string("dfisher@vt.edu"))
        #expect(result.value(0, "displayName") == .string("Daniel W Fisher"))
        #expect(result.lines == [4])
        #expect(result.attributeNames == ["dn", "mail", "displayName"])
    }

    @Test func readsTheOpenDJSoapEnvelope() throws {
        let result = try XMLTestInput.read(path: try XMLTestInput.fixture("opendj-soap.dsml.xml"))
        #expect(result.format.description == "xml/dsml")
        #expect(result.records.count == 2)
        #expect(result.lines == [14, 44])
        #expect(result.value(0, "surname") == .string("Bakers"))
        #expect(result.value(0, "givenName") == .string("Nicholas"))
        #expect(result.value(0, "jobTitle") == .string("Accountant"))
        #expect(result.value(0, "displayName") == .string("Nicholas Bakers"))  // from cn
        #expect(result.value(0, "employeeNumber") == .string("1100144"))
        #expect(
            result.value(0, "objectClass")
                == .multi([
                    .string("top"), .string("person"), .string("organizationalperson"), .string("inetorgperson"),
                ]))
        #expect(
            result.value(1, "dn")
                == .string("cn=Pat\\, Bakers, ou=Corporate Tax, ou=Fin-Accounting, ou=Americas, ou=Search, o=IMC, c=US")
        )
    }

    @Test(arguments: [nil, "dsml", "d2"] as [String?])
    func prefixedAndUnprefixedReadTheSame(prefix: String?) throws {
        let result = try XMLTestInput.read(DSMLDocument.batch(prefix: prefix, DSMLDocument.search(Self.annEntry)))
        #expect(result.format.description == "xml/dsml")
        #expect(result.records.count == 1)
        let record = try #require(result.records.first)
        #expect(record["id"] == .string(Self.annGUIDText))
        #expect(record["surname"] == .string("Lee"))
        #expect(record["givenName"] == .string("Ann"))
        #expect(record["jobTitle"] == .string("Engineer"))
        #expect(record["userPrincipalName"] == .string("alee@example.com"))
        #expect(record["displayName"] == .string("Ann Lee"))
        #expect(record["accountEnabled"] == .bool(true))
        #expect(
            record["proxyAddresses"] == .multi([.string("SMTP:ann.lee@example.com"), .string("smtp:alee@example.com")]))
        #expect(record["dn"] == .string("CN=Ann Lee,OU=Staff,DC=example,DC=com"))
        #expect(record.origin.line == 4)
    }

    @Test(arguments: [("512", true), ("514", false), ("66048", true), ("66050", false)])
    func userAccountControlDecidesAccountEnabled(control: String, enabled: Bool) throws {
        let entry = DSMLDocument.entry("uid=a", [("cn", ["A"]), ("userAccountControl", [control])])
        let result = try XMLTestInput.read(DSMLDocument.batch(DSMLDocument.search(entry)))
        #expect(result.value(0, "accountEnabled") == .bool(enabled))
        #expect(result.value(0, "userAccountControl") == .string(control))
    }

    @Test func displayNameIsKeptWhenPresentAndBooleansAreRecognised() throws {
        let entry = DSMLDocument.entry(
            "uid=a", [("cn", ["Common"]), ("displayName", ["Shown"]), ("msExchHideFromAddressLists", ["TRUE"])])
        let result = try XMLTestInput.read(DSMLDocument.batch(DSMLDocument.search(entry)))
        #expect(result.value(0, "displayName") == .string("Shown"))
        #expect(result.value(0, "msExchHideFromAddressLists") == .bool(true))
    }

    @Test func severalSearchResponsesAreRead() throws {
        let first = DSMLDocument.search(DSMLDocument.entry("uid=a", [("mail", ["a@example.com"])]))
        let second = DSMLDocument.search(DSMLDocument.entry("uid=b", [("mail", ["b@example.com"])]))
        let result = try XMLTestInput.read(DSMLDocument.batch(first + "\n" + second))
        #expect(result.records.map { $0["mail"] } == [.string("a@example.com"), .string("b@example.com")])
        #expect(result.records.map(\.origin.index) == [0, 1])
    }

    @Test(arguments: [
        // (xsi:type value, declaration of the schema-instance prefix)
        ("xsd:base64Binary", "xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'", "xsi"),
        ("xs:base64Binary", "xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'", "xsi"),
        ("xsd:base64Binary", "xmlns:i='http://www.w3.org/2001/XMLSchema-instance'", "i"),
    ])
    func base64ObjectGUIDBecomesMicrosoftOrderGUIDText(type: String, declaration: String, prefix: String) throws {
        let document = """
            <batchResponse xmlns='urn:oasis:names:tc:DSML:2:0:core' \(declaration)><searchResponse>
            <searchResultEntry dn='uid=a'><attr name='objectGUID'>
            <value \(prefix):type='\(type)'>\(Self.annGUIDBase64)</value></attr></searchResultEntry>
            <searchResultDone><resultCode code='0'/></searchResultDone></searchResponse></batchResponse>
            """
        let result = try XMLTestInput.read(document)
        #expect(result.value(0, "id") == .string(Self.annGUIDText))
        #expect(result.attributeNames.contains("id"))
    }

    @Test func binaryValuesBecomeTextSIDOrStayBase64() throws {
        // S-1-5-21-1111111111-2222222222-3333333333-1104
        var sid: [UInt8] = [1, 5, 0, 0, 0, 0, 0, 5]
        for part: UInt32 in [21, 1_111_111_111, 2_222_222_222, 3_333_333_333, 1104] {
            sid += [UInt8(part & 0xFF), UInt8(part >> 8 & 0xFF), UInt8(part >> 16 & 0xFF), UInt8(part >> 24)]
        }
        let photo = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]).base64EncodedString()
        let entry = DSMLDocument.entry(
            "uid=a",
            [
                ("objectSid", [Data(sid).base64EncodedString()]), ("description", ["VGVzdA=="]),
                ("thumbnailPhoto", [photo]), ("info", ["  \n"]),
            ], binary: ["objectSid", "description", "thumbnailPhoto", "info"])
        let result = try XMLTestInput.read(DSMLDocument.batch(DSMLDocument.search(entry)))
        #expect(result.value(0, "objectSid") == .string("S-1-5-21-1111111111-2222222222-3333333333-1104"))
        #expect(result.value(0, "description") == .string("Test"))
        #expect(result.value(0, "thumbnailPhoto") == .string(photo))
        #expect(result.value(0, "info") == nil)
    }

    @Test(arguments: [
        ("objectGUID", "not*base64", "objectGUID is marked base64Binary but is not valid base64"),
        ("objectGUID", "AAECAwQFBgcICQoL", "objectGUID holds 12 bytes, not the 16 bytes of a GUID"),
        ("jpegPhoto", "AAE=A", "jpegPhoto is marked base64Binary but is not valid base64"),
    ])
    func undecodableBinaryValueMakesTheRecordInvalid(name: String, value: String, message: String) throws {
        let bad = DSMLDocument.entry("uid=bad", [(name, [value]), ("mail", ["bad@example.com"])], binary: [name])
        let good = DSMLDocument.entry("uid=good", [("mail", ["good@example.com"])])
        let result = try XMLTestInput.read(DSMLDocument.batch(DSMLDocument.search(bad + "\n" + good)))
        #expect(result.records.count == 1)
        #expect(result.value(0, "mail") == .string("good@example.com"))
        #expect(result.invalid == 1)
        let diagnostic = try #require(result.errors.first)
        #expect(diagnostic.line == 4)
        #expect(diagnostic.message.hasPrefix("entry \"uid=bad\": \(message);"))
        // The invalid record used index 0: indexes count every record, valid or not.
        #expect(result.records[0].origin.index == 1)
    }

    @Test func nonUserEntriesAreSkippedWithOneWarning() throws {
        let entries = [
            DSMLDocument.entry("ou=Staff", [("objectClass", ["top", "organizationalUnit"]), ("ou", ["Staff"])]),
            DSMLDocument.entry(
                "cn=PC1", [("objectClass", ["top", "person", "organizationalPerson", "user", "computer"])]),
            DSMLDocument.entry("cn=Ann", [("objectClass", ["top", "person", "organizationalPerson", "user"])]),
            DSMLDocument.entry("cn=Ext", [("objectClass", ["top", "person", "organizationalPerson", "contact"])]),
            DSMLDocument.entry("uid=bob", [("objectClass", ["inetOrgPerson"])]),
            DSMLDocument.entry("cn=Admins", [("objectClass", ["top", "group"])]),
            DSMLDocument.entry("uid=noclass", [("mail", ["x@example.com"])]),
        ].joined(separator: "\n")
        let result = try XMLTestInput.read(DSMLDocument.batch(DSMLDocument.search(entries)))
        #expect(result.records.map { $0["dn"] } == [.string("cn=Ann"), .string("uid=bob"), .string("uid=noclass")])
        #expect(result.invalid == 0)
        #expect(result.warnings.count == 1)
        #expect(
            result.warnings.first?.message
                == "skipped 4 directory objects that are not user accounts "
                + "(objectClass organizationalUnit: 1, computer: 1, contact: 1, group: 1); they are not provisioned")
        #expect(result.warnings.first?.line == 4)
    }

    @Test func objectClassFiltersEvenWhenTheProjectionDropsIt() throws {
        let entries = [
            DSMLDocument.entry("ou=Staff", [("objectClass", ["organizationalUnit"]), ("mail", ["ou@example.com"])]),
            DSMLDocument.entry(
                "cn=Ann", [("objectClass", ["user"]), ("mail", ["a@example.com"]), ("department", ["X"])]),
        ].joined(separator: "\n")
        let result = try XMLTestInput.read(DSMLDocument.batch(DSMLDocument.search(entries)), projection: ["mail"])
        #expect(result.records.count == 1)
        let record = try #require(result.records.first)
        #expect(record["mail"] == .string("a@example.com"))
        #expect(record["objectClass"] == nil)
        #expect(record["department"] == nil)
        #expect(record["dn"] == nil)
        // Every name is still reported.
        #expect(result.attributeNames == ["dn", "objectClass", "mail", "department"])
    }

    @Test func projectionKeepsTheFixUpInputs() throws {
        let entry = DSMLDocument.entry(
            "uid=a", [("cn", ["Ann"]), ("userAccountControl", ["514"]), ("department", ["X"]), ("mail", ["a@x"])])
        let result = try XMLTestInput.read(DSMLDocument.batch(DSMLDocument.search(entry)), projection: ["mail"])
        let record = try #require(result.records.first)
        #expect(record["displayName"] == .string("Ann"))
        #expect(record["accountEnabled"] == .bool(false))
        #expect(record["department"] == nil)
    }

    @Test func failedSearchIsAPartialExportAndRefused() {
        let done =
            "<searchResultDone><resultCode code='4' descr='sizeLimitExceeded'/>"
            + "<errorMessage>Size limit exceeded</errorMessage></searchResultDone>"
        let entry = DSMLDocument.entry("uid=a", [("mail", ["a@example.com"])])
        let error = XMLTestInput.error(DSMLDocument.batch(DSMLDocument.search(entry, done: done)))
        #expect(error?.code == .input)
        #expect(error?.line == 7)
        #expect(
            error?.message
                == "the directory search ended with result code 4 (sizeLimitExceeded: Size limit exceeded), "
                + "so the export is partial and is refused; raise the size limit or page the search, then export again")
    }

    @Test func errorResponseIsRefused() {
        let error = XMLTestInput.error(
            DSMLDocument.batch(
                "<errorResponse type='authenticationFailed'><message>Invalid credentials</message></errorResponse>"))
        #expect(error?.code == .input)
        #expect(
            error?.message
                == "holds a DSML errorResponse (authenticationFailed: Invalid credentials), so the export is partial "
                + "and is refused; fix the request and export again")
    }

    @Test(arguments: [
        "<searchResponse><searchResultEntry dn='uid=a'/></searchResponse>",
        "<searchResponse/>",
    ])
    func searchResponseWithoutDoneIsRefused(body: String) {
        let error = XMLTestInput.error(DSMLDocument.batch(body))
        #expect(error?.message.hasPrefix("has a searchResponse without searchResultDone") == true)
        #expect(error?.line == 3)
    }

    @Test func referralsAreCountedInOneWarning() throws {
        let body = DSMLDocument.search(
            DSMLDocument.entry("uid=a", [("mail", ["a@example.com"])])
                + "\n<searchResultReference><ref>ldap://other/dc=x</ref></searchResultReference>")
        let result = try XMLTestInput.read(DSMLDocument.batch(body))
        #expect(result.records.count == 1)
        #expect(result.warnings.map(\.message).first?.hasPrefix("the search returned 1 referral(s)") == true)
    }

    @Test func readsDSMLv1() throws {
        let result = try XMLTestInput.read(path: try XMLTestInput.fixture("dsml-v1.xml"))
        #expect(result.format.description == "xml/dsml-v1")
        #expect(result.records.count == 1)
        #expect(result.value(0, "dn") == .string("uid=dfisher,ou=people,dc=ldaptive,dc=org"))
        #expect(result.value(0, "mail") == .string("dfisher@ldaptive.org"))
    }

    @Test func linesStayExactPastLine65535() throws {
        // libxml2 stores element lines only up to 65534; later entries take the preceding whitespace's line.
        var entries: [String] = []
        var expected: [Int] = []
        var line = 4
        for number in 0..<7_000 {
            expected.append(line)
            let attrs = (0..<8).map { ("a\($0)", ["v\(number)"]) }
            let entry = DSMLDocument.entry("uid=u\(number)", attrs)
            entries.append(entry)
            line += entry.split(separator: "\n").count
        }
        let result = try XMLTestInput.read(DSMLDocument.batch(DSMLDocument.search(entries.joined(separator: "\n"))))
        #expect(result.records.count == 7_000)
        #expect(expected.last ?? 0 > 65_535)
        #expect(result.lines == expected)
    }
}
