/// Writes the users of an offline apply as a teprov snapshot (SPEC §9):
///
/// ```
/// {
///   "formatVersion": 1,
///   "capturedAt": "...",
///   "source": "...",
///   "complete": true,
///   "totalResults": N,
///   "users": [ ... ]
/// }
/// ```
///
/// Users come in the store's order (snapshot order, then created users); deleted ones are left
/// out. An untouched user is copied as the snapshot's bytes; a changed one is written pretty at
/// the indentation of the array.
struct OfflineSnapshotWriter {
    var capturedAt: String
    /// The SCIM base URL the users belong to; left out when unknown.
    var source: String?
    /// `false` when the input snapshot missed users (read with `--allow-incomplete-snapshot`):
    /// the result misses the same users.
    var complete: Bool

    /// Bytes gathered before each hand-over to the file.
    static let chunkSize = 1 << 20

    /// The whole text in memory (tests, small stores).
    func bytes(of store: inout OfflineUserStore) -> [UInt8] {
        var whole: [UInt8] = []
        whole.reserveCapacity(store.text.count + 4096)
        write(of: &store) { whole.append(contentsOf: $0) }
        return whole
    }

    /// Hands the text to `sink` in chunks of about `chunkSize` bytes, in order, so that writing a million
    /// users holds one chunk, not a second copy of the snapshot.
    func write(of store: inout OfflineUserStore, to sink: ([UInt8]) throws -> Void) rethrows {
        var output: [UInt8] = []
        output.reserveCapacity(Self.chunkSize + 64 * 1024)
        output.append(contentsOf: "{\n  \"formatVersion\": 1,\n  \"capturedAt\": ".utf8)
        JSONValue.writeString(capturedAt, into: &output)
        if let source {
            output.append(contentsOf: ",\n  \"source\": ".utf8)
            JSONValue.writeString(source, into: &output)
        }
        output.append(contentsOf: ",\n  \"complete\": \(complete),\n  \"totalResults\": \(store.liveCount),".utf8)
        output.append(contentsOf: "\n  \"users\": [".utf8)
        var first = true
        for slot in store.liveSlots() {
            output.append(contentsOf: (first ? "\n    " : ",\n    ").utf8)
            first = false
            store.appendJSON(at: Int(slot), to: &output, style: .pretty, depth: 2)
            if output.count >= Self.chunkSize {
                try sink(output)
                output.removeAll(keepingCapacity: true)
            }
        }
        output.append(contentsOf: (first ? "]\n}\n" : "\n  ]\n}\n").utf8)
        try sink(output)
    }
}
