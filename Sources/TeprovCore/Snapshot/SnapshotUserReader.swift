/// Reads SCIM user objects from a `JSONTokenizer` straight into `SnapshotUserFields`, on the hot
/// path of a million-user snapshot: member names are recognised from their bytes (ignoring case,
/// RFC 7643 §2.1), members nobody asked for are skipped unparsed, and no user is ever built as a
/// `JSONValue`.
final class SnapshotUserReader {
    let tokenizer: JSONTokenizer
    let layout: SnapshotAttributeLayout
    var interners: [StringInterner]

    init(tokenizer: JSONTokenizer, layout: SnapshotAttributeLayout) {
        self.tokenizer = tokenizer
        self.layout = layout
        self.interners = Array(repeating: StringInterner(), count: layout.storedPaths.count)
    }

    /// Fields to read users into (reset them before each user).
    func newFields() -> SnapshotUserFields {
        SnapshotUserFields(slots: layout.storedPaths.count)
    }

    /// Reads the remaining members of a user object, through its closing `}`.
    func readMembers(into fields: inout SnapshotUserFields) throws {
        while try tokenizer.next() == .key {
            try readMember(into: &fields)
        }
    }

    /// The members `TargetUser` always holds, and the ThousandEyes v7 ones.
    private enum MemberKind {
        case id, externalId, userName, active, emails, meta, name, uid, email, other
    }

    /// Reads the member whose key is the tokenizer's current token.
    func readMember(into fields: inout SnapshotUserFields) throws {
        switch memberKind() {
        case .id: fields.id = try readIdentifier()
        case .externalId: fields.externalId = try readText(reusing: nil)
        case .userName: fields.userName = try readText(reusing: fields.emails.first?.value)
        case .active: fields.active = try readBoolean() ?? true
        case .emails: try readEmails(into: &fields)
        case .meta: fields.version = try readMetaVersion()
        case .name: try readName(into: &fields)
        case .uid: fields.uid = try readIdentifier()
        case .email: fields.email = try readText(reusing: fields.userName)
        case .other: try readRequestedMember(into: &fields)
        }
    }

    @inline(__always)
    private func memberKind() -> MemberKind {
        tokenizer.withStringBytes { key in
            switch key.count {
            case 2: return Self.equal(key, "id") ? .id : .other
            case 3: return Self.equal(key, "uid") ? .uid : .other
            case 4: return Self.equal(key, "name") ? .name : Self.equal(key, "meta") ? .meta : .other
            case 5: return Self.equal(key, "email") ? .email : .other
            case 6: return Self.equal(key, "emails") ? .emails : Self.equal(key, "active") ? .active : .other
            case 8: return Self.equal(key, "username") ? .userName : .other
            case 10: return Self.equal(key, "externalid") ? .externalId : .other
            default: return .other
            }
        }
    }

    /// `true` when `key`, ASCII-lowercased, is `lowered` (a lower-case literal).
    @inline(__always)
    static func equal(_ key: UnsafeBufferPointer<UInt8>, _ lowered: StaticString) -> Bool {
        guard key.count == lowered.utf8CodeUnitCount else { return false }
        let expected = lowered.utf8Start
        for index in 0..<key.count where JSONTokenizer.asciiLowercase(key[index]) != expected[index] { return false }
        return true
    }

    // MARK: Scalars

    /// An identifier (`id`, `uid`) exactly as written: not trimmed, since it addresses the resource.
    /// A number is taken as its digits (ThousandEyes v6 wrote numeric ids); empty is absent.
    func readIdentifier() throws -> String? {
        let token = try tokenizer.next()
        switch token {
        case .string:
            guard tokenizer.stringByteCount > 0 else { return nil }
            return tokenizer.stringValue()
        case .number:
            return tokenizer.withNumberBytes { String(decoding: $0, as: UTF8.self) }
        default:
            try tokenizer.skipValue(startingWith: token)
            return nil
        }
    }

    /// A text value, NFC-normalized and trimmed (empty is absent); `candidate` is returned instead of
    /// a new string when the bytes equal it. Numbers give their digits, booleans `True`/`False`.
    func readText(reusing candidate: String?) throws -> String? {
        let token = try tokenizer.next()
        switch token {
        case .string:
            return try currentText(reusing: candidate)
        case .number:
            return tokenizer.withNumberBytes { String(decoding: $0, as: UTF8.self) }
        case .bool(let flag):
            return flag ? "True" : "False"
        default:
            try tokenizer.skipValue(startingWith: token)
            return nil
        }
    }

    /// The current string token as normalized text.
    @inline(__always)
    func currentText(reusing candidate: String?) throws -> String? {
        try tokenizer.withStringBytes { bytes in
            if let candidate, Self.bytes(bytes, equal: candidate) { return candidate }
            if Self.isTrimmedNFC(bytes) { return String(decoding: bytes, as: UTF8.self) }
            do {
                return try TextNormalization.value(bytes)
            } catch {
                throw tokenizer.failure("a string holds invalid UTF-8; re-export the snapshot as UTF-8")
            }
        }
    }

    /// `true` when the text is already in the form `TextNormalization` gives: it starts and ends
    /// with visible ASCII (nothing to trim) and has no scalar at or above U+0300 (every scalar below
    /// it is NFC as it stands), so names like "Anaïs Dupré" skip Foundation's normalization.
    @inline(__always)
    static func isTrimmedNFC(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F
        else { return false }
        // Lead bytes 0xCC and above start scalars from U+0300 on.
        for byte in bytes where byte >= 0xCC { return false }
        return true
    }

    @inline(__always)
    static func bytes(_ bytes: UnsafeBufferPointer<UInt8>, equal text: String) -> Bool {
        var text = text
        return text.withUTF8 { own in
            own.count == bytes.count && (own.count == 0 || memoryEqual(own, bytes))
        }
    }

    @inline(__always)
    private static func memoryEqual(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in 0..<lhs.count where lhs[index] != rhs[index] { return false }
        return true
    }

    /// A boolean: JSON `true`/`false`, or the text `true`/`false` in any letter case (Entra-legacy
    /// servers send `"False"`); anything else is `nil`.
    func readBoolean() throws -> Bool? {
        let token = try tokenizer.next()
        switch token {
        case .bool(let flag):
            return flag
        case .string:
            return tokenizer.withStringBytes { text in
                if Self.equal(text, "true") { return true }
                if Self.equal(text, "false") { return false }
                return nil
            }
        default:
            try tokenizer.skipValue(startingWith: token)
            return nil
        }
    }

    // MARK: Members every user needs

    /// `emails`: every entry with a value, with its type and primary flag.
    private func readEmails(into fields: inout SnapshotUserFields) throws {
        let token = try tokenizer.next()
        guard token == .beginArray else { return try tokenizer.skipValue(startingWith: token) }
        while true {
            let element = try tokenizer.next()
            if element == .endArray { return }
            guard element == .beginObject else {
                try tokenizer.skipValue(startingWith: element)
                continue
            }
            var value: String?
            var type: String?
            var primary = false
            while try tokenizer.next() == .key {
                let kind = tokenizer.withStringBytes { key -> Int in
                    Self.equal(key, "value") ? 0 : Self.equal(key, "type") ? 1 : Self.equal(key, "primary") ? 2 : 3
                }
                switch kind {
                case 0: value = try readText(reusing: fields.userName ?? fields.email)
                case 1: type = try readText(reusing: nil)
                case 2: primary = try readBoolean() ?? false
                default: try tokenizer.skipValue()
                }
            }
            if let value { fields.emails.append(TargetEmail(value: value, type: type, primary: primary)) }
        }
    }

    /// `meta.version`, the other `meta` members skipped.
    private func readMetaVersion() throws -> String? {
        let token = try tokenizer.next()
        guard token == .beginObject else {
            try tokenizer.skipValue(startingWith: token)
            return nil
        }
        var version: String?
        while try tokenizer.next() == .key {
            if tokenizer.keyEqualsIgnoringCase("version") {
                version = try readText(reusing: nil)
            } else {
                try tokenizer.skipValue()
            }
        }
        return version
    }

    /// `name`: the requested sub-attributes of the SCIM object, or a ThousandEyes v7 string.
    private func readName(into fields: inout SnapshotUserFields) throws {
        let token = try tokenizer.next()
        switch token {
        case .beginObject:
            guard !layout.nameParts.isEmpty else { return try tokenizer.skipToEndOfContainer() }
            try readRequestedMembers(of: layout.nameParts, into: &fields)
        case .string:
            fields.plainName = try currentText(reusing: nil)
        default:
            try tokenizer.skipValue(startingWith: token)
        }
    }
}
