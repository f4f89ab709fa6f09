import Foundation

/// Reads the usual form of `--assignments` quickly: one Graph `appRoleAssignedTo` page,
/// `{"@odata.context": "...", "value": [{...}, ...]}`, whose assignments have only Graph's own members with
/// text (without escapes) or `null` values. It gives up on anything else, and the general export reader,
/// which knows every form and reports every problem, then reads the file instead.
///
/// On the files it accepts it gives exactly the assignments the general reader gives (values trimmed and in
/// NFC by the same function, `line` the line of the object's `{`), and no diagnostic (the general reader has
/// none for them either). It skips the members nobody reads eight bytes at a time instead of tokenizing them.
enum GraphAssignmentPageReader {
    /// Graph's members of an `appRoleAssignment`, as `"name"`, and the slot of the five an assignment keeps.
    static let members: [(quotedName: [UInt8], slot: Int)] = [
        ("id", -1), ("deletedDateTime", 4), ("appRoleId", 2), ("createdDateTime", -1),
        ("principalDisplayName", 3), ("principalId", 0), ("principalType", 1), ("resourceDisplayName", -1),
        ("resourceId", -1),
    ].map { (Array("\"\($0.0)\"".utf8), $0.1) }

    /// The longest assignment object this reader takes (Graph's are about 400 bytes).
    static let maximumObjectSize = 8192

    /// Hands each assignment of `path` to `onAssignment`.
    /// - Returns: `false` when the file is not in the form this reader takes; assignments already handed
    ///   over must then be discarded and the file read with the general reader.
    /// - Throws: `TeprovError(.io)` when the file cannot be read.
    static func read(
        path: String, chunkSize: Int = 1 << 20, onAssignment: (consuming AppRoleAssignment) -> Void
    ) throws
        -> Bool
    {
        var page = PageParser(input: try ChunkedInput(path: path, chunkSize: chunkSize), path: path)
        var lastRole = RepeatedText()
        return try page.read(
            { raw, bytes in raw.assignment(in: bytes, file: path, lastRole: &lastRole) }, onAssignment)
    }

    /// `read(path:chunkSize:onAssignment:)` giving each assignment as the entitlement index needs it (the
    /// same assignments: `CompactAssignment(_:roles:)` of each, with role ids numbered from the file's start).
    static func readCompact(
        path: String, chunkSize: Int = 1 << 20, onAssignment: (consuming CompactAssignment) -> Void
    ) throws -> Bool {
        var page = PageParser(input: try ChunkedInput(path: path, chunkSize: chunkSize), path: path)
        var roles = RoleInterning()
        return try page.read({ raw, bytes in raw.compact(in: bytes, roles: &roles) }, onAssignment)
    }

    /// `readCompact(path:onAssignment:)` with the parsing on another thread: assignments reach `onAssignment`
    /// on the calling thread, in file order, in batches handed over as they are parsed (on two cores,
    /// building the entitlement index overlaps reading the file). Same result and errors as `readCompact`.
    static func readInBackground(path: String, onAssignment: (CompactAssignment) -> Void) throws -> Bool {
        let handoff = BatchHandoff<CompactAssignment>(capacity: 8)
        let outcome = BackgroundWork { () throws -> Bool in
            defer { handoff.end() }
            var batch: [CompactAssignment] = []
            batch.reserveCapacity(Self.batchSize)
            let read = try Self.readCompact(path: path) { (assignment: consuming CompactAssignment) in
                batch.append(assignment)
                if batch.count == Self.batchSize {
                    handoff.put(batch)
                    batch = []
                    batch.reserveCapacity(Self.batchSize)
                }
            }
            if !batch.isEmpty { handoff.put(batch) }
            return read
        }
        while let batch = handoff.take() {
            batch.withUnsafeBufferPointer { assignments in
                for index in assignments.indices { onAssignment(assignments[index]) }
            }
        }
        return try outcome.value()
    }

    private static let batchSize = 4096

    /// The file in a window of bytes, read in chunks.
    final class ChunkedInput {
        private let reader: RawFileReader
        private var chunk: [UInt8] = []
        private(set) var bytes: [UInt8] = []
        private var exhausted = false

        /// The whole file has been loaded.
        var isExhausted: Bool { exhausted }

        init(path: String, chunkSize: Int) throws {
            reader = try RawFileReader(path: path, chunkSize: chunkSize)
        }

        /// Drops the bytes before `start` and loads until `count` bytes from it are there or the file ends.
        /// - Returns: the new index of `start` (0).
        func load(from start: Int, count: Int) throws -> Int {
            guard bytes.count - start < count else { return start }
            bytes.removeSubrange(0..<start)
            while bytes.count < count, !exhausted {
                if try reader.read(into: &chunk) { bytes.append(contentsOf: chunk) } else { exhausted = true }
            }
            return 0
        }
    }

    /// A value's raw bytes and its text, to reuse the text when the same bytes come again.
    struct RepeatedText {
        var bytes: [UInt8] = []
        var text: String?

        /// `raw` is the last bytes given to `text(of:)`.
        @inline(__always)
        func repeats(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
            guard text != nil, raw.count == bytes.count, let base = raw.baseAddress else { return false }
            return bytes.withUnsafeBufferPointer { kept in
                kept.baseAddress.map { memcmp(base, $0, raw.count) == 0 } ?? false
            }
        }

        /// The text of `raw` (as `JSONTextValue.normalized` gives it), reused when `raw` repeats the last bytes.
        mutating func text(of raw: UnsafeBufferPointer<UInt8>) -> String? {
            if repeats(raw) { return text }
            bytes = Array(raw)
            text = JSONTextValue.normalized(raw)
            return text
        }
    }

    /// Numbers role ids (as `JSONTextValue.normalized` gives them) in the order they are first met, as
    /// `CompactAssignment.RoleNumbering` does, looking at the bytes only while the same role id repeats.
    struct RoleInterning {
        private var last = RepeatedText()
        private var lastNumber: Int32 = 0
        private var numbering = CompactAssignment.RoleNumbering()

        /// The number of a role id given by its raw bytes (`nil`: Default Access), and the id when it is new.
        mutating func number(_ raw: UnsafeBufferPointer<UInt8>?) -> (role: Int32, newRoleId: String?) {
            guard let raw else { return numbering.number(AppRoleAssignment.defaultAccessRoleId) }
            if last.repeats(raw) { return (lastNumber, nil) }
            let numbered = numbering.number(last.text(of: raw) ?? AppRoleAssignment.defaultAccessRoleId)
            lastNumber = numbered.role
            return numbered
        }
    }

    /// What follows an assignment object.
    enum Separator {
        case more, last, invalid
    }

    /// The page around the assignments.
    struct PageParser {
        let input: ChunkedInput
        let path: String
        private var position = 0
        private var line = 1

        init(input: ChunkedInput, path: String) {
            self.input = input
            self.path = path
        }

        /// Makes the next `maximumObjectSize` bytes (or the rest of the file) available at `position`.
        private mutating func loadAhead() throws {
            position = try input.load(from: position, count: GraphAssignmentPageReader.maximumObjectSize)
        }

        /// Runs `body` on the loaded bytes from `position`, then advances by what it scanned.
        @inline(__always)
        private mutating func scan<Result>(_ body: (inout Scanner) -> Result) -> Result {
            let start = position
            let startLine = line
            return input.bytes.withUnsafeBufferPointer { bytes in
                var scanner = Scanner(bytes: bytes, position: start, line: startLine)
                let result = body(&scanner)
                position = scanner.position
                line = scanner.line
                return result
            }
        }

        /// Reads the page, making each assignment with `make` from its members' bytes (`nil`: not in this
        /// reader's form) and handing it to `onAssignment`.
        mutating func read<Assignment>(
            _ make: (RawAssignment, UnsafeBufferPointer<UInt8>) -> Assignment?,
            _ onAssignment: (consuming Assignment) -> Void
        ) throws -> Bool {
            try loadAhead()
            let opened = scan { scanner -> Bool in
                guard scanner.consume(UInt8(ascii: "{")) else { return false }
                // `"@odata.context": "..."` may come first; then `"value": [`.
                if scanner.key(Array("\"@odata.context\"".utf8)) {
                    guard scanner.string() != nil, scanner.consume(UInt8(ascii: ",")) else { return false }
                }
                return scanner.key(Array("\"value\"".utf8)) && scanner.consume(UInt8(ascii: "["))
            }
            guard opened else { return false }
            var count = 0
            while true {
                try loadAhead()
                // The assignment goes to `onAssignment` from inside the scan: nothing is copied on the way out.
                let next = scan { scanner -> Separator in
                    guard let raw = scanner.assignment(), let assignment = make(raw, scanner.bytes) else {
                        return .invalid
                    }
                    if scanner.consume(UInt8(ascii: ",")) {
                        onAssignment(assignment)
                        return .more
                    }
                    guard scanner.consume(UInt8(ascii: "]")) else { return .invalid }
                    onAssignment(assignment)
                    return .last
                }
                if next == .invalid { return false }
                count += 1
                if next == .last { break }
            }
            try loadAhead()
            guard count > 0, scan({ $0.consume(UInt8(ascii: "}")) }) else { return false }
            // Only whitespace may follow, up to the end of the file.
            while true {
                try loadAhead()
                guard scan({ $0.atEnd() }) else { return false }
                if input.isExhausted { return true }
            }
        }
    }

    /// Scans loaded bytes; every method gives up (returns `false` or `nil`) at the end of what is loaded.
    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position: Int
        var line: Int

        /// Skips JSON whitespace, counting lines as the tokenizer does (line feeds).
        @inline(__always)
        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x0A: line += 1
                case 0x20, 0x09, 0x0D: break
                default: return
                }
                position += 1
            }
        }

        @inline(__always)
        mutating func consume(_ expected: UInt8) -> Bool {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == expected else { return false }
            position += 1
            return true
        }

        /// Nothing but whitespace up to the end of what is loaded.
        mutating func atEnd() -> Bool {
            skipWhitespace()
            return position == bytes.count
        }

        /// `quotedKey` (with its quotes) and the colon after it, consumed when they are next.
        @inline(__always)
        mutating func key(_ quotedKey: [UInt8]) -> Bool {
            skipWhitespace()
            guard matches(quotedKey) else { return false }
            position += quotedKey.count
            return consume(UInt8(ascii: ":"))
        }

        @inline(__always)
        func matches(_ text: [UInt8]) -> Bool {
            guard bytes.count - position >= text.count, let base = bytes.baseAddress else { return false }
            return text.withUnsafeBufferPointer { wanted in
                wanted.baseAddress.map { memcmp(base + position, $0, text.count) == 0 } ?? true
            }
        }

        /// A string without escapes or control characters whose `"` is next: the range of its bytes.
        mutating func string() -> Range<Int>? {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), let base = bytes.baseAddress else {
                return nil
            }
            let start = position + 1
            var index = start
            let raw = UnsafeRawPointer(base)
            // Eight bytes at a time while none is a quote, a backslash, a control character or non-ASCII.
            while index + 8 <= bytes.count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if Self.hasByte(word, 0x22) | Self.hasByte(word, 0x5C) | Self.hasByteBelow(word, 0x20)
                    | (word & 0x8080_8080_8080_8080) != 0
                {
                    break
                }
                index += 8
            }
            var nonASCII = false
            while true {
                guard index < bytes.count else { return nil }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                if byte >= 0x80 { nonASCII = true }
                index += 1
            }
            if nonASCII {
                guard String(validating: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self) != nil
                else { return nil }
            }
            position = index + 1
            return start..<index
        }

        /// `null` next.
        @inline(__always)
        mutating func null() -> Bool {
            guard matches(Array("null".utf8)) else { return false }
            position += 4
            return true
        }

        @inline(__always)
        static func hasByte(_ word: UInt64, _ byte: UInt8) -> UInt64 {
            let spread = word ^ (UInt64(byte) &* 0x0101_0101_0101_0101)
            return (spread &- 0x0101_0101_0101_0101) & ~spread & 0x8080_8080_8080_8080
        }

        /// Non-zero when a byte is below `limit` (at most 0x80).
        @inline(__always)
        static func hasByteBelow(_ word: UInt64, _ limit: UInt8) -> UInt64 {
            (word &- UInt64(limit) &* 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
        }

        /// One assignment object, from its `{` through its `}`: where its kept members' values are.
        mutating func assignment() -> RawAssignment? {
            skipWhitespace()
            let objectLine = line
            guard consume(UInt8(ascii: "{")) else { return nil }
            var raw = RawAssignment(line: objectLine)
            var seen = 0  // bit per member of `members`
            var expected = 0  // members usually come in Graph's order
            let members = GraphAssignmentPageReader.members
            repeat {
                skipWhitespace()
                var member: Int?
                if expected < members.count, matches(members[expected].quotedName) {
                    member = expected
                    position += members[expected].quotedName.count
                } else {
                    guard let name = string() else { return nil }
                    member = members.firstIndex { candidate in
                        candidate.quotedName.count == name.count + 2
                            && candidate.quotedName.dropFirst().dropLast().elementsEqual(bytes[name])
                    }
                }
                guard let member, seen & (1 << member) == 0, consume(UInt8(ascii: ":")) else { return nil }
                seen |= 1 << member
                expected = member + 1
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "n") {
                    guard null() else { return nil }
                    continue
                }
                guard let range = string() else { return nil }
                switch members[member].slot {
                case 0: raw.principalId = range
                case 1: raw.principalType = range
                case 2: raw.appRoleId = range
                case 3: raw.principalDisplayName = range
                case 4: raw.deletedDateTime = range
                default: continue
                }
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")) else { return nil }
            return raw
        }
    }

    /// The kept members of an assignment object, as ranges of the scanned bytes (`nil`: `null` or absent).
    struct RawAssignment {
        var principalId: Range<Int>?
        var principalType: Range<Int>?
        var appRoleId: Range<Int>?
        var principalDisplayName: Range<Int>?
        var deletedDateTime: Range<Int>?
        var line: Int

        init(line: Int) {
            self.line = line
        }

        /// The value of a member, as the general reader gives it (trimmed, in NFC; `nil` when blank).
        @inline(__always)
        static func text(_ range: Range<Int>?, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
            range.flatMap { JSONTextValue.normalized(UnsafeBufferPointer(rebasing: bytes[$0])) }
        }

        /// The principal type, as the general reader reads it (any letter case), or `nil`.
        func type(in bytes: UnsafeBufferPointer<UInt8>) -> AppRoleAssignment.PrincipalType? {
            guard let range = principalType else { return nil }
            let raw = UnsafeBufferPointer(rebasing: bytes[range])
            if raw.elementsEqual("User".utf8) { return .user }
            guard let text = JSONTextValue.normalized(raw) else { return nil }
            return AppRoleAssignment.PrincipalType(rawValue: text)
                ?? AppRoleAssignment.PrincipalType.allCases.first(where: {
                    $0.rawValue.lowercased() == text.lowercased()
                })
        }

        /// The assignment as the general reader gives it.
        /// - Parameter lastRole: the role id read last, reused when this object has the same (assignments
        ///   repeat a handful of roles).
        func assignment(in bytes: UnsafeBufferPointer<UInt8>, file: String, lastRole: inout RepeatedText)
            -> AppRoleAssignment?
        {
            guard let principalId = Self.text(principalId, in: bytes), let type = type(in: bytes) else { return nil }
            let role = appRoleId.flatMap { lastRole.text(of: UnsafeBufferPointer(rebasing: bytes[$0])) }
            return AppRoleAssignment(
                principalId: principalId, principalType: type,
                appRoleId: role ?? AppRoleAssignment.defaultAccessRoleId,
                principalDisplayName: Self.text(principalDisplayName, in: bytes),
                deletedDateTime: Self.text(deletedDateTime, in: bytes), file: file, line: line)
        }

        /// `CompactAssignment(assignment(in:file:lastRole:), roles:)`, without making the texts it does not keep:
        /// a GUID principal id of 36 bytes is parsed from its bytes.
        func compact(in bytes: UnsafeBufferPointer<UInt8>, roles: inout RoleInterning) -> CompactAssignment? {
            guard let idRange = principalId, let type = type(in: bytes) else { return nil }
            let isGroup = type == .group
            var guid: (UInt64, UInt64)?
            var text: String?
            if idRange.count == 36, !isGroup {
                guid = EntitlementKeyTable.guid(UnsafeBufferPointer(rebasing: bytes[idRange]))
            }
            if guid == nil {
                guard let id = Self.text(idRange, in: bytes) else { return nil }
                guid = EntitlementKeyTable.guid(id)
                if guid == nil || isGroup { text = id }
            }
            let role = roles.number(appRoleId.map { UnsafeBufferPointer(rebasing: bytes[$0]) })
            return CompactAssignment(
                principalGUID: guid, principalText: text, principalType: type, role: role.role,
                newRoleId: role.newRoleId,
                principalDisplayName: isGroup ? Self.text(principalDisplayName, in: bytes) : nil,
                isDeleted: Self.text(deletedDateTime, in: bytes) != nil, line: line)
        }
    }
}
