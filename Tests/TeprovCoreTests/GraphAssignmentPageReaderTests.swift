import Foundation
import Testing

@testable import TeprovCore

/// The fast reader of Graph assignment pages must give exactly what the general export reader gives on the
/// files it accepts, and decline every other file (the general reader then reads it).
@Suite struct GraphAssignmentPageReaderTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("teprov-fast-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func write(_ text: String) throws -> String {
        let url = directory.appendingPathComponent("assignments-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// What the fast reader gives with `chunkSize`, or `nil` when it declines the file.
    func fast(_ path: String, chunkSize: Int = 1 << 20) throws -> [AppRoleAssignment]? {
        var read: [AppRoleAssignment] = []
        let handled = try GraphAssignmentPageReader.read(path: path, chunkSize: chunkSize) { read.append($0) }
        return handled ? read : nil
    }

    /// What the compact variant gives with `chunkSize`, or `nil` when it declines the file.
    func compact(_ path: String, chunkSize: Int = 1 << 20) throws -> [CompactAssignment]? {
        var read: [CompactAssignment] = []
        let handled = try GraphAssignmentPageReader.readCompact(path: path, chunkSize: chunkSize) { read.append($0) }
        return handled ? read : nil
    }

    /// What the background variant gives (parsing on another thread), or `nil` when it declines the file.
    func background(_ path: String) throws -> [CompactAssignment]? {
        var read: [CompactAssignment] = []
        let handled = try GraphAssignmentPageReader.readInBackground(path: path) { read.append($0) }
        return handled ? read : nil
    }

    /// The general reader's assignments in compact form, role ids numbered from the first.
    func compacted(_ assignments: [AppRoleAssignment]) -> [CompactAssignment] {
        var roles = CompactAssignment.RoleNumbering()
        return assignments.map { CompactAssignment($0, roles: &roles) }
    }

    static let page = """
        {"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#servicePrincipals('sp')/appRoleAssignedTo","value":[
        {"id":"a1","deletedDateTime":null,"appRoleId":"268bee30-0415-45a3-8640-ad9f770ea398","createdDateTime":"2025-03-26T16:03:02Z","principalDisplayName":"Anaïs Dupré","principalId":"2f6349ea-6c27-4376-8899-621002706702","principalType":"User","resourceDisplayName":"ThousandEyes","resourceId":"sp"},
        {"id":"a2","deletedDateTime":"2026-01-01T00:00:00Z","appRoleId":"00000000-0000-0000-0000-000000000000","principalDisplayName":"  Padded  ","principalId":"U2","principalType":"user"},
          {"principalType" : "Group" ,
           "principalId" : "G1", "appRoleId": null, "principalDisplayName": ""},
        {"principalId":"S1","principalType":"ServicePrincipal","id":"a4","resourceId":"sp"}
        ]}

        """

    @Test(arguments: [1 << 20, 7, 1])
    func acceptedPageGivesWhatTheGeneralReaderGives(chunkSize: Int) throws {
        let path = try write(Self.page)
        let (general, diagnostics) = try DirectoryInputReader.readAssignments(path: path)
        #expect(diagnostics.isEmpty)
        let read = try #require(try fast(path, chunkSize: chunkSize))
        #expect(read == general)
        #expect(try compact(path, chunkSize: chunkSize) == compacted(general))
        #expect(read.map(\.line) == [2, 3, 4, 6])
        #expect(read[1].principalDisplayName == "Padded" && read[1].principalType == .user)
        #expect(read[2].appRoleId == AppRoleAssignment.defaultAccessRoleId && read[2].principalDisplayName == nil)
    }

    /// Thousands of assignments, compact and pretty-printed, members in Graph's order or shuffled, across
    /// many chunk and window boundaries.
    @Test(arguments: [false, true])
    func largePagesGiveWhatTheGeneralReaderGives(prettyPrinted: Bool) throws {
        let names = ["Zoë Ødegaard", "Łukasz Çelik", "Seán O'Brien", "  Ann  ", "Bench Group 0010", "李 雷"]
        let types = ["User", "Group", "ServicePrincipal", "user"]
        var records: [String] = []
        for index in 0..<9000 {
            var members = [
                ("id", "\"a\(index)\""), ("deletedDateTime", index % 17 == 0 ? "\"2026-01-01T00:00:00Z\"" : "null"),
                ("appRoleId", index % 5 == 0 ? "null" : "\"268bee30-0415-45a3-8640-ad9f770ea39\(index % 3)\""),
                ("createdDateTime", "\"2025-03-26T16:03:02Z\""),
                ("principalDisplayName", index % 11 == 0 ? "\"\"" : "\"\(names[index % names.count])\""),
                ("principalId", String(format: "\"%08x-6c27-4376-8899-%012x\"", index, index * 7919)),
                ("principalType", "\"\(types[index % types.count])\""), ("resourceDisplayName", "\"ThousandEyes\""),
                ("resourceId", "\"6b7fee89-7597-46b5-a5ef-089fed79a69b\""),
            ]
            if index % 7 == 0 { members.reverse() }
            let separator = prettyPrinted ? ",\n      " : ","
            let body = members.map { "\"\($0.0)\"\(prettyPrinted ? ": " : ":")\($0.1)" }.joined(separator: separator)
            records.append(prettyPrinted ? "    {\n      \(body)\n    }" : "{\(body)}")
        }
        let text =
            "{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#x\",\"value\":[\n"
            + records.joined(separator: ",\n") + "\n]}\n"
        let path = try write(text)
        let (general, diagnostics) = try DirectoryInputReader.readAssignments(path: path)
        #expect(diagnostics.isEmpty)
        #expect(general.count == 9000)
        for chunkSize in [1 << 20, 4096, 333] {
            let read = try #require(try fast(path, chunkSize: chunkSize))
            #expect(read == general, "chunk size \(chunkSize)")
            #expect(try compact(path, chunkSize: chunkSize) == compacted(general), "chunk size \(chunkSize)")
        }
        // Three batches handed over from the parsing thread, in order.
        #expect(try background(path) == compacted(general))
    }

    @Test func samplesAndGeneratedAssignmentsGiveWhatTheGeneralReaderGives() throws {
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/assignments.json").path
        let (general, _) = try DirectoryInputReader.readAssignments(path: samples)
        let read = try #require(try fast(samples, chunkSize: 64))
        #expect(read == general)
        #expect(!read.isEmpty)
        #expect(try compact(samples, chunkSize: 64) == compacted(general))
    }

    @Test(arguments: [
        // Forms the general reader handles (or refuses) itself.
        #"{"value":[{"principalId":"U1","principalType":"User"}],"@odata.nextLink":"https://graph/next"}"#,
        #"[{"value":[{"principalId":"U1","principalType":"User"}]}]"#,
        #"{"principalId":"U1","principalType":"User"}"#,
        #"{"value":[]}"#,
        #"{"value":[{"principalId":"U1","principalType":"User"}]}{"value":[]}"#,
        "\u{FEFF}{\"value\":[{\"principalId\":\"U1\",\"principalType\":\"User\"}]}",
        // Records the general reader reads differently or reports.
        #"{"value":[{"principalId":"U\u0031","principalType":"User"}]}"#,
        #"{"value":[{"principalId":"U1","principalType":"User","extra":"x"}]}"#,
        #"{"value":[{"PrincipalId":"U1","principalType":"User"}]}"#,
        #"{"value":[{"principalId":"U1","principalId":"U2","principalType":"User"}]}"#,
        #"{"value":[{"principalId":1,"principalType":"User"}]}"#,
        #"{"value":[{"principalId":"U1","principalType":"Robot"}]}"#,
        #"{"value":[{"principalType":"User"}]}"#,
        #"{"value":[{"principalId":"  ","principalType":"User"}]}"#,
        #"{"value":[{"principalId":"U1","principalType":"User","resourceId":{"a":1}}]}"#,
        #"{"value":[{}]}"#,
        // Not JSON.
        #"{"value":[{"principalId":"U1","principalType":"User"},]}"#,
        #"{"value":[{"principalId":"U1","principalType":"User"}]"#,
        "{\"value\":[{\"principalId\":\"U\u{1}\",\"principalType\":\"User\"}]}",
    ])
    func otherFilesAreLeftToTheGeneralReader(text: String) throws {
        let path = try write(text)
        #expect(try fast(path) == nil)
        #expect(try compact(path) == nil)
        #expect(try background(path) == nil)
    }

    @Test func invalidUTF8IsLeftToTheGeneralReader() throws {
        let url = directory.appendingPathComponent("invalid.json")
        var bytes = Array(#"{"value":[{"principalId":"U1","principalType":"User","principalDisplayName":"A"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#""}]}"#.utf8)
        try Data(bytes).write(to: url)
        #expect(try fast(url.path) == nil)
        #expect(try compact(url.path) == nil)
    }

    /// GUID principal ids are kept as their bytes (any letter case, padded or not); other ids, and every
    /// group's id and name, as text; role ids are numbered in the order first met, and given once.
    @Test func compactAssignmentsKeepWhatTheIndexNeeds() throws {
        let guid = "2f6349ea-6c27-4376-8899-621002706702"
        let path = try write(
            """
            {"value":[
            {"appRoleId":"r1","principalDisplayName":"Ann","principalId":"\(guid.uppercased())","principalType":"User"},
            {"appRoleId":"r2","principalDisplayName":"Bob","principalId":"  \(guid)  ","principalType":"user"},
            {"appRoleId":"r1","principalId":"2f6349ea-6c27-4376-8899-62100270670g","principalType":"User"},
            {"appRoleId":" r2 ","principalDisplayName":"Ops","principalId":"\(guid)","principalType":"Group"},
            {"appRoleId":null,"deletedDateTime":"2026-01-01T00:00:00Z","principalId":"U9","principalType":"User"}
            ]}
            """)
        let read = try #require(try compact(path))
        let bytes = try #require(EntitlementKeyTable.guid(guid))
        #expect(read.map { $0.principalGUID?.0 } == [bytes.0, bytes.0, nil, bytes.0, nil])
        #expect(read.map { $0.principalGUID?.1 } == [bytes.1, bytes.1, nil, bytes.1, nil])
        #expect(read.map(\.principalText) == [nil, nil, "2f6349ea-6c27-4376-8899-62100270670g", guid, "U9"])
        #expect(read.map(\.principalDisplayName) == [nil, nil, nil, "Ops", nil])
        #expect(read.map(\.role) == [0, 1, 0, 1, 2])
        #expect(read.map(\.newRoleId) == ["r1", "r2", nil, nil, AppRoleAssignment.defaultAccessRoleId])
        #expect(read.map(\.isDeleted) == [false, false, false, false, true])
        #expect(read.map(\.line) == [2, 3, 4, 5, 6])
        #expect(read == compacted(try DirectoryInputReader.readAssignments(path: path).0))
    }

    /// Only `8-4-4-4-12` hex digits of either case make a GUID, whatever byte stands in any position.
    @Test func guidBytesAcceptOnlyHexDigits() throws {
        let guid = Array("0123abcd-ABCD-4376-8899-fedcba987654".utf8)
        let parsed = try #require(guid.withUnsafeBufferPointer { EntitlementKeyTable.guid($0) })
        #expect(parsed.0 == 0x0123_ABCD_ABCD_4376 && parsed.1 == 0x8899_FEDC_BA98_7654)
        let hex = Set("0123456789abcdefABCDEF".utf8)
        for position in guid.indices {
            for byte in UInt8.min...UInt8.max {
                var changed = guid
                changed[position] = byte
                let result = changed.withUnsafeBufferPointer { EntitlementKeyTable.guid($0) }
                let dash = [8, 13, 18, 23].contains(position)
                let expected = dash ? byte == UInt8(ascii: "-") : hex.contains(byte)
                #expect((result != nil) == expected, "byte \(byte) at \(position)")
                if expected, !dash, let result {
                    #expect(EntitlementKeyTable.guid(String(decoding: changed, as: UTF8.self))! == result)
                }
            }
        }
    }

    @Test func plannedEntitlementsAreTheSameEitherWay() throws {
        let path = try write(Self.page)
        let groups = ["g1": GroupListing(id: "G1", displayName: "Ops", memberIds: ["M1", "U2"], file: "g.csv")]
        let paths = DirectoryInputPaths(assignments: path)
        var inputs = DirectoryInputs(groups: groups)
        inputs.assignments = try DirectoryInputReader.readAssignments(path: path).0
        let general = try EntitlementIndex(inputs: inputs, skipDefaultAccess: false)
        let groupsFile = directory.appendingPathComponent("groups.csv")
        try Data("groupId,memberId\nG1,M1\nG1,U2\n".utf8).write(to: groupsFile)
        var withGroups = paths
        withGroups.groupMembers = groupsFile.path
        let (loaded, count, index) = try withGroups.loadIndexed(skipDefaultAccess: false)
        let fastIndex = try #require(index)
        #expect(count == 4)
        #expect(loaded.assignments == nil && loaded.diagnostics.isEmpty)
        for id in ["2f6349ea-6c27-4376-8899-621002706702", "2F6349EA-6C27-4376-8899-621002706702", "u2", "M1", "S1"] {
            #expect(fastIndex.entitlement(forUserId: id) == general.entitlement(forUserId: id), "\(id)")
        }
        #expect(fastIndex.entitlement(forUserId: "M1").roleValues == ["Default Access"])
        #expect(fastIndex.distinctUserAssignees == general.distinctUserAssignees)
    }
}
