import Foundation
import Testing

@testable import TeprovCore

/// Reading a snapshot for `diff`: each user's text is found exactly, whatever the chunk boundaries,
/// the encoding, escapes or numeric ids.
@Suite("Diff: reading snapshots")
struct DiffSnapshotReaderTests {
    typealias Input = DiffTestInput

    /// Users whose text crosses every chunk boundary of a 7-byte chunk, with escapes and a numeric id.
    static let users = [
        Input.user("1001", "adele.vance@contoso.com", #""name": {"formatted": "Adele Vance"}"#),
        #"{"id": 1002, "userName": "Zo\u00e9.Caf\u00e9@contoso.com", "emails": [{"value": "z@x", "type": "work"}]}"#,
        #"{"id": "10\"03", "userName": "lee@contoso.com", "displayName": "Lee \"the\" Admin"}"#,
    ]

    @Test(arguments: [7, 64, 1 << 20])
    func everyUsersTextIsFoundWhateverTheChunkSize(chunkSize: Int) throws {
        let directory = try Input.directory()
        defer { Input.remove(directory) }
        let path = try Input.write(Input.snapshot(Self.users), "s.json", in: directory)
        let snapshot = try DiffSnapshot.read(path: path, chunkSize: chunkSize)
        #expect(snapshot.format == SnapshotInfo.teprovSnapshot)
        #expect(
            snapshot.users.indices.map { snapshot.withUserText($0) { String(decoding: $0, as: UTF8.self) } }
                == Self.users)
        #expect(snapshot.users.indices.map { snapshot.id(ofUser: $0) } == ["1001", "1002", "10\"03"])
        #expect(
            snapshot.users.indices.map { snapshot.userName(ofUser: $0) } == [
                "adele.vance@contoso.com", "Zoé.Café@contoso.com", "lee@contoso.com",
            ])
        #expect(snapshot.users.map(\.line) == [3, 4, 5])
    }

    @Test func aByteOrderMarkAndUTF16AreReadLikeUTF8() async throws {
        let directory = try Input.directory()
        defer { Input.remove(directory) }
        let text = Input.snapshot(Self.users)
        let plain = try Input.write(text, "plain.json", in: directory)
        let withBOM = directory.appendingPathComponent("bom.json")
        try Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)).write(to: withBOM)
        let utf16 = directory.appendingPathComponent("utf16.json")
        try #require(text.data(using: .utf16LittleEndian).map { Data([0xFF, 0xFE]) + $0 }).write(to: utf16)
        for other in [withBOM.path, utf16.path] {
            let result = try await SnapshotDiff.compare(oldPath: plain, newPath: other)
            #expect(!result.hasDifferences && result.unchanged == 3, "\(other)")
        }
    }

    @Test func aPipeIsReadOnceAndTokenizedInMemory() async throws {
        let directory = try Input.directory()
        defer { Input.remove(directory) }
        let fifo = directory.appendingPathComponent("pipe.json").path
        try #require(mkfifo(fifo, 0o600) == 0)
        let text = Input.snapshot(Self.users)
        // Like `<(command)`: the writer fills the pipe once; it cannot be read a second time.
        let writer = Thread {
            if let handle = FileHandle(forWritingAtPath: fifo) {
                handle.write(Data(text.utf8))
                try? handle.close()
            }
        }
        writer.start()
        let snapshot = try DiffSnapshot.read(path: fifo)
        #expect(
            snapshot.users.indices.map { snapshot.withUserText($0) { String(decoding: $0, as: UTF8.self) } }
                == Self.users)
    }

    @Test func aThousandEyesV7ExportTakesUidAsIdAndEmailAsUserName() throws {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let path = fixtures.appendingPathComponent("snapshot/thousandeyes-v7-users.json").path
        let snapshot = try DiffSnapshot.read(path: path)
        #expect(snapshot.isThousandEyesV7)
        #expect(snapshot.users.indices.map { snapshot.id(ofUser: $0) } == ["245", "246"])
        #expect(
            snapshot.users.indices.map { snapshot.userName(ofUser: $0) } == [
                "userx@thousandeyes.com", "usery@thousandeyes.com",
            ])
        #expect(snapshot.incompleteness == nil)
    }

    @Test(arguments: [
        ("", "is empty"),
        ("{\"formatVersion\": 2, \"users\": []}", "has formatVersion 2"),
        ("{\"users\": [{\"id\": \"1\"}]}", "has a \"users\" array but no formatVersion"),
        ("{\"id\": \"1\", \"userName\": \"a@x\"}", "holds one user object"),
        ("[1]", "not an object"),
    ])
    func whatSnapshotReaderRefusesIsRefused(text: String, message: String) async throws {
        let error = await Input.error(text, Input.snapshot([]))
        #expect(error?.code == .input)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
    }
}
