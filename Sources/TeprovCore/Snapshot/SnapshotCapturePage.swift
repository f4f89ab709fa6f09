/// One `GET /Users` answer (a SCIM ListResponse, RFC 7644 §3.4.2) read for `teprov snapshot`:
/// its `totalResults` and where each user's JSON sits in the body, so the users can be written to
/// the snapshot byte for byte without building a `JSONValue` per user.
struct SnapshotCapturePage {
    /// One user of `Resources`: its SCIM `id` and the byte range of its object in the body.
    struct User {
        var id: String
        var range: Range<Int>
    }

    /// The page's `totalResults`.
    var totalResults: Int
    var users: [User]
    /// The answer's body, which `users`' ranges point into.
    var body: [UInt8]

    /// Reads a ListResponse body with the streaming tokenizer.
    /// - Parameter sourceName: the request URL, for error messages.
    /// - Parameter readsUsers: `false` skips `Resources` (the final `totalResults` check).
    /// - Throws: `TeprovError(.input)` for malformed JSON, a body that is not a ListResponse, a
    ///   missing or negative `totalResults`, or a user without a string `id`.
    static func parse(body: [UInt8], sourceName: String, readsUsers: Bool = true) throws -> SnapshotCapturePage {
        // An in-memory tokenizer's buffer offsets are offsets in `body`: users' ranges come from them.
        let tokenizer = JSONTokenizer(bytes: body, sourceName: sourceName, inputNoun: "response")
        guard try tokenizer.next() == .beginObject else {
            throw notAListResponse(sourceName, "is not a JSON object")
        }
        var totalResults: Int?
        var users: [User] = []
        while try tokenizer.next() == .key {
            if tokenizer.keyEqualsIgnoringCase("totalResults") {
                totalResults = try readCount(tokenizer)
            } else if tokenizer.keyEqualsIgnoringCase("Resources"), readsUsers {
                users = try readUsers(tokenizer)
            } else {
                try tokenizer.skipValue()
            }
        }
        try tokenizer.expectEndOfInput()
        // RFC 7644 lets a server leave out an empty Resources: no users then.
        guard let totalResults else {
            throw notAListResponse(sourceName, "has no totalResults")
        }
        return SnapshotCapturePage(totalResults: totalResults, users: users, body: body)
    }

    private static func readCount(_ tokenizer: JSONTokenizer) throws -> Int {
        let token = try tokenizer.next()
        guard token == .number, let value = tokenizer.int64Value(), value >= 0, value <= Int64(Int32.max) else {
            if token.startsValue { try tokenizer.skipValue(startingWith: token) }
            throw TeprovError(
                .input,
                "the server's totalResults is not a count (a whole number of 0 or more); check that --url is a SCIM endpoint",
                file: tokenizer.sourceName, line: tokenizer.line)
        }
        return Int(value)
    }

    private static func readUsers(_ tokenizer: JSONTokenizer) throws -> [User] {
        let token = try tokenizer.next()
        if token == .null { return [] }
        guard token == .beginArray else {
            throw TeprovError(
                .input, "the server's Resources is not an array of users; check that --url is a SCIM endpoint",
                file: tokenizer.sourceName, line: tokenizer.line)
        }
        var users: [User] = []
        while true {
            let element = try tokenizer.next()
            if element == .endArray { return users }
            guard element == .beginObject else {
                throw TeprovError(
                    .input,
                    "the server's Resources holds a value that is not a user object; check that --url is a SCIM endpoint",
                    file: tokenizer.sourceName, line: tokenizer.line)
            }
            users.append(try readUser(tokenizer))
        }
    }

    /// Reads one user object (its `{` just read), keeping its `id` and its byte range.
    private static func readUser(_ tokenizer: JSONTokenizer) throws -> User {
        let start = tokenizer.position - 1
        let line = tokenizer.line
        var id: String?
        while try tokenizer.next() == .key {
            if tokenizer.keyEqualsIgnoringCase("id") {
                let token = try tokenizer.next()
                if token == .string, tokenizer.stringByteCount > 0 {
                    id = tokenizer.stringValue()
                } else if token.startsValue {
                    try tokenizer.skipValue(startingWith: token)
                }
            } else {
                try tokenizer.skipValue()
            }
        }
        guard let id else {
            throw TeprovError(
                .input,
                "the server served a user without a string \"id\", which a snapshot cannot pair with plans; check that --url is a SCIM endpoint",
                file: tokenizer.sourceName, line: line)
        }
        return User(id: id, range: start..<tokenizer.position)
    }

    private static func notAListResponse(_ sourceName: String, _ problem: String) -> TeprovError {
        TeprovError(
            .input,
            "the server's answer \(problem), so it is not a SCIM ListResponse; check that --url is the SCIM base URL (e.g. https://api.thousandeyes.com/scim/v2)",
            file: sourceName)
    }
}
