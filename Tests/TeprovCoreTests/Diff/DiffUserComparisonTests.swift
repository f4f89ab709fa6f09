import Testing

@testable import TeprovCore

/// Which attribute differences `diff` reports for one pair of users, and in what order.
@Suite("Diff: comparing a user")
struct DiffUserComparisonTests {
    @Test func aCaseOnlyChangeIsAChange() throws {
        #expect(
            try DiffTestInput.changes(#"{"displayName": "adele vance"}"#, #"{"displayName": "Adele Vance"}"#)
                == [#"displayName: "adele vance" → "Adele Vance""#])
    }

    @Test func anEmptyStringAndAnAbsentValueDiffer() throws {
        #expect(
            try DiffTestInput.changes(#"{"title": ""}"#, #"{"title": null}"#) == [#"title: "" → null"#])
        #expect(try DiffTestInput.changes(#"{}"#, #"{"title": ""}"#) == [#"title: null → """#])
    }

    @Test func aStringAndABooleanDiffer() throws {
        #expect(
            try DiffTestInput.changes(#"{"active": "False"}"#, #"{"active": false}"#) == [#"active: "False" → false"#])
    }

    @Test func identityComesFirstThenPathsInOrder() throws {
        let changes = try DiffTestInput.changes(
            #"{"title": "A", "userName": "old@x", "active": true, "id": "1"}"#,
            #"{"title": "B", "userName": "new@x", "active": false, "id": "2"}"#)
        #expect(
            changes == [
                #"id: "1" → "2""#, #"userName: "old@x" → "new@x""#, "active: true → false", #"title: "A" → "B""#,
            ])
    }

    @Test func addedAndRemovedEntriesOfAMultiValuedAttributeShowAsNullOnOneSide() throws {
        let changes = try DiffTestInput.changes(
            #"{"phoneNumbers": [{"value": "1", "type": "work"}]}"#,
            #"{"phoneNumbers": [{"value": "2", "type": "mobile"}]}"#)
        #expect(
            changes == [
                #"phoneNumbers[type eq "mobile"].value: null → "2""#,
                #"phoneNumbers[type eq "work"].value: "1" → null"#,
            ])
    }

    @Test func memberOrderPlainArrayOrderAndNumberSpellingAreNoChange() throws {
        #expect(
            try DiffTestInput.changes(
                #"{"a": 1, "schemas": ["x", "y"], "name": {"givenName": "A", "familyName": "B"}}"#,
                #"{"name": {"familyName": "B", "givenName": "A"}, "schemas": ["y", "x"], "a": 1.0}"#
            ).isEmpty)
    }

    @Test func ignoredAttributesAreNotReported() throws {
        #expect(
            try DiffTestInput.changes(
                #"{"title": "A", "meta": {"version": "1"}}"#, #"{"title": "B", "meta": {"version": "2"}}"#,
                ignore: ["title"]
            ).isEmpty)
    }
}

/// Only differing top-level members are flattened; the result must equal comparing every member.
@Suite("Diff: pruning equal members")
struct DiffMemberPruningTests {
    static func members(_ json: String) throws -> [(String, JSONValue)] {
        let value = try JSONTokenizer(bytes: Array(json.utf8), sourceName: "test").readValue()
        return DiffAttributeFlattener.members(of: value, isThousandEyesV7: false)
    }

    @Test(arguments: [
        (#"{"a": 1, "b": {"c": 2}, "d": [3]}"#, #"{"a": 1, "b": {"c": 3}, "d": [3]}"#, ["b"], ["b"]),
        (#"{"a": 1, "b": 2}"#, #"{"B": 2, "a": 1, "e": 5}"#, [], ["e"]),
        (#"{"a": 1, "b": 2}"#, #"{"b": 3}"#, ["a", "b"], ["b"]),
        (#"{"a": 1, "A": 2}"#, #"{"a": 1, "A": 2}"#, ["a", "A"], ["a", "A"]),
    ])
    func equalMembersAreLeftOut(old: String, new: String, oldNames: [String], newNames: [String]) throws {
        let (oldDiffering, newDiffering) = DiffUserComparison.differingMembers(
            try Self.members(old), try Self.members(new))
        #expect(oldDiffering.map(\.0) == oldNames)
        #expect(newDiffering.map(\.0) == newNames)
    }
}
