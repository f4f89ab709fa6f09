import Foundation
import Testing

@testable import TeprovCore

/// What reading one XML input produced.
struct XMLReadResult {
    var format: ExportFormat
    var records: [SourceRecord]
    var diagnostics: [Diagnostic]
    var invalid: Int
    var attributeNames: [String]

    /// The value of `name` in record number `record`.
    func value(_ record: Int, _ name: String) -> AttributeValue? { records[record][name] }
    var lines: [Int] { records.map(\.origin.line) }
    var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
}

/// Writes XML inputs to a temporary directory (or takes a fixture) and reads them with `XMLExportReader`.
enum XMLTestInput {
    enum Encoding { case utf8, utf16LEWithBOM, utf16BEWithBOM }

    static func fixture(_ name: String) throws -> String {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent("xml").appendingPathComponent(name).path
    }

    static func write(_ bytes: [UInt8], name: String = "users.xml") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "teprov-xml-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func bytes(_ text: String, _ encoding: Encoding) -> [UInt8] {
        switch encoding {
        case .utf8: return Array(text.utf8)
        case .utf16LEWithBOM: return [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case .utf16BEWithBOM: return [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        }
    }

    /// Reads a file through `ExportReader` (sniffing included), as `validate` and `plan` do.
    static func read(path: String, projection: [String]? = nil) throws -> XMLReadResult {
        var records: [SourceRecord] = []
        let context = ReadContext(
            path: path, projection: projection.map { names in AttributeProjection(Set(names.map { AttributeKey($0) })) }
        ) { records.append($0) }
        let summary = try ExportReader.read(path: path, context: context)
        return XMLReadResult(
            format: summary.format, records: records, diagnostics: context.diagnostics, invalid: context.invalidCount,
            attributeNames: context.attributeNames)
    }

    static func read(_ text: String, _ encoding: Encoding = .utf8, projection: [String]? = nil) throws
        -> XMLReadResult
    {
        let path = try write(bytes(text, encoding))
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        return try read(path: path, projection: projection)
    }

    /// The document-level error reading `text` throws (a failed expectation when it reads).
    static func error(_ text: String, _ encoding: Encoding = .utf8) -> TeprovError? {
        error(bytes: bytes(text, encoding))
    }

    static func error(bytes: [UInt8]) -> TeprovError? {
        do {
            let path = try write(bytes)
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            _ = try read(path: path)
            return nil
        } catch let error as TeprovError {
            return error
        } catch {
            return TeprovError(.io, "unexpected \(error)")
        }
    }

    static func error(path: String) -> TeprovError? {
        do {
            _ = try read(path: path)
            return nil
        } catch let error as TeprovError {
            return error
        } catch {
            return TeprovError(.io, "unexpected \(error)")
        }
    }
}

@Suite struct XMLExportReaderTests {
    @Test(arguments: [
        ("<batchResponse xmlns='urn:oasis:names:tc:DSML:2:0:core'/>", "xml/dsml"),
        ("<x:batchResponse xmlns:x='urn:oasis:names:tc:DSML:2:0:core'/>", "xml/dsml"),
        ("<dsml xmlns='http://www.dsml.org/DSML'/>", "xml/dsml-v1"),
        ("<Objs Version='1.1.0.1' xmlns='http://schemas.microsoft.com/powershell/2004/04'/>", "xml/clixml"),
        ("<ps:Objs xmlns:ps='http://schemas.microsoft.com/powershell/2004/04'/>", "xml/clixml"),
        ("<Objects/>", "xml/convertto-xml"),
        ("<users/>", "xml/generic"),
        // The prefix is not what counts: `dsml:` bound to another namespace is generic XML.
        ("<dsml:batchResponse xmlns:dsml='urn:example:not-dsml'/>", "xml/generic"),
        // `Objects` in a namespace is not ConvertTo-Xml.
        ("<Objects xmlns='urn:example'/>", "xml/generic"),
    ])
    func dialectIsToldByNamespaceAndLocalName(document: String, expected: String) throws {
        let result = try XMLTestInput.read("<?xml version='1.0'?>\n" + document)
        #expect(result.format.description == expected)
        #expect(result.records.isEmpty)
    }

    @Test func soapEnvelopeWithoutDSMLIsRefused() {
        let error = XMLTestInput.error(
            """
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
              <s:Header><x/></s:Header>
              <s:Body><other xmlns="urn:example"/></s:Body>
            </s:Envelope>
            """)
        #expect(error?.code == .input)
        #expect(error?.message.contains("SOAP envelope without a DSML v2 batchResponse") == true)
        #expect(error?.line == 1)
    }

    @Test func soapEnvelopeWithHeaderStillFindsDSML() throws {
        let result = try XMLTestInput.read(
            """
            <soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">
              <soap:Header><trace>1</trace></soap:Header>
              <soap:Body>
                <batchResponse xmlns="urn:oasis:names:tc:DSML:2:0:core"><searchResponse>
                  <searchResultEntry dn="uid=a"><attr name="mail"><value>a@example.com</value></attr></searchResultEntry>
                  <searchResultDone><resultCode code="0"/></searchResultDone>
                </searchResponse></batchResponse>
              </soap:Body>
            </soap:Envelope>
            """)
        #expect(result.format.description == "xml/dsml")
        #expect(result.value(0, "mail") == .string("a@example.com"))
        #expect(result.lines == [5])
    }

    @Test func readsThroughValidateWithEncodingReported() throws {
        let path = try XMLTestInput.fixture("monteverde.clixml.xml")
        let validation = ExportValidation.run(paths: [path], keepRecords: true)
        let summary = try #require(validation.files.first?.summary)
        #expect(summary.format.description == "xml/clixml")
        #expect(summary.encoding == .utf16LE)
        #expect(summary.records == 1)
    }
}
