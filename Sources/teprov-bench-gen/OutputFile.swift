#if canImport(Glibc)
    import Glibc
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    import Darwin
    private let systemWrite = Darwin.write
#endif

/// A file written through a large in-memory buffer: writers append bytes and text pieces, and the
/// buffer goes to the file in blocks of 4 MiB, so a million users cost a few hundred `write(2)`
/// calls, not millions. A non-copyable struct rather than a class, so that appends pay no runtime
/// exclusivity checks (they took half the time when it was a class).
struct OutputFile: ~Copyable {
    /// Where the file is being written.
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let blockSize = 4 << 20
    private var failure: String?
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    /// Bytes handed to the file so far (`finish()` flushes the rest first).
    private(set) var byteCount = 0

    /// Creates (or truncates) the file.
    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if descriptor < 0 { throw GeneratorError("cannot create \(path): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(blockSize + 64 * 1024)
    }

    deinit { close(descriptor) }

    // MARK: Raw pieces

    /// Appends a literal.
    @inline(__always) mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
        flushIfFull()
    }

    /// Appends a string as UTF-8, unescaped (callers use it for text known to need no escaping).
    @inline(__always) mutating func write(_ text: String) {
        var copy = text
        copy.withUTF8 { buffer.append(contentsOf: $0) }
        flushIfFull()
    }

    /// Appends one byte.
    @inline(__always) mutating func write(byte: UInt8) {
        buffer.append(byte)
    }

    /// Appends bytes.
    mutating func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        flushIfFull()
    }

    /// Appends a non-negative integer in decimal.
    mutating func write(decimal value: Int) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Appends a decimal number padded with zeros to `width` digits.
    mutating func write(decimal value: Int, width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(48 + (rest / divisor) % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Appends a GUID in its lower-case text form (8-4-4-4-12).
    mutating func write(guid: GUID) {
        for nibble in 0..<32 {
            if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 { buffer.append(45) }
            let word = nibble < 16 ? guid.high : guid.low
            let shift = UInt64(60 - 4 * (nibble % 16))
            buffer.append(OutputFile.hexDigits[Int((word >> shift) & 0xF)])
        }
    }

    // MARK: Escaped text

    /// Appends `text` as a JSON string literal, quotes included.
    mutating func write(jsonString text: String) {
        buffer.append(34)
        for byte in text.utf8 {
            switch byte {
            case 34: buffer.append(contentsOf: [92, 34])
            case 92: buffer.append(contentsOf: [92, 92])
            case 0..<32:
                let hex = OutputFile.hexDigits
                buffer.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: buffer.append(byte)
            }
        }
        buffer.append(34)
        flushIfFull()
    }

    /// Appends `text` as XML character data or attribute content (`&`, `<`, `>`, `"` escaped).
    mutating func write(xmlText text: String) {
        for byte in text.utf8 {
            switch byte {
            case 38: write("&amp;")
            case 60: write("&lt;")
            case 62: write("&gt;")
            case 34: write("&quot;")
            default: buffer.append(byte)
            }
        }
        flushIfFull()
    }

    /// Appends `text` as one CSV field: quoted (with doubled quotes) only when it needs to be.
    mutating func write(csvField text: String) {
        let needsQuotes = text.utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
        guard needsQuotes else { return write(text) }
        buffer.append(34)
        for byte in text.utf8 {
            if byte == 34 { buffer.append(34) }
            buffer.append(byte)
        }
        buffer.append(34)
        flushIfFull()
    }

    // MARK: Flushing

    @inline(__always) private mutating func flushIfFull() {
        if buffer.count >= blockSize { flush() }
    }

    /// Writes the buffered bytes to the file. A failure is remembered and reported by `finish()`;
    /// later output is dropped.
    mutating func flush() {
        if failure == nil {
            var offset = 0
            buffer.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                while offset < raw.count {
                    let written = systemWrite(descriptor, base + offset, raw.count - offset)
                    if written < 0 && errno == EINTR { continue }
                    if written <= 0 {
                        failure = "cannot write \(path): \(String(cString: strerror(errno)))"
                        return
                    }
                    offset += written
                }
            }
        }
        byteCount += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and returns the file's size in bytes.
    /// - Throws: `GeneratorError` when any write failed (a full disk, for example).
    mutating func finish() throws -> Int {
        flush()
        if let failure { throw GeneratorError(failure) }
        return byteCount
    }
}
