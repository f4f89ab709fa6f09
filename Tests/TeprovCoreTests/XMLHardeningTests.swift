import Foundation
import Testing

@testable import TeprovCore

@Suite struct XMLHardeningTests {
    static let dtdMessage =
        "declares a DTD; teprov refuses DTDs and entities in exports (billion laughs / XXE protection), "
        + "export the users again without a DOCTYPE"

    @Test func billionLaughsIsAnError() throws {
        let error = XMLTestInput.error(path: try XMLTestInput.fixture("billion-laughs.xml"))
        #expect(error?.code == .input)
        #expect(error?.message == Self.dtdMessage)
    }

    @Test func billionLaughsFarFromItsDTDIsAnErrorToo() {
        // The parser reads ahead of the reader; with the reference far away the DOCTYPE node comes first.
        let entities = (1...9).map { level in
            "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
        }
        let document =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY l0 \"lol\">" + entities.joined() + "]>\n<r>"
            + String(repeating: " ", count: 100_000) + "&l9;</r>\n"
        let error = XMLTestInput.error(document)
        #expect(error?.message == Self.dtdMessage)
        #expect(error?.line == 2)
    }

    @Test func externalEntityIsRefusedAndNothingIsRead() throws {
        let error = XMLTestInput.error(path: try XMLTestInput.fixture("xxe-passwd.xml"))
        #expect(error?.code == .input)
        #expect(error?.message == Self.dtdMessage)
        #expect(error?.message.contains("root:") == false)
    }

    @Test(arguments: [
        "<!DOCTYPE users>\n<users><user><mail>a@x</mail></user></users>",
        "<!DOCTYPE users SYSTEM \"http://127.0.0.1:9/users.dtd\">\n<users/>",
        "<!DOCTYPE users [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n<users/>",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE users [<!ENTITY co \"Contoso\">]>\n<users><user><c>&co;</c></user></users>",
    ])
    func anyDoctypeIsRefused(document: String) {
        let error = XMLTestInput.error(document)
        #expect(error?.code == .input)
        #expect(error?.message == Self.dtdMessage)
    }

    @Test func undeclaredEntityWithoutDTDIsNotWellFormed() {
        let error = XMLTestInput.error("<users>\n<user><c>&co;</c></user>\n</users>")
        #expect(error?.code == .input)
        #expect(error?.line == 2)
        #expect(
            error?.message == "is not well-formed XML (Entity 'co' not defined); fix the XML or export the file again")
    }

    @Test func notWellFormedNamesTheLibxml2Line() {
        let document = """
            <?xml version="1.0"?>
            <batchResponse xmlns="urn:oasis:names:tc:DSML:2:0:core">
              <searchResponse>
                <searchResultEntry dn="uid=a">
                  <attr name="mail"><value>a@example.com</value></attr>
                </searchResultEnty>
              </searchResponse>
            </batchResponse>
            """
        let error = XMLTestInput.error(document)
        #expect(error?.code == .input)
        #expect(error?.line == 6)
        #expect(
            error?.message
                == "is not well-formed XML (Opening and ending tag mismatch: searchResultEntry line 4 and searchResultEnty); "
                + "fix the XML or export the file again")
        #expect(error?.description.hasSuffix("users.xml, line 6: " + (error?.message ?? "")) == true)
    }

    @Test(arguments: [XMLTestInput.Encoding.utf8, .utf16LEWithBOM])
    func truncatedFileSaysSo(encoding: XMLTestInput.Encoding) {
        let document = CLIXMLDocument.objs(
            CLIXMLDocument.obj(props: "<S N=\"Name\">Ann</S>"),
            CLIXMLDocument.obj(refId: 1, props: "<S N=\"Name\">Bob</S>"))
        let cut = String(document.prefix(document.count - 40))
        let error = XMLTestInput.error(cut, encoding)
        #expect(error?.code == .input)
        #expect(error?.line == 3)
        #expect(error?.message.hasSuffix("before the XML is complete; the file is truncated, export it again") == true)
        #expect(error?.message.hasPrefix("ends inside <") == true)
    }

    @Test func invalidUTF8IsAnEncodingError() {
        let bytes = Array("<users>\n<user><mail>a".utf8) + [0xFF, 0xFE] + Array("</mail></user>\n</users>\n".utf8)
        let error = XMLTestInput.error(bytes: bytes)
        #expect(error?.code == .input)
        #expect(error?.line == 2)
        #expect(error?.message.hasPrefix("is not valid UTF-8 (Input is not proper UTF-8") == true)
    }

    @Test func mislabelledEncodingIsAnEncodingError() {
        let error = XMLTestInput.error("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<users/>\n")
        #expect(
            error?.message.hasPrefix("has an encoding problem (Document labelled UTF-16 but has UTF-8 content)") == true
        )
    }

    @Test func bytesInvalidInTheDeclaredEncodingAreAnEncodingError() {
        let bytes =
            Array("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<users><user><sn>".utf8) + [0x81, 0x39]
            + Array("</sn></user></users>\n".utf8)
        let error = XMLTestInput.error(bytes: bytes)
        #expect(error?.code == .input)
        #expect(error?.line == 2)
        #expect(
            error?.message.hasPrefix(
                "has bytes that are not valid in its encoding (input conversion failed due to input error") == true)
    }

    @Test func trailingContentAfterTheRootIsNotWellFormed() {
        let error = XMLTestInput.error("<users><user><mail>a@x</mail></user></users>\n<users/>\n")
        #expect(error?.code == .input)
        #expect(error?.message.hasPrefix("is not well-formed XML (Extra content at the end of the document)") == true)
    }

    @Test func declaredLatin1IsTranscoded() throws {
        let bytes =
            Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<users><user><sn>M".utf8) + [0xFC]
            + Array("ller</sn></user></users>\n".utf8)
        let path = try XMLTestInput.write(bytes)
        let result = try XMLTestInput.read(path: path)
        #expect(result.value(0, "sn") == .string("Müller"))
    }

    @Test func undeclaredNamespacePrefixIsAWarningNotAFailure() throws {
        let document = """
            <batchResponse xmlns="urn:oasis:names:tc:DSML:2:0:core"><searchResponse>
            <searchResultEntry dn="uid=a"><attr name="description"><value xsi:type="xsd:base64Binary">VGVzdA==</value></attr></searchResultEntry>
            <searchResultDone><resultCode code="0"/></searchResultDone></searchResponse></batchResponse>
            """
        let result = try XMLTestInput.read(document)
        #expect(result.records.count == 1)
        #expect(result.value(0, "description") == .string("VGVzdA=="))  // not known to be binary: kept as text
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.line == 2)
        #expect(result.warnings.first?.message.hasPrefix("XML namespace problem (Namespace prefix xsi") == true)
    }
}
