#if canImport(Glibc)
    import Glibc
#endif

/// What an existing journal file holds, read once when the journal is opened.
struct JournalContents: Sendable {
    /// The digest on the first line, or `nil` when the file holds no complete header (new, empty, or a
    /// creation that crashed before its header reached the disk).
    var planDigest: String?
    var states: [String: JournalEntryState] = [:]
    /// Bytes worth keeping: everything after them is a torn last line, never acknowledged to a caller.
    var validLength: Int = 0
    var fileLength: Int = 0
}

/// Reads a journal file line by line, in chunks, into the state of every operation.
///
/// A line that does not parse is only forgiven when it is the last one: a write cut short by a
/// crash. Every write returns to its caller only after the line and its newline are fsync'ed, so a
/// torn line was never acted on (its request never went out, or its outcome is settled again).
struct JournalReader {
    let path: String
    let descriptor: Int32
    var chunkSize = 1 << 20

    /// The prefix every journal starts with; a torn first line must be a piece of it.
    static let headerPrefix = Array("{\"journal\":\"teprov-apply\"".utf8)

    func read() throws -> JournalContents {
        var contents = JournalContents()
        var carry: [UInt8] = []
        var offset = 0  // file offset of `carry[0]`
        var lineNumber = 0
        var unparsed: (line: Int, offset: Int, bytes: [UInt8], terminated: Bool)?
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = try readChunk(into: &chunk, at: offset + carry.count)
            if count == 0 { break }
            carry.append(contentsOf: chunk[0..<count])
            var lineStart = 0
            while let newline = carry[lineStart...].firstIndex(of: 0x0A) {
                lineNumber += 1
                if let previous = unparsed { throw invalidLine(previous.line) }
                let line = Array(carry[lineStart..<newline])
                if !apply(line, lineNumber: lineNumber, to: &contents) {
                    unparsed = (lineNumber, offset + lineStart, line, true)
                }
                lineStart = newline + 1
            }
            carry.removeFirst(lineStart)
            offset += lineStart
        }
        contents.fileLength = offset + carry.count
        contents.validLength = offset
        if !carry.isEmpty {
            // An unterminated last line: never acknowledged, so ignored even when it parses.
            if let previous = unparsed { throw invalidLine(previous.line) }
            unparsed = (lineNumber + 1, offset, carry, false)
        }
        if let torn = unparsed {
            // A complete first line that is no header of this version belongs to something else (or a
            // newer teprov): never truncate it.
            if torn.line == 1 && (torn.terminated || !Self.couldBeTornHeader(torn.bytes)) { throw notAJournal() }
            contents.validLength = torn.offset
        }
        return contents
    }

    /// Records one complete line; `false` when it is not a journal line of this version.
    private func apply(_ line: [UInt8], lineNumber: Int, to contents: inout JournalContents) -> Bool {
        let tokenizer = JSONTokenizer(bytes: line, sourceName: path)
        guard let value = try? tokenizer.readValue(), (try? tokenizer.expectEndOfInput()) != nil,
            let decoded = JournalLine(value)
        else { return false }
        switch decoded {
        case .header(let digest, _, _):
            guard lineNumber == 1 else { return false }
            contents.planDigest = digest
        case .run:
            guard lineNumber > 1 else { return false }
        case .sent(let operationID, let attempt, _):
            guard lineNumber > 1 else { return false }
            contents.states[operationID] = .sentWithoutOutcome(attempts: attempt)
        case .outcome(let outcome, _):
            guard lineNumber > 1 else { return false }
            contents.states[outcome.operationID] = .finished(outcome)
        }
        return true
    }

    /// `true` when `bytes` can be the start of a header whose write was cut short (so the file is a
    /// journal whose creation crashed, not some other file that must not be overwritten).
    static func couldBeTornHeader(_ bytes: [UInt8]) -> Bool {
        if bytes.count <= headerPrefix.count { return headerPrefix.starts(with: bytes) }
        return bytes.starts(with: headerPrefix)
    }

    private func readChunk(into buffer: inout [UInt8], at offset: Int) throws -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress, raw.count, off_t(offset))
            }
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw TeprovError(
                .io, "cannot be read (\(String(cString: strerror(errno)))); check the file and its permissions",
                file: path)
        }
    }

    private func invalidLine(_ line: Int) -> TeprovError {
        if line == 1 { return notAJournal() }
        return TeprovError(
            .input,
            "is not a valid teprov apply journal (this line is not a journal entry); restore it, or pass "
                + "--journal with a new path and settle the plan's operations by hand",
            file: path, line: line)
    }

    private func notAJournal() -> TeprovError {
        TeprovError(
            .input,
            "is not a teprov apply journal (format version 1); pass --journal with a path of its own", file: path,
            line: 1)
    }
}
