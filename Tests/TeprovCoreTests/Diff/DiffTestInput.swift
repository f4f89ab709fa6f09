import Foundation
import Testing

@testable import TeprovCore

/// Snapshot files and users written for the diff tests.
enum DiffTestInput {
    /// A fresh directory that the test removes (`defer { remove(directory) }`).
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "teprov-diff-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func remove(_ directory: URL) {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `text` (UTF-8) to `name` in `directory`; returns its path.
    @discardableResult
    static func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A teprov snapshot holding `users` (JSON object texts), one per line from line 3.
    static func snapshot(_ users: [String], complete: Bool = true) -> String {
        "{\"formatVersion\": 1, \"complete\": \(complete), \"totalResults\": \(users.count),\n\"users\": [\n"
            + users.joined(separator: ",\n") + "\n]}\n"
    }

    /// A SCIM user like ThousandEyes serves, with the members given replacing or adding to the defaults.
    static func user(_ id: String, _ userName: String, _ extra: String = "") -> String {
        let base =
            "{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:User\"], \"id\": \"\(id)\", \"userName\": \"\(userName)\""
        return base + (extra.isEmpty ? "" : ", " + extra) + "}"
    }

    /// Compares two snapshot texts written to temporary files.
    static func diff(_ old: String, _ new: String, options: SnapshotDiff.Options = .init()) async throws
        -> SnapshotDiffResult
    {
        let directory = try directory()
        defer { remove(directory) }
        let oldPath = try write(old, "old.json", in: directory)
        let newPath = try write(new, "new.json", in: directory)
        return try await SnapshotDiff.compare(oldPath: oldPath, newPath: newPath, options: options)
    }

    /// The error comparing two snapshot texts throws, or `nil`.
    static func error(_ old: String, _ new: String, options: SnapshotDiff.Options = .init()) async -> TeprovError? {
        do {
            _ = try await diff(old, new, options: options)
            return nil
        } catch let error as TeprovError {
            return error
        } catch {
            return TeprovError(.io, "unexpected \(error)")
        }
    }

    /// The leaves of one user's JSON, as `path = value` lines.
    static func leaves(_ json: String, ignore: [String] = [], isThousandEyesV7: Bool = false) throws -> [String] {
        let value = try JSONTokenizer(bytes: Array(json.utf8), sourceName: "test").readValue()
        let flattener = DiffAttributeFlattener(ignoreList: DiffIgnoreList(ignore))
        return flattener.leaves(of: value, isThousandEyesV7: isThousandEyesV7).map {
            "\($0.path) = \($0.value.serialized(style: .compact))"
        }
    }

    /// The changes between two user JSON texts, as `attribute: old → new` lines.
    static func changes(_ old: String, _ new: String, ignore: [String] = []) throws -> [String] {
        let flattener = DiffAttributeFlattener(ignoreList: DiffIgnoreList(ignore))
        let parse = { (text: String) in try JSONTokenizer(bytes: Array(text.utf8), sourceName: "test").readValue() }
        let changes = DiffUserComparison.changes(
            old: flattener.leaves(of: try parse(old), isThousandEyesV7: false),
            new: flattener.leaves(of: try parse(new), isThousandEyesV7: false))
        return changes.map { "\($0.attribute): \(DiffRenderer.shown($0.old)) → \(DiffRenderer.shown($0.new))" }
    }
}
