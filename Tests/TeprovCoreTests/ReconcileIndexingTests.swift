import Foundation
import Testing

@testable import TeprovCore

/// The reconciler indexes a large snapshot's users on another thread while its first steps run
/// (`ReconcileRun.awaitIndexes`); the result must be the one of indexes built beforehand.
@Suite struct ReconcileIndexingTests {
    /// `count` directory users and a snapshot of the same people: a tenth renamed (matched by externalId), a
    /// tenth with another display name, a tenth missing from ThousandEyes, and orphans.
    private func inputs(_ count: Int, in directory: String) throws -> (users: String, snapshot: String) {
        var csv = "userPrincipalName,displayName,givenName,surname,mail,id,accountEnabled\n"
        var snapshotUsers: [String] = []
        func guid(_ number: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", number) }
        for number in 0..<count {
            let upn = "user\(number)@contoso.com"
            csv += "\(upn),User \(number),User,N\(number),\(upn),\(guid(number)),True\n"
            if number % 10 == 3 { continue }
            let userName = number % 10 == 1 ? "old\(number)@contoso.com" : upn
            let displayName = number % 10 == 2 ? "Someone \(number)" : "User \(number)"
            snapshotUsers.append(
                #"{"id":"\#(100_000 + number)","externalId":"\#(guid(number))","userName":"\#(userName)","#
                    + #""name":{"formatted":"User N\#(number)"},"displayName":"\#(displayName)","#
                    + #""emails":[{"value":"\#(userName)","type":"work","primary":true}],"active":true}"#)
        }
        for orphan in 0..<(count / 20) {
            snapshotUsers.append(
                #"{"id":"\#(900_000 + orphan)","externalId":"\#(guid(500_000 + orphan))","#
                    + #""userName":"gone\#(orphan)@contoso.com","active":true}"#)
        }
        let snapshot =
            #"{"formatVersion":1,"capturedAt":"2026-11-29T08:00:00Z","complete":true,"totalResults":"#
            + "\(snapshotUsers.count),\"users\":[\n" + snapshotUsers.joined(separator: ",\n") + "]}\n"
        let usersPath = "\(directory)/users.csv"
        let snapshotPath = "\(directory)/snapshot.json"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: usersPath))
        try Data(snapshot.utf8).write(to: URL(fileURLWithPath: snapshotPath))
        return (usersPath, snapshotPath)
    }

    @Test func indexesBuiltMeanwhileGiveTheResultOfIndexesBuiltBefore() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("teprov-index-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let count = ReconcileRun.backgroundIndexingThreshold + 2_000
        let (usersPath, snapshotPath) = try inputs(count, in: directory)

        var config = TeprovConfig()
        config.scope = .all
        config.safety.deletionThreshold = 1_000_000
        let options = PlanPipeline.Options(users: [usersPath], snapshot: snapshotPath)
        let sources = try PlanPipeline.readSources(options, config: config)
        let (_, targets) = try SnapshotReader.read(
            path: snapshotPath, options: SnapshotReader.Options(paths: Set(config.mappings.map(\.target))))
        #expect(targets.count >= ReconcileRun.backgroundIndexingThreshold)

        var input = ReconcileInput(
            config: config, users: sources.users, invalidRecords: sources.invalid, targets: targets,
            snapshotComplete: true)
        let meanwhile = Reconciler.reconcile(input)
        input.targetIndexes = TargetIndexes(targets: targets, externalIdPattern: config.externalIdPattern)
        let before = Reconciler.reconcile(input)

        #expect(meanwhile.operations == before.operations)
        #expect(meanwhile.skipped == before.skipped)
        #expect(meanwhile.summary == before.summary)
        #expect(meanwhile.managedTargets == before.managedTargets)
        // Matching happened: without the indexes every user would be a create and nobody an update.
        let tenth = count / 10
        #expect(meanwhile.summary.create == tenth)
        #expect(meanwhile.summary.update == 2 * tenth)
        #expect(meanwhile.summary.disable + meanwhile.summary.delete == count / 20)
        #expect(meanwhile.managedTargets == count - tenth + count / 20)
    }
}
