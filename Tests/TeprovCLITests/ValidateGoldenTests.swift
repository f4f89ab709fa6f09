import Foundation
import Testing

/// Golden `validate --format json --show-records` outputs for the four sample exports (issue 2): each is
/// compared byte for byte with its recorded file (`RECORD=1` re-records), and the four show the same people
/// with the same values for the attributes every format carries.
@Suite struct ValidateGoldenTests {
    static let samples = ["users.csv", "users.json", "users.dsml.xml", "users.clixml.xml"]
    static let goldenDirectory = CLIRunner.packageRoot.appendingPathComponent("Tests/TeprovCLITests/Fixtures/validate")
    static let samplesDirectory = CLIRunner.packageRoot.appendingPathComponent("samples")
    static let compared = [
        "id", "userprincipalname", "displayname", "givenname", "surname", "mail", "jobtitle", "department",
        "accountenabled",
    ]

    func output(_ sample: String) throws -> CLIRunner.Result {
        try CLIRunner.run(
            ["validate", "--users", sample, "--format", "json", "--show-records"], in: Self.samplesDirectory)
    }

    @Test(arguments: samples)
    func matchesGolden(_ sample: String) throws {
        let result = try output(sample)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let golden = Self.goldenDirectory.appendingPathComponent(sample + ".golden.json")
        if ProcessInfo.processInfo.environment["RECORD"] == "1" {
            try Data(result.stdout.utf8).write(to: golden)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(result.stdout == expected, "validate output for \(sample) differs from \(golden.lastPathComponent)")
    }

    @Test func theFourFormatsShowTheSamePeople() throws {
        var views: [String: [[String: String]]] = [:]
        for sample in Self.samples {
            let result = try output(sample)
            let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let files = try #require(document?["files"] as? [[String: Any]])
            let users = try #require(files.first?["users"] as? [[String: Any]])
            views[sample] = users.map { user in
                var view: [String: String] = [:]
                for key in Self.compared {
                    if let value = user[key] { view[key] = "\(value)" }
                }
                return view
            }.sorted { ($0["id"] ?? "") < ($1["id"] ?? "") }
        }
        let reference = try #require(views["users.csv"])
        #expect(reference.count == 26)
        for sample in Self.samples.dropFirst() {
            #expect(views[sample] == reference, "\(sample) differs from users.csv")
        }
    }
}
