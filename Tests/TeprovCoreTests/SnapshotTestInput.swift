import Foundation
import Testing

@testable import TeprovCore

/// Reads snapshot fixtures and inline snapshots for the snapshot tests.
enum SnapshotTestInput {
    static let workEmail = SCIMAttributePath.workEmail

    static func path(_ text: String) -> SCIMAttributePath {
        // The tests only name valid paths.
        (try? SCIMAttributePath(parsing: text)) ?? .workEmail
    }

    static func fixturePath(_ name: String) throws -> String {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return fixtures.appendingPathComponent("snapshot").appendingPathComponent(name).path
    }

    static func readFixture(
        _ name: String, options: SnapshotReader.Options = .init(), chunkSize: Int = 1 << 20
    ) throws -> (SnapshotInfo, [TargetUser]) {
        try SnapshotReader.read(path: fixturePath(name), options: options, chunkSize: chunkSize)
    }

    /// Writes `text` to a temporary `snapshot.json` and reads it.
    static func read(
        _ text: String, options: SnapshotReader.Options = .init(), chunkSize: Int = 1 << 20
    ) throws -> (SnapshotInfo, [TargetUser]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "teprov-snapshot-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("snapshot.json")
        try Data(text.utf8).write(to: url)
        return try SnapshotReader.read(path: url.path, options: options, chunkSize: chunkSize)
    }

    /// The error reading `text` throws, or `nil` when it reads.
    static func error(_ text: String, options: SnapshotReader.Options = .init()) -> TeprovError? {
        do {
            _ = try read(text, options: options)
            return nil
        } catch let error as TeprovError {
            return error
        } catch {
            return TeprovError(.io, "unexpected \(error)")
        }
    }

    /// A teprov snapshot holding `users` (JSON object texts), one per line from line 3.
    static func teprovSnapshot(_ users: [String], complete: String = "true", totalResults: Int? = nil) -> String {
        let total = totalResults ?? users.count
        return "{\"formatVersion\": 1, \"complete\": \(complete), \"totalResults\": \(total),\n\"users\": [\n"
            + users.joined(separator: ",\n") + "\n]}\n"
    }
}
