/// What `teprov snapshot` captured (SPEC §9): the distinct users as served, byte for byte, and
/// whether they are all of them.
public struct CapturedSnapshot: Sendable {
    /// The SCIM base URL captured (written as `source`; never holds credentials).
    public var source: String
    /// When the capture started, ISO 8601 in UTC (`2026-11-30T08:00:00Z`).
    public var capturedAt: String
    /// `true` only when the distinct users equal the re-checked `totalResults` and no page was refused.
    public var complete: Bool
    /// The server's `totalResults` from the final check.
    public var totalResults: Int
    /// Why the capture is incomplete: how many users are missing and why (`nil` when complete).
    public var incompleteReason: String?
    /// Pages that served users, over all passes (the final `totalResults` checks excluded).
    public var pages: Int
    /// Passes over the users: more than one when users changed during the capture.
    public var passes: Int
    /// Every `totalResults` value the server gave, in order, without repeats.
    public var totalResultsSeen: [Int]

    /// The users' JSON, one after another; `userRanges` locate them.
    private var userText: [UInt8] = []
    private var userRanges: [Range<Int>] = []
    /// The users' ids, in the order first served.
    public private(set) var userIDs: [String] = []
    private var slotByID: [String: Int] = [:]

    init(source: String, capturedAt: String) {
        self.source = source
        self.capturedAt = capturedAt
        self.complete = false
        self.totalResults = 0
        self.pages = 0
        self.passes = 1
        self.totalResultsSeen = []
    }

    /// Number of distinct users captured.
    public var userCount: Int { userIDs.count }

    /// The JSON of the user with `id`, as served (the latest copy when it was served twice).
    public func userJSON(id: String) -> [UInt8]? {
        guard let slot = slotByID[id] else { return nil }
        return Array(userText[userRanges[slot]])
    }

    /// Adds a served user; a user already seen keeps its place and takes the newer text.
    /// - Returns: `true` when the id had not been seen before.
    @discardableResult
    mutating func add(id: String, json: ArraySlice<UInt8>) -> Bool {
        if let slot = slotByID[id] {
            // Served again (overlapping pages): keep the newer text, storing it only when it changed.
            if !userText[userRanges[slot]].elementsEqual(json) {
                let start = userText.count
                userText.append(contentsOf: json)
                userRanges[slot] = start..<userText.count
            }
            return false
        }
        let start = userText.count
        userText.append(contentsOf: json)
        let range = start..<userText.count
        slotByID[id] = userIDs.count
        userIDs.append(id)
        userRanges.append(range)
        return true
    }

    /// The snapshot file: `{"formatVersion": 1, "capturedAt", "source", "complete", "totalResults",
    /// ["incompleteReason",] "users": [...]}` with each user's JSON exactly as served, one per line.
    public func documentBytes() -> [UInt8] {
        let liveBytes = userRanges.reduce(0) { $0 + $1.count }
        var output: [UInt8] = []
        output.reserveCapacity(liveBytes + userRanges.count * 6 + 512)
        output.append(contentsOf: "{\n  \"formatVersion\": 1,\n  \"capturedAt\": ".utf8)
        JSONValue.writeString(capturedAt, into: &output)
        output.append(contentsOf: ",\n  \"source\": ".utf8)
        JSONValue.writeString(source, into: &output)
        output.append(contentsOf: ",\n  \"complete\": \(complete),\n  \"totalResults\": \(totalResults),\n".utf8)
        if let incompleteReason {
            output.append(contentsOf: "  \"incompleteReason\": ".utf8)
            JSONValue.writeString(incompleteReason, into: &output)
            output.append(contentsOf: ",\n".utf8)
        }
        output.append(contentsOf: "  \"users\": [".utf8)
        for (index, range) in userRanges.enumerated() {
            output.append(contentsOf: (index == 0 ? "\n    " : ",\n    ").utf8)
            output.append(contentsOf: userText[range])
        }
        output.append(contentsOf: (userRanges.isEmpty ? "]\n}\n" : "\n  ]\n}\n").utf8)
        return output
    }

    /// Writes `documentBytes()` atomically (temporary file, fsync, rename).
    /// - Throws: `TeprovError(.io)` when the file cannot be written.
    public func write(to path: String) throws {
        try AtomicFile.write(documentBytes(), to: path)
    }
}
