extension JSONTokenizer {
    // MARK: Reading the current key or string

    /// Calls `body` with the UTF-8 bytes of the current key or string (escapes decoded), without
    /// allocating. The buffer is only valid inside `body`.
    @inline(__always)
    public func withStringBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if stringIsDecoded { return try decoded.withUnsafeBufferPointer(body) }
        return try body(UnsafeBufferPointer(start: storage + stringStart, count: stringLength))
    }

    /// The current key or string as a `String` (allocates; prefer `keyEquals` to compare).
    public func stringValue() -> String {
        withStringBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Length in UTF-8 bytes of the current key or string.
    public var stringByteCount: Int { stringIsDecoded ? decoded.count : stringLength }

    /// `true` when the current key (or string) is exactly `literal`, compared byte for byte.
    @inline(__always)
    public func keyEquals(_ literal: StaticString) -> Bool {
        withStringBytes { bytes in
            guard bytes.count == literal.utf8CodeUnitCount, let base = bytes.baseAddress else {
                return bytes.isEmpty && literal.utf8CodeUnitCount == 0
            }
            let expected = literal.utf8Start
            for offset in 0..<bytes.count where base[offset] != expected[offset] { return false }
            return true
        }
    }

    /// `true` when the current key (or string) equals `literal` ignoring ASCII case (SCIM names).
    public func keyEqualsIgnoringCase(_ literal: StaticString) -> Bool {
        withStringBytes { bytes in
            guard bytes.count == literal.utf8CodeUnitCount else { return false }
            let expected = literal.utf8Start
            for offset in 0..<bytes.count
            where Self.asciiLowercase(bytes[offset]) != Self.asciiLowercase(expected[offset]) {
                return false
            }
            return true
        }
    }

    /// `true` when the current key (or string) starts with `literal`, compared byte for byte.
    public func keyHasPrefix(_ literal: StaticString) -> Bool {
        withStringBytes { bytes in
            guard bytes.count >= literal.utf8CodeUnitCount else { return false }
            let expected = literal.utf8Start
            for offset in 0..<literal.utf8CodeUnitCount where bytes[offset] != expected[offset] { return false }
            return true
        }
    }

    @inline(__always)
    static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    // MARK: Scanning

    /// Marks (high bit of each byte) the bytes of `word` that are a quote, a backslash, a control
    /// character or non-ASCII. Bits can be wrong only above the lowest marked byte (borrows
    /// propagate upward), so the lowest mark, the first such byte in memory order, is exact.
    @inline(__always)
    static func attentionMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let hasQuote = (quotes &- ones) & ~quotes
        let hasBackslash = (backslashes &- ones) & ~backslashes
        return (word | control | hasQuote | hasBackslash) & highBits
    }

    /// Moves `offset` to the first byte that is not plain ASCII text (a quote, a backslash, a control
    /// character, non-ASCII), looking at 8 bytes at a time while 8 remain before `end`; the last few
    /// bytes are left to the caller's byte loop, which the sentinel at `end` stops.
    @inline(__always)
    func skipPlainText(from offset: inout Int) {
        let base = storage
        while offset &+ 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
            let mask = Self.attentionMask(word)
            if mask != 0 {
                offset &+= mask.trailingZeroBitCount &>> 3
                return
            }
            offset &+= 8
        }
    }

    /// Scans the string whose opening quote is at `position`, leaving `position` after its closing quote.
    func scanString() throws {
        var start = position &+ 1
        var offset = start
        while true {
            skipPlainText(from: &offset)
            let base = storage
            let byte = base[offset]
            if byte == UInt8(ascii: "\"") {
                let length = offset &- start
                guard length <= maximumStringLength else { throw stringTooLongError() }
                stringStart = start
                stringLength = length
                stringIsDecoded = false
                position = offset &+ 1
                return
            }
            if byte >= 0x80 {
                if let length = try utf8SequenceLength(at: &offset, keepingFrom: &start) { offset &+= length }
                continue
            }
            if byte == UInt8(ascii: "\\") {
                decoded.removeAll(keepingCapacity: true)
                decoded.append(contentsOf: UnsafeBufferPointer(start: base + start, count: offset &- start))
                position = offset
                try scanEscapedString()
                return
            }
            if byte < 0x20 {
                guard offset == end else { throw controlCharacterError(byte) }
                guard offset &- start <= maximumStringLength else { throw stringTooLongError() }
                guard let shift = try loadMore(keepingFrom: start) else { throw truncatedStringError() }
                start &-= shift
                offset &-= shift
                continue
            }
            offset &+= 1
        }
    }

    /// Continues a string from its first backslash at `position`, decoding into `decoded`.
    private func scanEscapedString() throws {
        var offset = position
        var runStart = offset
        while true {
            skipPlainText(from: &offset)
            let base = storage
            let byte = base[offset]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                decoded.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: offset &- runStart))
                guard decoded.count <= maximumStringLength else { throw stringTooLongError() }
                runStart = offset
            }
            if byte == UInt8(ascii: "\"") {
                stringIsDecoded = true
                position = offset &+ 1
                return
            }
            if byte == UInt8(ascii: "\\") {
                try decodeEscape(at: &offset)
                runStart = offset
                continue
            }
            if byte >= 0x80 {
                if let length = try utf8SequenceLength(at: &offset, keepingFrom: &runStart) { offset &+= length }
                continue
            }
            if byte < 0x20 {
                guard offset == end else { throw controlCharacterError(byte) }
                guard let shift = try loadMore(keepingFrom: offset) else { throw truncatedStringError() }
                offset &-= shift
                runStart = offset
                continue
            }
            offset &+= 1
        }
    }

    /// Decodes the escape at `offset` (its backslash) into `decoded` and moves `offset` past it.
    private func decodeEscape(at offset: inout Int) throws {
        guard try requireBytes(2, from: &offset) else { throw truncatedStringError() }
        let letter = storage[offset &+ 1]
        let replacement: UInt8
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): replacement = letter
        case UInt8(ascii: "b"): replacement = 0x08
        case UInt8(ascii: "f"): replacement = 0x0C
        case UInt8(ascii: "n"): replacement = 0x0A
        case UInt8(ascii: "r"): replacement = 0x0D
        case UInt8(ascii: "t"): replacement = 0x09
        case UInt8(ascii: "u"):
            try decodeUnicodeEscape(at: &offset)
            return
        default:
            throw failure(
                "a string holds the escape '\\\(Character(Unicode.Scalar(letter)))', which JSON does not define; write '\\\\' for a backslash"
            )
        }
        decoded.append(replacement)
        offset &+= 2
    }

    private func decodeUnicodeEscape(at offset: inout Int) throws {
        guard try requireBytes(6, from: &offset) else { throw truncatedStringError() }
        let unit = try hexQuad(at: offset &+ 2)
        var scalar = UInt32(unit)
        var length = 6
        if (0xDC00...0xDFFF).contains(unit) {
            throw failure("a string holds the unpaired low surrogate \\u\(hexText(unit)); the text is corrupt")
        }
        if (0xD800...0xDBFF).contains(unit) {
            let paired =
                try requireBytes(12, from: &offset) && storage[offset &+ 6] == UInt8(ascii: "\\")
                && storage[offset &+ 7] == UInt8(ascii: "u")
            let low = paired ? try hexQuad(at: offset &+ 8) : 0
            guard paired, (0xDC00...0xDFFF).contains(low) else {
                throw failure(
                    "a string holds the high surrogate \\u\(hexText(unit)) without a low surrogate after it; the text is corrupt"
                )
            }
            scalar = 0x10000 &+ ((UInt32(unit) &- 0xD800) << 10) &+ (UInt32(low) &- 0xDC00)
            length = 12
        }
        appendUTF8(scalar)
        offset &+= length
    }

    private func hexQuad(at offset: Int) throws -> UInt16 {
        var value: UInt16 = 0
        for index in 0..<4 {
            let byte = storage[offset &+ index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: throw failure("a string has '\\u' not followed by four hexadecimal digits")
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private func hexText(_ unit: UInt16) -> String {
        Self.hexDigits(UInt8(unit >> 8)) + Self.hexDigits(UInt8(unit & 0xFF))
    }

    private func appendUTF8(_ scalar: UInt32) {
        UTF8Encoding.append(scalar, to: &decoded)
    }

    /// Validates the multi-byte UTF-8 sequence at `offset` (RFC 3629: no overlongs, no surrogates,
    /// nothing above U+10FFFF).
    /// - Returns: its length, or `nil` when more input was loaded (offsets were moved; look again).
    private func utf8SequenceLength(at offset: inout Int, keepingFrom keep: inout Int) throws -> Int? {
        let base = storage
        let lead = base[offset]
        var lowest: UInt8 = 0x80
        var highest: UInt8 = 0xBF
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lowest = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: length = 3
        case 0xED:
            length = 3
            highest = 0x9F
        case 0xF0:
            length = 4
            lowest = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            highest = 0x8F
        default: throw invalidUTF8Error(lead)
        }
        for index in 1..<length {
            if offset &+ index >= end {
                guard let shift = try loadMore(keepingFrom: keep) else { throw truncatedStringError() }
                offset &-= shift
                keep &-= shift
                return nil
            }
            let byte = base[offset &+ index]
            let valid = index == 1 ? (byte >= lowest && byte <= highest) : (byte & 0xC0 == 0x80)
            guard valid else { throw invalidUTF8Error(byte) }
        }
        return length
    }

    private func controlCharacterError(_ byte: UInt8) -> TeprovError {
        if byte == 0x0A || byte == 0x0D {
            return failure("a string runs to the end of the line without its closing quote")
        }
        return failure(
            "a string holds the unescaped control character \(Self.describe(byte)); it must be written as an escape")
    }
}
