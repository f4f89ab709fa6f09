import Foundation
import Testing

@testable import TeprovCore

/// DSML and CLIXML are read by a SAX parse after the reader told the dialect (`XMLSAXParser`); these
/// cover what that parse must keep from the reader's behaviour.
@Suite struct XMLSAXReadingTests {
    static let clixml = CLIXMLDocument.objs(
        CLIXMLDocument.obj(refId: 0, toString: "CN=Ann", props: "<S N=\"UserPrincipalName\">ann@x.com</S>"),
        CLIXMLDocument.obj(refId: 1, toString: "CN=Bob", props: "<S N=\"UserPrincipalName\">bob@x.com</S>"))

    static let dsml = DSMLDocument.batch(
        DSMLDocument.search(
            DSMLDocument.entry("uid=ann", [("mail", ["ann@x.com"])]) + "\n"
                + DSMLDocument.entry("uid=bob", [("mail", ["bob@x.com"])])))

    /// Like `<(command)`: the writer fills the pipe once, so the start the reader used to tell the
    /// dialect cannot be read from the file a second time. (`XMLExportReader` directly: sniffing the
    /// format in `ExportReader` opens the file once more.)
    @Test(arguments: [(clixml, "xml/clixml", "userPrincipalName"), (dsml, "xml/dsml", "mail")])
    func aPipeIsReadOnce(document: String, format: String, attribute: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teprov-sax-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("users.xml").path
        try #require(mkfifo(fifo, 0o600) == 0)
        // Padding makes the document span more than one of the input's read blocks.
        let text = document.replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: 40_000))
        let writer = Thread {
            if let handle = FileHandle(forWritingAtPath: fifo) {
                handle.write(Data(text.utf8))
                try? handle.close()
            }
        }
        writer.start()
        var records: [SourceRecord] = []
        let context = ReadContext(path: fifo) { records.append($0) }
        let read = try XMLExportReader.read(path: fifo, context: context)
        #expect(read.description == format)
        #expect(records.map { $0[attribute] } == [.string("ann@x.com"), .string("bob@x.com")])
    }

    /// libxml2's tree names an element or attribute whose prefix is not declared `prefix:name`, in no
    /// namespace; the SAX parse names it the same way, so `p:N` is not the property name `N`.
    @Test func anUndeclaredPrefixIsPartOfTheName() throws {
        let props = "<S N=\"mail\">a@x.com</S><S p:N=\"Department\">X</S><p:S N=\"Title\">Y</p:S>"
        let result = try XMLTestInput.read(CLIXMLDocument.objs(CLIXMLDocument.obj(props: props)))
        let record = try #require(result.records.first)
        #expect(record.fields.map(\.key.rawValue) == ["mail"])
        #expect(result.warnings.count == 2)
        #expect(result.warnings.allSatisfy { $0.message.hasPrefix("XML namespace problem (Namespace prefix p") })
    }

    @Test func recordLinesAndTextSplitAcrossReadsStayExact() throws {
        // Values longer than libxml2's text chunks arrive in pieces; lines count every line break:
        // the first <Obj> starts on line 2, the value spans lines 2-4, the separator and the two blank
        // lines put the second <Obj> on line 7.
        let long = String(repeating: "x", count: 70_000)
        let document = CLIXMLDocument.objs(
            CLIXMLDocument.obj(refId: 0, props: "<S N=\"Note\">\n  \(long)  \n</S>"),
            "\n\n" + CLIXMLDocument.obj(refId: 1, props: "<S N=\"Note\">b_x000A_c</S>"))
        let result = try XMLTestInput.read(document)
        #expect(result.records.map { $0["Note"] } == [.string(long), .string("b\nc")])
        #expect(result.lines == [2, 7])
    }
}
