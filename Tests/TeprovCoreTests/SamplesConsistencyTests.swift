import Foundation
import Testing

@testable import TeprovCore

/// The four sample exports in `samples/` describe the same people (samples/README.md): teprov's own
/// readers must see the same values in each, whatever the format's spelling of the attribute.
@Suite struct SamplesConsistencyTests {
    static let samplesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("samples")

    static let exports = ["users.csv", "users.json", "users.dsml.xml", "users.clixml.xml"]
    static let comparedAttributes: [AttributeKey] = [
        "id", "userPrincipalName", "displayName", "givenName", "surname", "mail", "jobTitle", "department",
        "accountEnabled",
    ]

    /// The compared attributes of every record, as text (`nil` when absent).
    static func comparedValues(of file: String) throws -> [[String?]] {
        let path = samplesDirectory.appendingPathComponent(file).path
        let (summary, records) = try ExportReader.readAll(path: path)
        #expect(summary.invalid == 0)
        return records.map { record in comparedAttributes.map { record[$0]?.scalarText } }
    }

    @Test(arguments: exports)
    func exportHoldsTheSamePeopleAsTheCSV(file: String) throws {
        let reference = try Self.comparedValues(of: "users.csv")
        let values = try Self.comparedValues(of: file)
        #expect(values.count == 26)
        #expect(values == reference)
    }

    @Test func quirksSurviveReading() throws {
        let byUPN = Dictionary(
            try Self.comparedValues(of: "users.dsml.xml").map { ($0[1] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let guest = try #require(byUPN["adele.vance_fabrikam.com#EXT#@contoso.onmicrosoft.com"])
        #expect(guest[0] == "70463a9c-0d3a-4923-9190-f70d4b14a7dc")  // objectGUID decoded in Microsoft byte order
        #expect(guest[5] == nil)  // no mail
        #expect(byUPN["diego.siciliani@contoso.com"]?[8] == "False")  // userAccountControl 514
        #expect(byUPN["priya.raman@contoso.com"]?[3] == nil)  // no givenName
        #expect(byUPN["isaiah.langer@contoso.com"]?[7] == "Sales, EMEA")
        #expect(byUPN["zoe.dupre@contoso.com"]?[2] == "Zo\u{EB} Dupr\u{E9}")  // precomposed (NFC)
    }

    @Test func deletedUsersCarryTheirDeletionDate() throws {
        let path = Self.samplesDirectory.appendingPathComponent("deleted-users.json").path
        let (_, records) = try ExportReader.readAll(path: path)
        #expect(records.count == 2)
        #expect(records.allSatisfy { $0["deletedDateTime"] != nil })
    }
}
