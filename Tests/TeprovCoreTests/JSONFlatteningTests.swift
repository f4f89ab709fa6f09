import Testing

@testable import TeprovCore

@Suite struct JSONFlatteningTests {
    /// One user object's member and the fields it becomes (`nil`: absent).
    @Test(
        arguments: [
            (
                #""name": {"givenName": "Ann", "familyName": "Lee"}"#, "name.givenName",
                AttributeValue?.some(.string("Ann"))
            ),
            (#""a": {"b": {"c": true}}"#, "a.b.c", .bool(true)),
            (#""name": {}"#, "name", nil),
            (#""otherMails": ["a@x", "b@x"]"#, "otherMails", .multi([.string("a@x"), .string("b@x")])),
            (#""otherMails": ["a@x"]"#, "otherMails", .multi([.string("a@x")])),
            (#""otherMails": []"#, "otherMails", nil),
            (#""otherMails": [null, " ", "a@x"]"#, "otherMails", .multi([.string("a@x")])),
            (#""otherMails": [null]"#, "otherMails", nil),
            (#""mixed": [1, 2.5, true, "x"]"#, "mixed", .multi([.int(1), .double(2.5), .bool(true), .string("x")])),
            (
                #""identities": [{"issuer": "a"}, {"issuer": "b", "signInType": "x"}]"#, "identities.issuer",
                .multi([.string("a"), .string("b")])
            ),
            (
                #""identities": [{"issuer": "a"}, {"issuer": "b", "signInType": "x"}]"#, "identities.signInType",
                .multi([.string("x")])
            ),
            (#""identities": [{"issuer": "a"}]"#, "identities", nil),
            (
                #""licenses": [{"plans": ["p1", "p2"]}, {"plans": ["p3"]}]"#, "licenses.plans",
                .multi([.string("p1"), .string("p2"), .string("p3")])
            ),
            (
                #""addresses": [{"geo": {"lat": 1}}, {"geo": {"lat": 2}}]"#, "addresses.geo.lat",
                .multi([.int(1), .int(2)])
            ),
            (#""accountEnabled": true"#, "accountEnabled", .bool(true)),
            (#""accountEnabled": "true""#, "accountEnabled", .string("true")),
            (#""accountEnabled": "False""#, "accountEnabled", .string("False")),
            (#""count": 42"#, "count", .int(42)),
            (#""count": -0"#, "count", .int(0)),
            (#""count": 1e3"#, "count", .double(1000)),
            (#""count": 4.5"#, "count", .double(4.5)),
            (#""count": 12345678901234567890"#, "count", .double(1.234_567_890_123_456_7e19)),
            (#""displayName": "  Zoe\u0301  ""#, "displayName", .string("Zo\u{E9}")),
            (#""displayName": "Zoe\#u{301}""#, "displayName", .string("Zo\u{E9}")),
            (#""displayName": """#, "displayName", nil),
            (#""displayName": "   ""#, "displayName", nil),
            (#""displayName": null"#, "displayName", nil),
            (#""UserPrincipalName": "a@x""#, "userPrincipalName", .string("a@x")),
        ] as [(String, String, AttributeValue?)])
    func flattens(member: String, attribute: String, expected: AttributeValue?) throws {
        let result = try JSONTestInput.read("[{\"id\": \"1\", \(member)}]")
        #expect(result.records.count == 1)
        #expect(result.records.first?[attribute] == expected)
    }

    @Test func notesEveryAttributeNameOnceInCanonicalSpelling() throws {
        let text = """
            [{"UserPrincipalName": "a", "name": {"givenName": "A"}, "emails": [{"value": "x", "type": "w"}],
              "otherMails": [], "jobTitle": null, "ext": {}, "@odata.type": "#microsoft.graph.user"},
             {"userPrincipalName": "b", "mixed": [{"k": 1}, "scalar"]}]
            """
        let result = try JSONTestInput.read(text)
        #expect(
            result.attributeNames == [
                "userPrincipalName", "name.givenName", "emails.value", "emails.type", "otherMails", "jobTitle",
                "mixed.k", "mixed",
            ])
    }

    @Test func skipsODataAnnotationsAtEveryLevel() throws {
        let text = """
            {"value": [{"@odata.type": "#microsoft.graph.user", "id": "1",
              "manager@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('1')/manager",
              "ext55gb1l09_msLearnCourses": {"@odata.type": "#microsoft.graph.ComplexExtensionValue", "courseId": 7},
              "@microsoft.graph.tips": "tip"}]}
            """
        let result = try JSONTestInput.read(text)
        #expect(result.records.count == 1)
        #expect(result.records[0].fields.map(\.key.rawValue) == ["id", "ext55gb1l09_mslearncourses.courseid"])
        #expect(!result.attributeNames.contains { $0.contains("@") })
    }

    @Test func skipsDeltaRemovalsWithAWarning() throws {
        let text = """
            {"value": [
              {"id": "1", "displayName": "Kept"},
              {"@odata.type": "#microsoft.graph.user", "id": "2", "@removed": {"reason": "deleted"}},
              {"id": "3", "@removed": {"reason": "changed"}}
            ], "@odata.deltaLink": "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x"}
            """
        let result = try JSONTestInput.read(text)
        #expect(result.records.map { $0["id"] } == [.string("1")])
        #expect(result.invalid == 0)
        #expect(result.warnings.map(\.line) == [3, 4])
        #expect(result.warnings.first?.message.contains("\"@removed\" (reason: deleted)") == true)
        #expect(result.warnings.last?.message.contains("(reason: changed)") == true)
    }

    @Test func aTopLevelRemovalBeforeOtherMembersIsSkippedToo() throws {
        let result = try JSONTestInput.read(
            "{\"@removed\": {\"reason\": \"deleted\"}, \"id\": \"9\"}\n{\"id\": \"10\"}")
        #expect(result.records.map { $0["id"] } == [.string("10")])
        #expect(result.warnings.count == 1)
    }

    @Test(arguments: JSONTestInput.chunkSizes)
    func projectionKeepsOnlyConfiguredAttributesButNotesAll(chunkSize: Int) throws {
        let text = """
            [{"id": "1", "mail": "a@x", "name": {"givenName": "Ann", "familyName": "Lee"},
              "emails": [{"value": "e1"}, {"value": "e2"}], "department": "Ops"}]
            """
        let result = try JSONTestInput.read(
            text, projection: ["ID", "name.givenName", "emails.value"], chunkSize: chunkSize)
        #expect(result.records[0].fields.map(\.key.rawValue) == ["id", "name.givenname", "emails.value"])
        #expect(result.records[0]["emails.value"] == .multi([.string("e1"), .string("e2")]))
        #expect(
            result.attributeNames == ["id", "mail", "name.givenName", "name.familyName", "emails.value", "department"])
    }

    @Test func elementsThatAreNotObjectsAreInvalidRecords() throws {
        let text = """
            [{"id": "1"},
             "a string",
             42,
             null,
             [{"id": "nested"}],
             {"id": "2"}]
            """
        let result = try JSONTestInput.read(text)
        #expect(result.records.map { $0["id"] } == [.string("1"), .string("2")])
        #expect(result.records.map(\.origin.index) == [0, 5])
        #expect(result.lines == [1, 6])
        #expect(result.invalid == 4)
        #expect(result.errors.map(\.line) == [2, 3, 4, 5])
        #expect(
            result.errors.first?.message
                == "an element of the top-level array is a string, not a user object; each user must be a JSON object")
        #expect(result.errors.last?.message.contains("is an array, not a user object") == true)
    }

    @Test func jsonLinesThatAreNotObjectsAreInvalidRecords() throws {
        let result = try JSONTestInput.read("{\"id\": \"1\"}\n\"stray\"\ntrue\n{\"id\": \"2\"}\n")
        #expect(result.dialect == "json-lines")
        #expect(result.records.map { $0["id"] } == [.string("1"), .string("2")])
        #expect(result.errors.map(\.line) == [2, 3])
        #expect(result.errors.last?.message.hasPrefix("the top-level value is a boolean, not a user object") == true)
    }

    @Test func nonObjectsInsideAPageAreInvalidRecords() throws {
        let result = try JSONTestInput.read("{\"value\": [\n\"x\",\n{\"id\": \"1\"}\n]}")
        #expect(result.records.count == 1)
        #expect(result.errors.map(\.line) == [2])
        #expect(result.errors.first?.message.contains("an element of the \"value\" array is a string") == true)
    }

    @Test(arguments: [
        (#"{"id": "1", "mail": "a@x", "Mail": "b@x"}"#, "the attribute \"mail\" more than once"),
        (#"{"id": "1", "name.givenName": "A", "name": {"givenName": "B"}}"#, "\"name.givenName\" more than once"),
        (#"{"id": "1", "tags": ["a"], "Tags": ["b"]}"#, "\"Tags\" more than once"),
        (#"{"id": "1", "matrix": [[1, 2], [3]]}"#, "holds an array inside an array"),
        (#"{"id": "1", "": "x"}"#, "an attribute with an empty name"),
        (#"{"id": "1", "huge": 1e400}"#, "holds a number too large to represent"),
    ])
    func unrepresentableUsersAreInvalidRecords(user: String, message: String) throws {
        let result = try JSONTestInput.read("[\n{\"id\": \"0\"},\n\(user),\n{\"id\": \"2\"}\n]")
        #expect(result.records.map { $0["id"] } == [.string("0"), .string("2")])
        #expect(result.invalid == 1)
        #expect(result.errors.map(\.line) == [3])
        #expect(result.errors.first?.message.contains(message) == true, "\(result.errors.first?.message ?? "none")")
    }

    @Test func problemsInAttributesOutsideTheProjectionDoNotRejectTheUser() throws {
        let result = try JSONTestInput.read(
            #"[{"id": "1", "mail": "a", "Mail": "b", "matrix": [[1]]}]"#, projection: ["id"])
        #expect(result.records.map { $0["id"] } == [.string("1")])
        #expect(result.invalid == 0)
    }

    @Test func recordLinesAreTheLinesOfTheOpeningBraces() throws {
        let text = "[\n  {\n    \"id\": \"1\"\n  },\n  {\"id\": \"2\"}, {\"id\": \"3\"}\n]"
        for chunkSize in JSONTestInput.chunkSizes {
            #expect(try JSONTestInput.read(text, chunkSize: chunkSize).lines == [2, 5, 5])
        }
    }
}
