#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A snapshot read for `diff`: the file's whole text (UTF-8) and where each user lies in it.
///
/// Users are compared by their JSON text first, so the text is kept whole (mapped from the page
/// cache, no per-user copies) and a user is parsed into attributes only when its text differs from
/// its counterpart's.
struct DiffSnapshot: Sendable {
    /// The file as named on the command line (for messages).
    let name: String
    /// `SnapshotInfo.format` of the file (`teprov-snapshot`, `thousandeyes-v7`, ...).
    let format: String
    /// The file's text as UTF-8, without a byte-order mark (UTF-16 is transcoded).
    let text: DiffInputText
    /// The users in file order.
    let users: [DiffUserRecord]
    /// `id`s and userNames that had JSON escapes, decoded (`DiffTextRef.isDecoded`).
    let decodedTexts: [String]
    /// Why the file may miss users (an incomplete capture), for the warning `diff` prints.
    let incompleteness: DiffNote?

    /// `true` for a ThousandEyes v7 `GET /users` export, whose users are read in SCIM terms.
    var isThousandEyesV7: Bool { format == SnapshotInfo.thousandEyesV7 }

    /// Reads the snapshot file at `path`.
    /// - Throws: `TeprovError(.io)` when it cannot be read, `TeprovError(.input)` when it is not a snapshot.
    static func read(path: String, chunkSize: Int = 1 << 20) throws -> DiffSnapshot {
        let text = try DiffInputText.load(path: path)
        // A regular file is read a second time by the streaming tokenizer (no second copy in memory);
        // a pipe (`<(command)`) cannot be, so its text, small in practice, is tokenized in memory.
        let reader =
            text.isRegularFile
            ? try DiffSnapshotReader(path: path, chunkSize: chunkSize)
            : DiffSnapshotReader(tokenizer: JSONTokenizer(bytes: Array(text.bytes), sourceName: path))
        let format = try reader.read()
        guard reader.consumedBytes == text.count else {
            throw TeprovError(
                .io, "changed while teprov was reading it; run teprov diff again once nothing writes to it",
                file: path)
        }
        return DiffSnapshot(
            name: path, format: format, text: text, users: reader.users, decodedTexts: reader.decodedTexts,
            incompleteness: reader.incompleteness(format: format))
    }

    // MARK: Reading users' text

    /// Calls `body` with the bytes `ref` names in user `index`'s text, or returns `nil` when absent.
    @inline(__always)
    func withBytes<Result>(_ ref: DiffTextRef, ofUser index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result)
        -> Result?
    {
        guard !ref.isAbsent else { return nil }
        if ref.isDecoded {
            var decoded = decodedTexts[Int(-(ref.location + 1))]
            return decoded.withUTF8(body)
        }
        let start = users[index].start + Int(ref.location)
        return body(UnsafeBufferPointer(rebasing: text.bytes[start..<(start + Int(ref.length))]))
    }

    /// The text `ref` names in user `index`, or `nil` when absent.
    func string(_ ref: DiffTextRef, ofUser index: Int) -> String? {
        withBytes(ref, ofUser: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// User `index`'s `id` (a v7 user's `uid`).
    func id(ofUser index: Int) -> String { string(users[index].id, ofUser: index) ?? "" }

    /// User `index`'s userName (a v7 user's `email`), or `nil`.
    func userName(ofUser index: Int) -> String? { string(users[index].userName, ofUser: index) }

    /// Calls `body` with user `index`'s whole JSON text, `{` to `}`.
    @inline(__always)
    func withUserText<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let user = users[index]
        return body(UnsafeBufferPointer(rebasing: text.bytes[user.start..<user.end]))
    }

    /// `true` when user `index` here and user `otherIndex` of `other` have byte-identical JSON text.
    @inline(__always)
    func hasSameText(_ index: Int, as otherIndex: Int, in other: DiffSnapshot) -> Bool {
        let lhs = users[index]
        let rhs = other.users[otherIndex]
        let count = lhs.end - lhs.start
        guard count == rhs.end - rhs.start else { return false }
        guard let mine = text.bytes.baseAddress, let theirs = other.text.bytes.baseAddress else { return count == 0 }
        return memcmp(mine + lhs.start, theirs + rhs.start, count) == 0
    }
}
