import Foundation
import Testing

@testable import TeprovCore

/// What reading one JSON input produced.
struct JSONReadResult {
    var format: ExportFormat
    var records: [SourceRecord]
    var diagnostics: [Diagnostic]
    var invalid: Int
    var attributeNames: [String]

    var dialect: String { format.dialect }
    var lines: [Int] { records.map(\.origin.line) }
    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// Writes JSON inputs to a temporary file and reads them with `JSONExportReader`.
enum JSONTestInput {
    static let chunkSizes = [16, 17, 1 << 20]

    static func fixturePath(_ name: String) throws -> String {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return fixtures.appendingPathComponent("json").appendingPathComponent(name).path
    }

    /// Reads `path` on the calling thread and again with a second thread tokenizing
    /// (`JSONTokenPrefetcher`), expects the two outcomes (records, diagnostics, or the error) to be the
    /// same, and returns the first.
    static func read(
        path: String, projection: [String]? = nil, chunkSize: Int = 1 << 20
    ) throws -> JSONReadResult {
        let sequential = Result { try read(path: path, projection: projection, chunkSize: chunkSize, prefetch: false) }
        let prefetched = Result { try read(path: path, projection: projection, chunkSize: chunkSize, prefetch: true) }
        #expect(describe(prefetched) == describe(sequential))
        return try sequential.get()
    }

    static func read(path: String, projection: [String]?, chunkSize: Int, prefetch: Bool) throws -> JSONReadResult {
        var records: [SourceRecord] = []
        let context = ReadContext(
            path: path, projection: projection.map { names in AttributeProjection(Set(names.map { AttributeKey($0) })) }
        ) { records.append($0) }
        let format = try JSONExportReader.read(path: path, context: context, chunkSize: chunkSize, prefetch: prefetch)
        return JSONReadResult(
            format: format, records: records, diagnostics: context.diagnostics, invalid: context.invalidCount,
            attributeNames: context.attributeNames)
    }

    /// Everything a read gave, as comparable text.
    static func describe(_ outcome: Result<JSONReadResult, Error>) -> [String] {
        switch outcome {
        case .success(let result):
            return ["\(result.format) invalid=\(result.invalid) names=\(result.attributeNames)"]
                + result.records.map { record in
                    "\(record.origin.line)/\(record.origin.index): "
                        + record.fields.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: "|")
                } + result.diagnostics.map { "\($0.severity) \($0.line ?? 0): \($0.message)" }
        case .failure(let error as TeprovError):
            return ["error \(error.file ?? "") \(error.line ?? 0): \(error.message)"]
        case .failure(let error):
            return ["error \(error)"]
        }
    }

    static func read(_ text: String, projection: [String]? = nil, chunkSize: Int = 1 << 20) throws -> JSONReadResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "teprov-json-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("users.json")
        try Data(text.utf8).write(to: url)
        return try read(path: url.path, projection: projection, chunkSize: chunkSize)
    }

    /// The document-level error reading `text` throws, or `nil` when it reads.
    static func error(_ text: String, chunkSize: Int = 1 << 20) -> TeprovError? {
        do {
            _ = try read(text, chunkSize: chunkSize)
            return nil
        } catch let error as TeprovError {
            return error
        } catch {
            return TeprovError(.io, "unexpected \(error)")
        }
    }
}

@Suite struct JSONExportReaderTests {
    @Test(arguments: JSONTestInput.chunkSizes)
    func readsTheGraphUsersSample(chunkSize: Int) throws {
        let result = try JSONTestInput.read(
            path: JSONTestInput.fixturePath("graph-users-page.json"), chunkSize: chunkSize)
        #expect(result.format == ExportFormat(.json, "graph-page"))
        #expect(result.records.count == 2)
        #expect(result.diagnostics.isEmpty)
        #expect(result.lines == [4, 17])
        #expect(result.records.map(\.origin.index) == [0, 1])
        let adams = result.records[0]
        #expect(adams.fields.map(\.key.rawValue) == ["displayname", "mail", "userprincipalname", "id"])
        #expect(adams["displayName"] == .string("Conf Room Adams"))
        #expect(adams["id"] == .string("6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0"))
        #expect(adams["businessPhones"] == nil)
        #expect(adams["givenName"] == nil)
        let admin = result.records[1]
        #expect(admin["businessPhones"] == .multi([.string("425-555-0100")]))
        #expect(admin["givenName"] == .string("MOD"))
        #expect(admin["mail"] == nil)
        #expect(admin["preferredLanguage"] == .string("en-US"))
        #expect(
            result.attributeNames == [
                "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
                "preferredLanguage", "surname", "userPrincipalName", "id",
            ])
    }

    @Test(arguments: JSONTestInput.chunkSizes)
    func readsTheSCIMListResponseSample(chunkSize: Int) throws {
        let result = try JSONTestInput.read(
            path: JSONTestInput.fixturePath("scim-list-response.json"), chunkSize: chunkSize)
        #expect(result.format == ExportFormat(.json, "scim-list-response"))
        #expect(result.records.count == 2)
        #expect(result.diagnostics.isEmpty)
        #expect(result.lines == [7, 130])
        let barbara = result.records[0]
        #expect(barbara["userName"] == .string("bjensen@example.com"))
        #expect(barbara["name.givenName"] == .string("Barbara"))
        #expect(barbara["emails.value"] == .multi([.string("bjensen@example.com"), .string("babs@jensen.org")]))
        #expect(barbara["emails.type"] == .multi([.string("work"), .string("home")]))
        #expect(barbara["emails.primary"] == .multi([.bool(true)]))
        #expect(barbara["emails"] == nil)
        #expect(barbara["groups.$ref"]?.isMultiValued == true)
        #expect(
            barbara["addresses.formatted"]
                == .multi([
                    .string("100 Universal City Plaza\nHollywood, CA 91608 USA"),
                    .string("456 Hollywood Blvd\nHollywood, CA 91608 USA"),
                ]))
        #expect(barbara["active"] == .bool(true))
        #expect(barbara["meta.version"] == .string("W/\"a330bc54f0671c9\""))
        #expect(barbara["schemas"] == .multi([.string("urn:ietf:params:scim:schemas:core:2.0:User")]))
        #expect(
            barbara["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager.displayName"]
                == .string("John Smith"))
        #expect(result.records[1]["meta.version"] == .string("W/\"3694e05e9dff590\""))
        #expect(result.attributeNames.contains("emails.value"))
        #expect(!result.attributeNames.contains("emails"))
        #expect(!result.attributeNames.contains("name"))
    }

    /// One dialect example: the text, its dialect, and the `id`s of the records it yields.
    struct DialectCase: Sendable, CustomStringConvertible {
        var name: String
        var text: String
        var dialect: String
        var ids: [String]
        var description: String { name }
    }

    @Test(arguments: [
        DialectCase(name: "array", text: #"[{"id": "1"}, {"id": "2"}]"#, dialect: "array", ids: ["1", "2"]),
        DialectCase(name: "empty array", text: "[]", dialect: "array", ids: []),
        DialectCase(
            name: "graph page", text: #"{"@odata.context": "x", "value": [{"id": "1"}]}"#, dialect: "graph-page",
            ids: ["1"]),
        DialectCase(
            name: "graph page, value last",
            text: #"{"@odata.context": "x", "@odata.count": 2, "value": [{"id": "1"}, {"id": "2"}]}"#,
            dialect: "graph-page", ids: ["1", "2"]),
        DialectCase(name: "empty graph page", text: #"{"value": []}"#, dialect: "graph-page", ids: []),
        DialectCase(
            name: "graph pages",
            text: #"[{"@odata.nextLink": "https://x/2", "value": [{"id": "1"}]}, {"value": [{"id": "2"}]}]"#,
            dialect: "graph-pages", ids: ["1", "2"]),
        DialectCase(
            name: "json lines of users", text: "{\"id\": \"1\"}\n{\"id\": \"2\"}\n\n{\"id\": \"3\"}\n",
            dialect: "json-lines", ids: ["1", "2", "3"]),
        DialectCase(
            name: "json lines of pages",
            text:
                "{\"value\": [{\"id\": \"1\"}], \"@odata.nextLink\": \"https://x/2\"}\n{\"value\": [{\"id\": \"2\"}]}\n",
            dialect: "json-lines", ids: ["1", "2"]),
        DialectCase(name: "one user object", text: #"{"id": "1", "mail": "a@x"}"#, dialect: "json-lines", ids: ["1"]),
        DialectCase(
            name: "scim list response (RFC 7644 §3.4.2)",
            text: """
                   {
                     "schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
                     "totalResults":2,
                     "Resources":[
                       {
                         "id":"2819c223-7f76-453a-919d-413861904646",
                         "userName":"bjensen"
                       },
                       {
                         "id":"c75ad752-64ae-4823-840d-ffa80929976c",
                         "userName":"jsmith"
                       }
                     ]
                   }
                """, dialect: "scim-list-response",
            ids: ["2819c223-7f76-453a-919d-413861904646", "c75ad752-64ae-4823-840d-ffa80929976c"]),
        DialectCase(
            name: "scim names in other cases", text: #"{"TOTALRESULTS": 1, "resources": [{"id": "1"}]}"#,
            dialect: "scim-list-response", ids: ["1"]),
        DialectCase(
            name: "scim list response pages",
            text: """
                [{"totalResults": 3, "startIndex": 1, "itemsPerPage": 2, "Resources": [{"id": "1"}, {"id": "2"}]},
                 {"totalResults": 3, "startIndex": 3, "itemsPerPage": 2, "Resources": [{"id": "3"}]}]
                """, dialect: "scim-list-response", ids: ["1", "2", "3"]),
        DialectCase(
            name: "scim zero results",
            text: #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 0}"#,
            dialect: "scim-list-response", ids: []),
    ])
    func recognisesDialects(example: DialectCase) throws {
        for chunkSize in JSONTestInput.chunkSizes {
            let result = try JSONTestInput.read(example.text, chunkSize: chunkSize)
            #expect(result.format == ExportFormat(.json, example.dialect))
            #expect(result.records.map { $0["id"] } == example.ids.map { .string($0) })
            #expect(result.diagnostics.isEmpty)
        }
    }

    @Test func scimUserObjectsKeepTheirSchemas() throws {
        let text = #"[{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "id": "1", "userName": "a"}]"#
        let result = try JSONTestInput.read(text)
        #expect(result.dialect == "array")
        #expect(result.records.count == 1)
        #expect(result.records[0].fields.map(\.key.rawValue) == ["schemas", "id", "username"])
        #expect(result.records[0]["schemas"] == .multi([.string("urn:ietf:params:scim:schemas:core:2.0:User")]))
    }

    @Test func aUserAttributeCalledValueIsNotAPage() throws {
        let result = try JSONTestInput.read(#"[{"value": "v", "id": "1"}, {"value": {"x": 1}, "id": "2"}]"#)
        #expect(result.dialect == "array")
        #expect(result.records.map { $0["value"] } == [.string("v"), nil])
        #expect(result.records[1]["value.x"] == .int(1))
    }

    @Test func readsThroughTheFormatDispatch() throws {
        let (summary, records) = try ExportReader.readAll(path: JSONTestInput.fixturePath("graph-users-page.json"))
        #expect(summary.format == ExportFormat(.json, "graph-page"))
        #expect(summary.records == 2)
        #expect(
            records.map { $0["userPrincipalName"] } == [.string("Adams@contoso.com"), .string("admin@contoso.com")])
    }

    @Test(
        arguments: [
            ("{\"value\": [{\"id\": \"1\"}", "ends in the middle of an array", 1),
            ("[{\"id\": \"1\"},\n{\"id\": \"2\",}]", "trailing comma", 2),
            ("[{\"id\": \"1\"}] trailing", "after the end of the JSON value", 1),
            ("   \n  ", "holds no JSON value", nil),
        ] as [(String, String, Int?)])
    func invalidJSONIsADocumentError(text: String, message: String, line: Int?) {
        let error = JSONTestInput.error(text)
        #expect(error?.code == .input)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
        #expect(error?.line == line)
    }
}
