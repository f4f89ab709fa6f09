import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a plan file in one serialization pass (SPEC §7 "Plan file"): the JSON in the plan layout
/// (`JSONValue.Style.plan`) goes to the temporary file through a 1 MiB buffer and an `UncachedFileAppender`
/// (direct writes of whole blocks, around the page cache) while the same text without
/// its whitespace and without the `digest` member, which is the plan's canonical (RFC 8785) form, is
/// hashed. When sealing, the digest is then written into the 64 hex digits left for it, and the file is
/// fsync'ed and renamed into place.
///
/// Both texts are gathered in `ByteSink`s (pointer appends) rather than arrays. An operation is one line of
/// the file, without whitespace: that line is its canonical text, so the operations (nearly all of a large
/// plan) are serialized once and their lines hashed as they are.
///
/// The bytes are those of `plan.jsonValue().serialized(style: .plan)` for the sealed plan (members
/// are in canonical order at every level; an object that is not is sorted for both texts), and the
/// digest is `plan.computeDigest()`; `PlanFileWriterTests` holds both to that.
struct PlanFileWriter {
    /// The temporary file, written around the page cache where possible (`UncachedFileAppender`); `nil` in memory.
    private let output: UncachedFileAppender?
    private let fileText: ByteSink
    private var flushed = 0
    private let canonical: ByteSink
    private var hasher = SHA256()
    private let hashing: Bool
    /// Where the digest's 64 hex digits start in the file, once written.
    private var digestOffset: Int?
    /// The `errno` of the first write that failed (the output writes nothing after it).
    private var failure: Int32? { output?.failure }
    /// `true` for a writer that only gathers text (a chunk of operations serialized on another thread): it
    /// never writes to a file nor hashes, and keeps both texts until they are appended to the real writer.
    private let inMemory: Bool
    /// The plan's operations, which `writeOperationsInChunks` serializes on two threads.
    private var operations: [PlanOperation] = []
    private static let bufferSize = 1 << 20
    /// Operations per chunk serialized on another thread; smaller lists are written on this thread.
    static let operationChunkSize = 1024
    /// Containers at this depth and deeper are written on one line without whitespace: those inside an
    /// array's element (`Int.max` outside any).
    private var compactFrom = Int.max

    private init(descriptor: Int32, hashing: Bool) {
        output = UncachedFileAppender(descriptor: descriptor)
        self.hashing = hashing
        self.inMemory = false
        fileText = ByteSink(capacity: Self.bufferSize + 4096)
        canonical = ByteSink(capacity: hashing ? Self.bufferSize + 4096 : 0)
    }

    /// A writer that gathers the text of a chunk of operations in memory, in `texts` (emptied). Operations
    /// are compact, so their text is the file's and the canonical one at once: nothing else is gathered.
    private init(gathering texts: OperationChunks.Texts) {
        output = nil
        hashing = false
        inMemory = true
        fileText = texts.text
        canonical = ByteSink(capacity: 0)
        fileText.removeAll()
    }

    /// The long arrays of a plan, turned into JSON one element at a time while they are written, so the
    /// document's tree never holds every operation at once.
    /// Operations are written field by field (`writeOperation`), the same text `PlanOperation.jsonValue`
    /// serializes to, without building that tree.
    private var lazyArrays: [String: (count: Int, element: (inout PlanFileWriter, Int, Int) -> Void)] = [:]

    /// The plan's document without its long arrays (written from `lazyArrays`).
    private mutating func prepare(_ plan: Plan) -> JSONValue {
        operations = plan.operations
        lazyArrays = [
            "operations": (
                plan.operations.count,
                { writer, index, depth in
                    plan.operations.withUnsafeBufferPointer {
                        writer.writeOperation($0.baseAddress.unsafelyUnwrapped + index, depth: depth)
                    }
                }
            ),
            "skipped": (plan.skipped.count, { $0.write(plan.skipped[$1].jsonValue, depth: $2) }),
            "diagnostics": (plan.diagnostics.count, { $0.write(plan.diagnostics[$1].planJSONValue, depth: $2) }),
        ]
        var shell = plan
        shell.operations = []
        shell.skipped = []
        shell.diagnostics = []
        return shell.jsonValue(includeDigest: true)
    }

    /// Seals `plan` (computes its digest) while writing it to `path` atomically; returns the sealed plan.
    static func writeSealing(_ plan: Plan, to path: String) throws -> Plan {
        var placeholder = plan
        placeholder.digest = "sha256:" + String(repeating: "0", count: 64)
        var sealed = plan
        try AtomicFile.write(to: path) { descriptor in
            var writer = PlanFileWriter(descriptor: descriptor, hashing: true)
            let document = writer.prepare(placeholder)
            try writer.writeDocument(document)
            // The digest's place was written with the rest: it is overwritten through the page cache.
            let hex = SHA256Digest.hexString(writer.hasher.finalize())
            guard let offset = writer.digestOffset else { throw writer.ioError(EINVAL) }
            let written = Array(hex.utf8).withUnsafeBytes { pwrite(descriptor, $0.baseAddress, 64, off_t(offset)) }
            guard written == 64 else { throw writer.ioError(written < 0 ? errno : EIO) }
            sealed.digest = "sha256:" + hex
        }
        return sealed
    }

    /// Writes `plan` as it is (its recorded digest included) to `path` atomically.
    static func write(_ plan: Plan, to path: String) throws {
        try AtomicFile.write(to: path) { descriptor in
            var writer = PlanFileWriter(descriptor: descriptor, hashing: false)
            let document = writer.prepare(plan)
            try writer.writeDocument(document)
        }
    }

    private func ioError(_ code: Int32) -> PlanFileWriteError { PlanFileWriteError(code: code) }

    private mutating func writeDocument(_ document: JSONValue) throws {
        write(document, depth: 0, topLevel: true)
        fileText.append(0x0A as UInt8)
        flushFileText()
        output?.finish()
        if hashing { hashCanonical() }
        if let failure { throw ioError(failure) }
    }

    mutating func write(_ value: JSONValue, depth: Int, topLevel: Bool = false) {
        switch value {
        case .array(let values):
            writeList(count: values.count, depth: depth) { $0.write(values[$1], depth: $2) }
        case .object(let members):
            if members.isEmpty {
                emit("{}")
                return
            }
            let ordered = JSONValue.isInCanonicalOrder(members) ? members : JSONValue.canonicallySorted(members)
            let spread = depth < compactFrom
            emit(UInt8(ascii: "{"))
            var hashedMembers = 0
            for (position, (key, member)) in ordered.enumerated() {
                // The top-level `digest` member is in the file only: the digest covers the rest.
                let isDigest = topLevel && key == "digest"
                if position > 0 {
                    fileOnly(UInt8(ascii: ","))
                    if !isDigest && hashedMembers > 0 { canonicalOnly(UInt8(ascii: ",")) }
                }
                if spread { newline(depth + 1) }
                if isDigest {
                    fileOnly(Array("\"digest\": ".utf8))
                    if case .string(let digest) = member, digest.hasPrefix("sha256:") {
                        fileOnly(Array("\"sha256:".utf8))
                        digestOffset = flushed + fileText.count
                        fileOnly(Array(digest.utf8.dropFirst("sha256:".utf8.count)))
                        fileOnly(UInt8(ascii: "\""))
                    } else {
                        var text: [UInt8] = []
                        member.write(into: &text, style: .plan, depth: depth + 1)
                        fileOnly(text)
                    }
                    continue
                }
                hashedMembers += 1
                writeString(key)
                emit(UInt8(ascii: ":"))
                if spread { fileOnly(0x20) }
                if topLevel, key == "operations", operations.count > Self.operationChunkSize {
                    writeOperationsInChunks(depth: depth + 1)
                } else if topLevel, let lazy = lazyArrays[key] {
                    writeList(count: lazy.count, depth: depth + 1, lazy.element)
                } else {
                    write(member, depth: depth + 1)
                }
            }
            if spread { newline(depth) }
            emit(UInt8(ascii: "}"))
        case .string(let text):
            writeString(text)
        case .null: emit("null")
        case .bool(let flag): emit(flag ? "true" : "false")
        case .int(let number): writeInteger(Int(number))
        case .double:
            // Other numbers: rare, and written by the shared serializer.
            var bytes: [UInt8] = []
            value.write(into: &bytes, style: .canonical)
            emit(bytes)
        }
        flushIfFull()
    }

    /// Hashes the canonical text gathered so far and empties the buffer.
    private mutating func hashCanonical() {
        guard canonical.count > 0 else { return }
        hasher.update(bufferPointer: canonical.bytes)
        canonical.removeAll()
    }

    private mutating func flushIfFull() {
        if inMemory { return }
        if fileText.count >= Self.bufferSize { flushFileText() }
        if hashing, canonical.count >= Self.bufferSize { hashCanonical() }
    }

    /// An array of `count` elements at `depth`; `element(&self, index, elementDepth)` writes each one.
    private mutating func writeList(
        count: Int, depth: Int, _ element: (inout PlanFileWriter, Int, Int) -> Void
    ) {
        if count == 0 {
            emit("[]")
            return
        }
        let spread = depth < compactFrom
        let outer = compactFrom
        // Each element is one line.
        compactFrom = min(compactFrom, depth + 1)
        emit(UInt8(ascii: "["))
        for position in 0..<count {
            if position > 0 { emit(UInt8(ascii: ",")) }
            if spread { newline(depth + 1) }
            element(&self, position, depth + 1)
        }
        compactFrom = outer
        if spread { newline(depth) }
        emit(UInt8(ascii: "]"))
    }

    // MARK: - Operations in chunks, on two threads

    /// The operations array at `depth` (each operation is one line without whitespace), as
    /// `writeList` writes it: two threads serialize chunks of `operationChunkSize` operations into memory
    /// (even chunks on one, odd on the other) while this one writes each finished chunk to the file and
    /// hashes its operations' lines, with a comma between them, in order. The bytes are those of the
    /// one-thread path.
    private mutating func writeOperationsInChunks(depth: Int) {
        let operations = self.operations
        let chunkSize = Self.operationChunkSize
        let chunkCount = (operations.count + chunkSize - 1) / chunkSize
        let chunks = OperationChunks(count: chunkCount)
        for lane in 0..<2 {
            let thread = Thread {
                var chunk = lane
                while chunk < chunkCount {
                    let texts = chunks.waitForRoom(chunk, capacity: chunkSize * 1600, operations: chunkSize)
                    var gathered = PlanFileWriter(gathering: texts)
                    gathered.compactFrom = depth + 1
                    let start = chunk * chunkSize
                    // Through a buffer pointer: an array subscript would copy each operation first.
                    operations.withUnsafeBufferPointer { buffer in
                        for position in start..<min(start + chunkSize, buffer.count) {
                            if position > 0 { gathered.emit(UInt8(ascii: ",")) }
                            gathered.newline(depth + 1)
                            texts.lines.append(gathered.fileText.count)
                            gathered.writeOperation(buffer.baseAddress.unsafelyUnwrapped + position, depth: depth + 1)
                            texts.lines.append(gathered.fileText.count)
                        }
                    }
                    chunks.finish(chunk, texts)
                    chunk += 2
                }
            }
            thread.name = "teprov plan writer"
            thread.start()
        }
        emit(UInt8(ascii: "["))
        for chunk in 0..<chunkCount {
            let texts = chunks.take(chunk)
            flushFileText()
            let text = texts.text.bytes
            output?.append(text)
            flushed += text.count
            hashCanonical()
            if hashing { hashLines(of: texts, first: chunk == 0) }
            chunks.recycle(texts)
        }
        newline(depth)
        emit(UInt8(ascii: "]"))
    }

    /// Hashes the operations' lines of a chunk, with a comma before each but the array's first.
    private mutating func hashLines(of texts: OperationChunks.Texts, first: Bool) {
        let text = texts.text.bytes
        withUnsafeBytes(of: UInt8(ascii: ",")) { comma in
            texts.lines.withUnsafeBufferPointer { bounds in
                var index = 0
                while index < bounds.count {
                    if !first || index > 0 { hasher.update(bufferPointer: comma) }
                    hasher.update(
                        bufferPointer: UnsafeRawBufferPointer(rebasing: text[bounds[index]..<bounds[index + 1]]))
                    index += 2
                }
            }
        }
    }

    // MARK: - Operations, field by field (members in canonical order, as `PlanOperation.jsonValue`)

    /// Starts a member of an object at `depth` (the object's own depth): comma, line break, name.
    private mutating func member(_ name: StaticString, _ first: inout Bool, depth: Int) {
        if !first { emit(UInt8(ascii: ",")) }
        first = false
        let spread = depth < compactFrom
        if spread { newline(depth + 1) }
        emit(UInt8(ascii: "\""))
        emit(name)
        emit("\":")
        if spread { fileOnly(0x20) }
    }

    /// A member whose value is an object at `depth + 1`: `body(&self, &first, depth + 1)` writes its members.
    @inline(__always)
    private mutating func objectMember(
        _ name: StaticString, _ first: inout Bool, depth: Int, _ body: (inout PlanFileWriter, inout Bool, Int) -> Void
    ) {
        member(name, &first, depth: depth)
        emit(UInt8(ascii: "{"))
        var inner = true
        body(&self, &inner, depth + 1)
        endObject(depth: depth + 1)
    }

    private mutating func endObject(depth: Int) {
        if depth < compactFrom { newline(depth) }
        emit(UInt8(ascii: "}"))
    }

    private mutating func writeStringOrNull(_ text: String?) {
        if let text { writeString(text) } else { emit("null") }
    }

    private mutating func writeInteger(_ number: Int) {
        let start = fileText.count
        fileText.appendDecimal(number)
        if hashing { canonical.append(UnsafeRawBufferPointer(rebasing: fileText.bytes[start...])) }
    }

    /// Writes the operation at `operation`, read in place: a copy of an operation (taken even by a borrowing
    /// parameter from a buffer's subscript) retains and releases each of its strings and values.
    mutating func writeOperation(_ operation: UnsafePointer<PlanOperation>, depth: Int) {
        emit(UInt8(ascii: "{"))
        var first = true
        member("action", &first, depth: depth)
        writeString(operation.pointee.action.rawValue)
        member("changes", &first, depth: depth)
        writeList(count: operation.pointee.changes.count, depth: depth + 1) { writer, index, changeDepth in
            let change = operation.pointee.changes[index]
            writer.emit(UInt8(ascii: "{"))
            var first = true
            writer.member("attribute", &first, depth: changeDepth)
            writer.writeString(change.attribute)
            writer.member("new", &first, depth: changeDepth)
            writer.write(change.new, depth: changeDepth + 1)
            writer.member("old", &first, depth: changeDepth)
            writer.write(change.old, depth: changeDepth + 1)
            writer.endObject(depth: changeDepth)
        }
        member("held", &first, depth: depth)
        emit(operation.pointee.held ? "true" : "false")
        member("id", &first, depth: depth)
        writeString(operation.pointee.id)
        if let matchedBy = operation.pointee.matchedBy {
            member("matchedBy", &first, depth: depth)
            writeString(matchedBy)
        }
        if let precondition = operation.pointee.precondition {
            objectMember("precondition", &first, depth: depth) { writer, inner, inside in
                writer.member("fingerprint", &inner, depth: inside)
                writer.writeString(precondition.fingerprint)
                writer.member("version", &inner, depth: inside)
                writer.writeStringOrNull(precondition.version)
            }
        }
        member("reason", &first, depth: depth)
        writeString(operation.pointee.reason)
        objectMember("request", &first, depth: depth) { writer, inner, inside in
            if let body = operation.pointee.request.body {
                writer.member("body", &inner, depth: inside)
                writer.write(body, depth: inside + 1)
            }
            writer.member("method", &inner, depth: inside)
            writer.writeString(operation.pointee.request.method)
            writer.member("path", &inner, depth: inside)
            writer.writeString(operation.pointee.request.path)
        }
        if let source = operation.pointee.source {
            objectMember("source", &first, depth: depth) { writer, inner, inside in
                writer.member("file", &inner, depth: inside)
                writer.writeString(source.file)
                writer.member("id", &inner, depth: inside)
                writer.writeStringOrNull(source.id)
                writer.member("line", &inner, depth: inside)
                writer.writeInteger(source.line)
                writer.member("userPrincipalName", &inner, depth: inside)
                writer.writeStringOrNull(source.userPrincipalName)
            }
        }
        if let target = operation.pointee.target {
            objectMember("target", &first, depth: depth) { writer, inner, inside in
                writer.member("id", &inner, depth: inside)
                writer.writeString(target.id)
                writer.member("userName", &inner, depth: inside)
                writer.writeStringOrNull(target.userName)
            }
        }
        endObject(depth: depth)
        flushIfFull()
    }

    private func writeString(_ text: String) {
        let start = fileText.count
        fileText.appendJSONString(text)
        if hashing { canonical.append(UnsafeRawBufferPointer(rebasing: fileText.bytes[start...])) }
    }

    @inline(__always)
    private func emit(_ byte: UInt8) {
        fileText.append(byte)
        if hashing { canonical.append(byte) }
    }

    @inline(__always)
    private func emit(_ text: StaticString) {
        fileText.append(text)
        if hashing { canonical.append(text) }
    }

    private func emit(_ bytes: [UInt8]) {
        fileText.append(bytes)
        if hashing { canonical.append(bytes) }
    }

    private func fileOnly(_ byte: UInt8) { fileText.append(byte) }
    private func fileOnly(_ bytes: [UInt8]) { fileText.append(bytes) }

    private func canonicalOnly(_ byte: UInt8) {
        if hashing { canonical.append(byte) }
    }

    @inline(__always)
    private func newline(_ depth: Int) {
        fileText.append(0x0A as UInt8)
        fileText.append(repeating: 0x20, count: depth * 2)
    }

    private mutating func flushFileText() {
        guard failure == nil else {
            fileText.removeAll()
            return
        }
        let count = fileText.count
        output?.append(fileText.bytes)
        flushed += count
        fileText.removeAll()
    }
}

/// The texts of the operation chunks, handed from the two serializing threads to the writing one. A
/// serializer stays at most `ahead` chunks in front of the writer, so memory stays bounded.
/// The texts, reused: at most `ahead` + 2 exist.
private final class OperationChunks: @unchecked Sendable {
    /// A chunk's text, and where each operation's line starts and ends in it (two offsets per operation).
    final class Texts {
        let text: ByteSink
        var lines: [Int] = []

        init(capacity: Int, operations: Int) {
            text = ByteSink(capacity: capacity)
            lines.reserveCapacity(2 * operations)
        }
    }

    private let condition = NSCondition()
    private var texts: [Texts?]
    private var spare: [Texts] = []
    private var taken = 0
    private let ahead = 4

    init(count: Int) {
        texts = Array(repeating: nil, count: count)
    }

    /// Waits until chunk `index` may be serialized (the writer is close enough); returns sinks to write it to.
    func waitForRoom(_ index: Int, capacity: Int, operations: Int) -> Texts {
        condition.lock()
        defer { condition.unlock() }
        while index - taken >= ahead { condition.wait() }
        guard let texts = spare.popLast() else { return Texts(capacity: capacity, operations: operations) }
        texts.lines.removeAll(keepingCapacity: true)
        return texts
    }

    func finish(_ index: Int, _ chunk: Texts) {
        condition.lock()
        texts[index] = chunk
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for chunk `index` and hands its texts over.
    func take(_ index: Int) -> Texts {
        condition.lock()
        defer { condition.unlock() }
        while texts[index] == nil { condition.wait() }
        let chunk = texts[index].unsafelyUnwrapped
        texts[index] = nil
        taken = index + 1
        condition.broadcast()
        return chunk
    }

    /// Gives back the sinks of a chunk written to the file.
    func recycle(_ chunk: Texts) {
        condition.lock()
        spare.append(chunk)
        condition.unlock()
    }
}

/// A write to the plan's temporary file failed (`AtomicFile` turns it into a `TeprovError`).
struct PlanFileWriteError: Error {
    var code: Int32
}
