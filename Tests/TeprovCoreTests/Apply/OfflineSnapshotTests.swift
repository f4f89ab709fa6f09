import Foundation
import Testing

@testable import TeprovCore

@Suite("Offline SCIM target: loading the plan's snapshot and writing the result")
struct OfflineSnapshotTests {
    typealias Support = OfflineTestSupport

    private func range(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle.first {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start..<(start + needle.count) }
        }
        return nil
    }

    @Test("the written snapshot reads back: order kept, changes applied, created appended, deleted gone")
    func writeAndReadBack() async throws {
        let target = try Support.target()
        #expect(
            target.respond(to: Support.patch("u-1", "{\"op\": \"replace\", \"path\": \"active\", \"value\": false}"))
                .status == 204)
        #expect(target.respond(to: SCIMRequest(method: "DELETE", path: "/Users/u-2")).status == 204)
        let created = try await target.send(
            Support.body(
                "POST", "/Users",
                "{\"userName\": \"dave@contoso.com\", \"externalId\": \"ext-4\", \"emails\": [{\"type\": \"work\", \"value\": \"dave@contoso.com\", \"primary\": true}]}"
            ), createdID: "offline-op-000003")
        #expect(created.status == 201)

        let out = try Support.temporaryDirectory().appendingPathComponent("after.json").path
        try target.writeSnapshot(to: out, source: nil)
        let (info, users) = try SnapshotReader.read(path: out, options: .init(keepRawResources: true))
        #expect(info.format == SnapshotInfo.teprovSnapshot)
        #expect(info.complete)
        #expect(info.totalResults == 3)
        #expect(info.source == "https://api.example.com/scim/v2")
        #expect(info.capturedAt == Support.fixedStamp)
        #expect(users.map(\.id) == ["u-1", "u-3", "offline-op-000003"])
        #expect(users.map(\.active) == [false, false, true])
        #expect(users[0].version == "W/\"4\"")
        #expect(users[2].userName == "dave@contoso.com")
        #expect(users[2].externalId == "ext-4")
        #expect(users[2].workEmail == "dave@contoso.com")
        // The untouched user is the input's bytes, unchanged.
        #expect(users[1].rawResource == Array(Support.carol.utf8))
        // The target answers GET with what the file now holds.
        for user in users {
            let served = try Support.user(target, user.id)
            let written = try JSONTokenizer(bytes: user.rawResource ?? [], sourceName: "written").readValue()
            #expect(served == written)
        }
    }

    @Test("a snapshot larger than one write chunk is written in pieces, with exactly the in-memory text")
    func largeSnapshotStreamsInChunks() throws {
        let padding = String(repeating: "x", count: 400)
        let users = (0..<4000).map { index in
            "{\"schemas\": [\"\(Support.userSchema)\"], \"id\": \"u-\(index)\", "
                + "\"userName\": \"user\(index)@contoso.com\", \"title\": \"\(padding)\", \"active\": true}"
        }
        let target = try Support.target(users)
        #expect(target.respond(to: SCIMRequest(method: "DELETE", path: "/Users/u-17")).status == 204)
        #expect(
            target.respond(to: Support.patch("u-3999", "{\"op\": \"replace\", \"path\": \"active\", \"value\": false}"))
                .status == 204)
        let expected = target.snapshotBytes(source: nil)
        #expect(expected.count > 2 * OfflineSnapshotWriter.chunkSize)
        let out = try Support.temporaryDirectory().appendingPathComponent("large.json").path
        try target.writeSnapshot(to: out, source: nil)
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(written == expected)
        let (info, read) = try SnapshotReader.read(path: out)
        #expect(info.totalResults == 3999)
        #expect(read.count == 3999)
        #expect(read.last?.active == false)
    }

    @Test("untouched users are copied byte for byte, whatever their layout")
    func untouchedByteIdentical() throws {
        let odd =
            "{ \"id\" : \"u-9\",\n\t\"userName\":\"odd@contoso.com\" ,\"title\":\"caf\\u00e9 \\\"x\\\"\",\"n\":1.50e1 }"
        let target = try Support.target(Support.defaultUsers + [odd])
        #expect(target.respond(to: SCIMRequest(method: "DELETE", path: "/Users/u-3")).status == 204)
        let bytes = target.snapshotBytes(source: "https://other.example/scim/v2")
        #expect(range(of: Array(odd.utf8), in: bytes) != nil)
        #expect(range(of: Array(Support.alice.utf8), in: bytes) != nil)
        #expect(range(of: Array(Support.bob.utf8), in: bytes) != nil)
        #expect(range(of: Array("\"u-3\"".utf8), in: bytes) == nil)
        #expect(range(of: Array("\"source\": \"https://other.example/scim/v2\"".utf8), in: bytes) != nil)
    }

    @Test("an unchanged target writes every user back as it was read")
    func unchangedRoundTrip() throws {
        let path = try Support.writeSnapshot(Support.teprovSnapshot(Support.defaultUsers))
        let target = try OfflineSCIMTarget(snapshotPath: path, expectedSHA256: nil)
        let out = try Support.temporaryDirectory().appendingPathComponent("same.json").path
        try target.writeSnapshot(to: out, source: nil)
        let options = SnapshotReader.Options(keepRawResources: true)
        let (_, before) = try SnapshotReader.read(path: path, options: options)
        let (_, after) = try SnapshotReader.read(path: out, options: options)
        #expect(before.map(\.rawResource) == after.map(\.rawResource))
        #expect(after.count == 3)
    }

    @Test(
        "ListResponse, pages and plain arrays load as SnapshotReader reads them",
        arguments: [
            "{\"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"], \"totalResults\": 3, \"Resources\": [USERS]}",
            "[{\"totalResults\": 3, \"Resources\": [USERS]}]",
            "[USERS]",
        ])
    func otherFormats(template: String) throws {
        let text = template.replacingOccurrences(of: "USERS", with: Support.defaultUsers.joined(separator: ","))
        let path = try Support.writeSnapshot(text)
        let target = try OfflineSCIMTarget(snapshotPath: path, expectedSHA256: SHA256Digest.hex(ofFile: path))
        #expect(target.userCount == 3)
        #expect(target.respond(to: Support.get("/Users/u-2")).body == Array(Support.bob.utf8))
        let out = try Support.temporaryDirectory().appendingPathComponent("out.json").path
        try target.writeSnapshot(to: out, source: nil)
        let (info, users) = try SnapshotReader.read(path: out)
        #expect(info.format == SnapshotInfo.teprovSnapshot)
        #expect(info.source == nil)
        #expect(users.map(\.id) == ["u-1", "u-2", "u-3"])
    }

    @Test("a snapshot whose SHA-256 differs from the plan's is refused for safety, naming the file")
    func digestMismatch() throws {
        let path = try Support.writeSnapshot(Support.teprovSnapshot(Support.defaultUsers))
        let recorded = try SHA256Digest.hex(ofFile: path)
        try Data(Support.teprovSnapshot([Support.alice]).utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try OfflineSCIMTarget(snapshotPath: path, expectedSHA256: recorded)
            Issue.record("a changed snapshot was accepted")
        } catch let error as TeprovError {
            #expect(error.code == .safety)
            #expect(error.file == path)
            #expect(error.message.contains("changed since the plan was made"))
        }
    }

    @Test("the recorded digest may carry a sha256: prefix and upper-case hex")
    func digestForms() throws {
        let path = try Support.writeSnapshot(Support.teprovSnapshot(Support.defaultUsers))
        let hex = try SHA256Digest.hex(ofFile: path)
        let target = try OfflineSCIMTarget(snapshotPath: path, expectedSHA256: "sha256:" + hex.uppercased())
        #expect(target.userCount == 3)
        #expect(target.displayName == path)
    }

    @Test("a missing snapshot is an I/O error; a malformed one an input error")
    func unreadable() throws {
        let directory = try Support.temporaryDirectory()
        #expect(throws: TeprovError.self) {
            _ = try OfflineSCIMTarget(
                snapshotPath: directory.appendingPathComponent("none.json").path, expectedSHA256: nil)
        }
        let path = try Support.writeSnapshot("{\"formatVersion\": 1, \"users\": [")
        do {
            _ = try OfflineSCIMTarget(snapshotPath: path, expectedSHA256: nil)
            Issue.record("a truncated snapshot was accepted")
        } catch let error as TeprovError {
            #expect(error.code == .input)
        }
    }

    @Test(
        "an incomplete snapshot (planned with --allow-incomplete-snapshot) loads, and the result says complete: false")
    func incomplete() throws {
        let text = "{\"formatVersion\": 1, \"complete\": false, \"totalResults\": 5, \"users\": [\(Support.bob)]}"
        let target = try OfflineSCIMTarget(snapshotPath: try Support.writeSnapshot(text), expectedSHA256: nil)
        let out = try Support.temporaryDirectory().appendingPathComponent("out.json").path
        try target.writeSnapshot(to: out, source: nil)
        let (info, users) = try SnapshotReader.read(path: out, options: .init(allowIncomplete: true))
        #expect(!info.complete)
        #expect(users.map(\.id) == ["u-2"])
    }

    @Test("an empty snapshot takes creates and writes them")
    func emptySnapshot() throws {
        let target = try Support.target([])
        #expect(
            target.respond(to: Support.body("POST", "/Users", "{\"userName\": \"first@contoso.com\"}")).status == 201)
        let bytes = target.snapshotBytes(source: nil)
        let (info, users) = try SnapshotReader.read(bytes: bytes, sourceName: "out")
        #expect(info.totalResults == 1)
        #expect(users.map(\.id) == ["offline-1"])
        let none = try Support.target([])
        let (_, nobody) = try SnapshotReader.read(bytes: none.snapshotBytes(source: nil), sourceName: "out")
        #expect(nobody.isEmpty)
    }
}
