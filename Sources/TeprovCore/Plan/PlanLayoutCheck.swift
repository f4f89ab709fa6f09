#if canImport(Glibc)
    import Glibc
#endif

/// Checks, while a plan is streamed, that the file's bytes are exactly the plan layout
/// (`JSONValue.serialized(style: .plan)`) of the document: then `show --format json` can copy the file
/// instead of rebuilding and re-serializing hundreds of megabytes.
///
/// It is fed the document's canonical text (RFC 8785: no whitespace, members in order), from which the
/// plan layout follows: a newline and two spaces per level after `{`, `[` and `,` and before the closing
/// bracket of a non-empty container, and `": "` after a member name; but an object or array that is an
/// element of an array is its canonical text as it is, on one line; a newline at the end. The expected
/// bytes are compared with the file's as it is read a second time, in chunks.
final class PlanLayoutCheck {
    private let descriptor: Int32
    private let chunkCapacity = 1 << 20
    private let chunk: UnsafeMutablePointer<UInt8>
    private var chunkCount = 0
    private var chunkPosition = 0
    private var fileEnded = false
    /// `false` once a byte differed (or the file could not be read); nothing is compared after that.
    private(set) var matches = true

    private var inString = false
    private var escaped = false
    /// How many containers are open.
    private var depth = 0
    /// The depth of the outermost open container that is an array's element (0 when none): from there on,
    /// the text is compact.
    private var compactFrom = 0
    /// Whether each open container outside `compactFrom` is an array, innermost last.
    private var arrays: [Bool] = []
    /// A `{` or `[` was the last byte: its newline waits until the next byte shows whether it is empty.
    private var openerPending = false
    /// A newline followed by spaces: a line break and indentation is a prefix of it.
    private let newline: UnsafeMutablePointer<UInt8>
    private let newlineCapacity = 257

    init(path: String) throws {
        descriptor = try InputFileDescriptor.open(path)
        chunk = .allocate(capacity: chunkCapacity)
        newline = .allocate(capacity: newlineCapacity)
        newline.initialize(repeating: 0x20, count: newlineCapacity)
        newline[0] = 0x0A
    }

    deinit {
        close(descriptor)
        chunk.deallocate()
        newline.deallocate()
    }

    /// Takes the next piece of the canonical text.
    func consume(_ canonical: UnsafeBufferPointer<UInt8>) {
        guard let base = canonical.baseAddress else { return }
        let count = canonical.count
        var index = 0
        while index < count && matches {
            if inString {
                var end = index
                while end < count {
                    if !escaped { Self.skipPlainStringBytes(base, from: &end, count: count) }
                    guard end < count else { break }
                    let byte = base[end]
                    end &+= 1
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                        break
                    }
                }
                expect(UnsafeBufferPointer(start: base + index, count: end &- index))
                index = end
                continue
            }
            let byte = base[index]
            index &+= 1
            if openerPending {
                openerPending = false
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    leaveContainer()
                    expect(byte)
                    continue
                }
                if compactFrom == 0 { expectNewline() }
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                expect(byte)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                expect(byte)
                depth &+= 1
                if compactFrom == 0 {
                    if arrays.last == true {
                        compactFrom = depth
                    } else {
                        arrays.append(byte == UInt8(ascii: "["))
                    }
                }
                openerPending = true
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                let spread = compactFrom == 0
                leaveContainer()
                if spread { expectNewline() }
                expect(byte)
            case UInt8(ascii: ","):
                expect(byte)
                if compactFrom == 0 { expectNewline() }
            case UInt8(ascii: ":"):
                expect(byte)
                if compactFrom == 0 { expect(0x20) }
            default:
                expect(byte)
            }
        }
    }

    /// Moves `offset` to the first quote or backslash, 8 bytes at a time while 8 remain (the rest is left
    /// to the caller's byte loop).
    @inline(__always)
    private static func skipPlainStringBytes(_ base: UnsafePointer<UInt8>, from offset: inout Int, count: Int) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        while offset &+ 8 <= count {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
            let quotes = word ^ (ones &* 0x22)
            let backslashes = word ^ (ones &* 0x5C)
            // Lowest byte flagged = first quote or backslash (flags above it may be wrong, never below).
            let found = ((quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes) & highBits
            if found != 0 {
                offset &+= found.trailingZeroBitCount &>> 3
                return
            }
            offset &+= 8
        }
    }

    /// Leaves the innermost container (its closing bracket not yet compared).
    @inline(__always)
    private func leaveContainer() {
        if compactFrom == 0 {
            _ = arrays.popLast()
        } else if compactFrom == depth {
            compactFrom = 0
        }
        depth &-= 1
    }

    /// Marks the layout as not matching (for a document the check cannot follow).
    func fail() { matches = false }

    /// After the last canonical byte: the final newline, then the end of the file.
    /// - Returns: whether the whole file is the plan layout of the document.
    func finish() -> Bool {
        guard matches, !inString, !openerPending, depth == 0 else { return false }
        expect(0x0A)
        guard matches, chunkPosition == chunkCount, !refill() else { return false }
        return true
    }

    // MARK: Comparing with the file

    @inline(__always)
    private func expect(_ byte: UInt8) {
        if chunkPosition == chunkCount && !refill() {
            matches = false
            return
        }
        if chunk[chunkPosition] != byte { matches = false }
        chunkPosition &+= 1
    }

    @inline(__always)
    private func expect(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        let count = bytes.count
        if count <= 16 && chunkCount &- chunkPosition >= count {
            // Most runs are short (names, values, indentation): compare in place without a call.
            let target = chunk + chunkPosition
            var index = 0
            while index < count {
                if target[index] != source[index] {
                    matches = false
                    return
                }
                index &+= 1
            }
            chunkPosition &+= count
            return
        }
        expectAcrossChunks(source, count: count)
    }

    private func expectAcrossChunks(_ start: UnsafePointer<UInt8>, count: Int) {
        var source = start
        var remaining = count
        while remaining > 0 {
            if chunkPosition == chunkCount && !refill() {
                matches = false
                return
            }
            let step = min(remaining, chunkCount &- chunkPosition)
            if memcmp(chunk + chunkPosition, source, step) != 0 {
                matches = false
                return
            }
            chunkPosition &+= step
            source += step
            remaining &-= step
        }
    }

    /// A newline and the indentation of the current depth.
    @inline(__always)
    private func expectNewline() {
        let length = 1 &+ depth &* 2
        if length <= newlineCapacity {
            expect(UnsafeBufferPointer(start: newline, count: length))
            return
        }
        expect(0x0A)
        var indentation = depth &* 2
        while indentation > 0 && matches {
            let step = min(indentation, newlineCapacity &- 1)
            expect(UnsafeBufferPointer(start: newline + 1, count: step))
            indentation &-= step
        }
    }

    /// Reads the next chunk of the file; `false` at its end (or on a read error, which fails the check).
    private func refill() -> Bool {
        guard !fileEnded else { return false }
        while true {
            let result = read(descriptor, chunk, chunkCapacity)
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                fileEnded = true
                if result < 0 { matches = false }
                return false
            }
            chunkCount = result
            chunkPosition = 0
            return true
        }
    }
}
