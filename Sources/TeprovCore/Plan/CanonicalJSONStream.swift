/// Pulls tokens from a `JSONTokenizer` while feeding the RFC 8785 (JCS) canonical form of what it reads
/// into a SHA-256, without holding the document: the tokens' canonical text (strings re-escaped the JCS
/// way, numbers as ECMAScript prints them), commas and colons, no whitespace.
///
/// That is the canonical form only when every object's members arrive in canonical order, which the stream
/// checks as it goes: a member out of order (or a repeated name) throws `CanonicalJSONStream.NotCanonical`,
/// and the caller falls back to building the tree (`JSONValue.write(style: .canonical)` sorts). One top-level
/// member can be left out of the hash (a plan's `digest`), though its place in the order is still checked.
final class CanonicalJSONStream {
    /// The input's members are not in canonical order; read it as a tree instead.
    struct NotCanonical: Error {}

    let tokenizer: JSONTokenizer
    private let excludedTopLevelKey: StaticString?
    /// Hashes the text (and checks the layout) on another thread.
    private let consumer: CanonicalTextConsumer
    private let output: UnsafeMutablePointer<UInt8>
    private let outputCapacity = 1 << 16
    private var outputCount = 0

    // Per open container (index = depth - 1): how many members or elements were hashed (for the commas),
    // and where the name of its last member starts in `keyBytes` (-1 before the first). The names of the
    // open objects' last members sit one after the other in `keyBytes`, innermost last.
    private var depth = 0
    private let containerCapacity: Int
    private let counts: UnsafeMutablePointer<Int>
    private let keyStarts: UnsafeMutablePointer<Int>
    private var keyBytes: UnsafeMutablePointer<UInt8>
    private var keyCapacity = 1024
    private var keyEnd = 0
    /// The next value follows its member name, so it takes no comma.
    private var valueFollowsKey = false
    /// The next value belongs to the excluded member and is not hashed.
    private var excludingValue = false

    /// `true` when the file's layout is being compared with the plan layout.
    private let checksLayout: Bool

    // Scratch stacks for `readValue`, so each object or array is allocated once, at its final size.
    let memberScratch = ScratchStack<(String, JSONValue)>()
    let elementScratch = ScratchStack<JSONValue>()

    /// - Parameters:
    ///   - excluded: the top-level member left out of the hash.
    ///   - layout: also compares the file with the plan layout of the text read.
    init(tokenizer: JSONTokenizer, excludingTopLevelKey excluded: StaticString? = nil, layout: PlanLayoutCheck? = nil) {
        self.tokenizer = tokenizer
        self.excludedTopLevelKey = excluded
        consumer = CanonicalTextConsumer(layout: layout)
        checksLayout = layout != nil
        output = .allocate(capacity: outputCapacity)
        containerCapacity = tokenizer.maximumDepth + 1
        counts = .allocate(capacity: containerCapacity)
        keyStarts = .allocate(capacity: containerCapacity)
        keyBytes = .allocate(capacity: keyCapacity)
    }

    deinit {
        output.deallocate()
        counts.deallocate()
        keyStarts.deallocate()
        keyBytes.deallocate()
    }

    /// Hex SHA-256 of everything hashed, and whether the file had the plan layout (`false` when not
    /// checked). Call once, after the last token.
    func finish() -> (hex: String, layoutMatches: Bool) {
        flush()
        return consumer.finish()
    }

    /// The next token, hashed.
    /// - Throws: `NotCanonical` for a member out of canonical order; the tokenizer's errors.
    func next() throws -> JSONTokenizer.Token {
        let token = try tokenizer.next()
        switch token {
        case .key:
            try acceptKey()
        case .endObject:
            append(UInt8(ascii: "}"))
            closeContainer()
        case .endArray:
            append(UInt8(ascii: "]"))
            closeContainer()
        case .endOfInput:
            break
        case .beginObject, .beginArray, .string, .number, .bool, .null:
            if excludingValue {
                // The excluded member must be a scalar: its value is then this one token.
                guard token != .beginObject && token != .beginArray else { throw NotCanonical() }
                excludingValue = false
                if checksLayout {
                    flush()
                    try writeValueToken(token)
                    flushToLayoutOnly()
                }
                return token
            }
            separateValue()
            try writeValueToken(token)
        }
        return token
    }

    // MARK: Canonical text

    private func acceptKey() throws {
        let level = depth &- 1
        guard level >= 0 else { throw NotCanonical() }
        let previousStart = keyStarts[level]
        let start = previousStart >= 0 ? previousStart : keyEnd
        let inOrder = tokenizer.withStringBytes { name -> Bool in
            if previousStart >= 0 {
                let previous = UnsafeBufferPointer(start: keyBytes + start, count: keyEnd &- start)
                guard JSONKeyOrder.precedes(previous, name) else { return false }
            }
            reserveKeyBytes(start &+ name.count)
            if let base = name.baseAddress { (keyBytes + start).update(from: base, count: name.count) }
            keyEnd = start &+ name.count
            return true
        }
        guard inOrder else { throw NotCanonical() }
        keyStarts[level] = start
        if level == 0, let excluded = excludedTopLevelKey, tokenizer.keyEquals(excluded) {
            // Its place in the order was checked above, but neither it nor a comma is hashed. The layout
            // check still sees it (after a comma: the plan's `digest` is never its first member).
            excludingValue = true
            if checksLayout {
                guard counts[level] > 0 else {
                    consumer.failLayout()
                    return
                }
                flush()
                append(UInt8(ascii: ","))
                writeString()
                append(UInt8(ascii: ":"))
                flushToLayoutOnly()
            }
            return
        }
        if counts[level] > 0 { append(UInt8(ascii: ",")) }
        counts[level] &+= 1
        writeString()
        append(UInt8(ascii: ":"))
        valueFollowsKey = true
    }

    private func reserveKeyBytes(_ needed: Int) {
        guard needed > keyCapacity else { return }
        let capacity = max(needed, keyCapacity * 2)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.update(from: keyBytes, count: keyEnd)
        keyBytes.deallocate()
        keyBytes = grown
        keyCapacity = capacity
    }

    /// The comma before an array element.
    @inline(__always)
    private func separateValue() {
        if valueFollowsKey {
            valueFollowsKey = false
            return
        }
        let level = depth &- 1
        guard level >= 0 else { return }
        if counts[level] > 0 { append(UInt8(ascii: ",")) }
        counts[level] &+= 1
    }

    private func writeValueToken(_ token: JSONTokenizer.Token) throws {
        switch token {
        case .beginObject:
            append(UInt8(ascii: "{"))
            try openContainer()
        case .beginArray:
            append(UInt8(ascii: "["))
            try openContainer()
        case .string: writeString()
        case .number: try writeNumber()
        case .bool(let flag): flag ? append("true") : append("false")
        case .null: append("null")
        case .key, .endObject, .endArray, .endOfInput: break
        }
    }

    private func openContainer() throws {
        // The tokenizer refuses nesting deeper than its limit, so this is a safeguard.
        guard depth < containerCapacity else { throw NotCanonical() }
        counts[depth] = 0
        keyStarts[depth] = -1
        depth &+= 1
    }

    private func closeContainer() {
        guard depth > 0 else { return }
        depth &-= 1
        if keyStarts[depth] >= 0 { keyEnd = keyStarts[depth] }
    }

    /// The current string or key as JCS writes it (`JSONValue.writeString`'s escapes).
    private func writeString() {
        if !tokenizer.stringIsDecoded {
            // No escapes: the text between the quotes is already canonical. (The opening quote itself may
            // be gone from the buffer when the string started in the previous chunk.)
            let count = tokenizer.stringLength
            if outputCount &+ count &+ 2 > outputCapacity { flush() }
            if count &+ 2 <= outputCapacity {
                let target = output + outputCount
                target[0] = UInt8(ascii: "\"")
                (target + 1).update(from: tokenizer.storage + tokenizer.stringStart, count: count)
                target[count &+ 1] = UInt8(ascii: "\"")
                outputCount &+= count &+ 2
                return
            }
        }
        append(UInt8(ascii: "\""))
        if !tokenizer.stringIsDecoded {
            append(UnsafeBufferPointer(start: tokenizer.storage + tokenizer.stringStart, count: tokenizer.stringLength))
            append(UInt8(ascii: "\""))
            return
        }
        tokenizer.decoded.withUnsafeBufferPointer { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                append(UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscape(byte)
                runStart = index + 1
            }
            append(UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        append(UInt8(ascii: "\""))
    }

    private func appendEscape(_ byte: UInt8) {
        JSONValue.escape(byte) { append($0) }
    }

    /// The current number as `JSONValue.write` prints what `JSONTokenizer.numberValue()` makes of it.
    private func writeNumber() throws {
        let raw = UnsafeBufferPointer(start: tokenizer.storage + tokenizer.numberStart, count: tokenizer.numberLength)
        if tokenizer.int64Value() != nil {
            // The grammar allows no '+' and no leading zero, so an integer is canonical except for -0.
            if raw.count == 2 && raw[0] == UInt8(ascii: "-") && raw[1] == UInt8(ascii: "0") {
                append(UInt8(ascii: "0"))
            } else {
                append(raw)
            }
            return
        }
        var text: [UInt8] = []
        try tokenizer.numberValue().write(into: &text, style: .canonical)
        text.withUnsafeBufferPointer { append($0) }
    }

    // MARK: Output buffer

    @inline(__always)
    private func append(_ byte: UInt8) {
        if outputCount == outputCapacity { flush() }
        output[outputCount] = byte
        outputCount &+= 1
    }

    @inline(__always)
    private func append(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    @inline(__always)
    private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        if outputCount &+ bytes.count > outputCapacity {
            flush()
            if bytes.count > outputCapacity {
                consumer.consume(Array(bytes))
                return
            }
        }
        (output + outputCount).update(from: base, count: bytes.count)
        outputCount &+= bytes.count
    }

    private func flush() {
        guard outputCount > 0 else { return }
        consumer.consume(Array(UnsafeBufferPointer(start: output, count: outputCount)))
        outputCount = 0
    }

    /// Gives the buffered bytes (the excluded member, written after a `flush()`) to the layout check only.
    private func flushToLayoutOnly() {
        consumer.consume(Array(UnsafeBufferPointer(start: output, count: outputCount)), hashed: false)
        outputCount = 0
    }
}
