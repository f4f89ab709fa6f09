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
        return try page.read(onAssignment)
    }

    /// `read(path:onAssignment:)` with the parsing on another thread: assignments reach `onAssignment`
    /// on the calling thread, in file order, in batches handed over as they are parsed (on two cores,
    /// building the entitlement index overlaps reading the file). Same result and errors as `read`.
    static func readInBackground(path: String, onAssignment: (AppRoleAssignment) -> Void) throws -> Bool {
        let handoff = BatchHandoff<AppRoleAssignment>(capacity: 8)
        let outcome = BackgroundWork { () throws -> Bool in
            defer { handoff.end() }
            var batch: [AppRoleAssignment] = []
            batch.reserveCapacity(Self.batchSize)
            let read = try Self.read(path: path) { (assignment: consuming AppRoleAssignment) in
                batch.append(assignment)
                if batch.count == Self.batchSize {
                    handoff.put(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { handoff.put(batch) }
            return read
        }
        while let batch = handoff.take() {
            for assignment in batch { onAssignment(assignment) }
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

        /// The text of `raw` (as `JSONTextValue.normalized` gives it), reused when `raw` repeats the last bytes.
        mutating func text(of raw: UnsafeBufferPointer<UInt8>) -> String? {
            if let text, raw.elementsEqual(bytes) { return text }
            bytes = Array(raw)
            text = JSONTextValue.normalized(raw)
            return text
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

        mutating func read(_ onAssignment: (consuming AppRoleAssignment) -> Void) throws -> Bool {
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
            let path = self.path
            // The last role id read: assignments repeat a handful of roles, so its `String` is reused.
            var lastRole = RepeatedText()
            while true {
                try loadAhead()
                // The assignment goes to `onAssignment` from inside the scan: nothing is copied on the way out.
                let next = scan { scanner -> Separator in
                    guard let assignment = scanner.assignment(file: path, lastRole: &lastRole) else { return .invalid }
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

        /// One assignment object, from its `{` through its `}`.
        /// - Parameter lastRole: the role id read last, reused when this object has the same.
        mutating func assignment(file: String, lastRole: inout RepeatedText) -> AppRoleAssignment? {
            skipWhitespace()
            let objectLine = line
            guard consume(UInt8(ascii: "{")) else { return nil }
            // The five kept members, by slot (a tuple: no array to allocate per object).
            var values: (String?, String?, String?, String?, String?) = (nil, nil, nil, nil, nil)
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
                let slot = members[member].slot
                guard slot >= 0 else { continue }
                let raw = UnsafeBufferPointer(rebasing: bytes[range])
                let text = slot == 2 ? lastRole.text(of: raw) : JSONTextValue.normalized(raw)
                switch slot {
                case 0: values.0 = text
                case 1: values.1 = text
                case 2: values.2 = text
                case 3: values.3 = text
                default: values.4 = text
                }
            } while consume(UInt8(ascii: ","))
            // The values are moved out of the tuple (`take()`), not copied and then released with it.
            guard consume(UInt8(ascii: "}")), let principalId = values.0.take(), let typeText = values.1.take(),
                let type = AppRoleAssignment.PrincipalType(rawValue: typeText)
                    ?? AppRoleAssignment.PrincipalType.allCases.first(where: {
                        $0.rawValue.lowercased() == typeText.lowercased()
                    })
            else { return nil }
            return AppRoleAssignment(
                principalId: principalId, principalType: type,
                appRoleId: values.2.take() ?? AppRoleAssignment.defaultAccessRoleId,
                principalDisplayName: values.3.take(), deletedDateTime: values.4.take(), file: file, line: objectLine)
        }
    }
}
