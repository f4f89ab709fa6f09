/// Decodes DSML `xsi:type="xsd:base64Binary"` values (SPEC §2):
///
/// - `objectGUID` must hold 16 bytes and becomes GUID text in Microsoft's byte order, as
///   PowerShell's `[guid]` prints it (first three groups little-endian, lower-case hex, dashes);
/// - `objectSid` becomes its `S-1-5-21-…` text form when it is a well-formed SID;
/// - any other binary value becomes text when its bytes are UTF-8 without control characters, and
///   otherwise stays as the base64 text (certificates, photos, hashes are not text).
enum DSMLBinaryValue {
    /// What a binary value turned into.
    enum Outcome: Equatable {
        case value(AttributeValue)
        /// The value is empty once decoded.
        case absent
        /// A record-level problem (the record is invalid).
        case problem(String)
    }

    static let objectGUIDKey: AttributeKey = "objectguid"
    static let objectSidKey: AttributeKey = "objectsid"

    /// Decodes one base64 value of the attribute `rawName` (its key before aliasing decides the rule).
    static func decode(_ text: UnsafeBufferPointer<UInt8>, rawKey: AttributeKey, rawName: String) -> Outcome {
        guard let bytes = base64Decode(text) else {
            return .problem("\(rawName) is marked base64Binary but is not valid base64")
        }
        if rawKey == objectGUIDKey {
            guard bytes.count == 16 else {
                return .problem("\(rawName) holds \(bytes.count) bytes, not the 16 bytes of a GUID")
            }
            return .value(.string(guidText(bytes)))
        }
        if bytes.isEmpty { return .absent }
        if rawKey == objectSidKey, let sid = sidText(bytes) { return .value(.string(sid)) }
        if isPrintableUTF8(bytes) {
            let normalized = bytes.withUnsafeBufferPointer { try? TextNormalization.value($0) }
            guard let normalized else { return .absent }
            return .value(XMLRecordBuilder.untyped(normalized))
        }
        guard let original = try? TextNormalization.value(text) else { return .absent }
        return .value(.string(original.filter { !$0.isWhitespace }))
    }

    /// GUID text in Microsoft byte order: `0b6f2a6c-8b0e-4c4e-9d4a-3f1b2c3d4e5f` for the bytes
    /// `6C 2A 6F 0B 0E 8B 4E 4C 9D 4A 3F 1B 2C 3D 4E 5F`.
    static func guidText(_ bytes: [UInt8]) -> String {
        precondition(bytes.count == 16, "a GUID has 16 bytes")
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { text in
            var position = 0
            for group in 0..<16 {
                if group == 4 || group == 6 || group == 8 || group == 10 {
                    text[position] = UInt8(ascii: "-")
                    position &+= 1
                }
                let byte = bytes[guidByte(group)]
                text[position] = hexDigit(byte >> 4)
                text[position &+ 1] = hexDigit(byte & 0x0F)
                position &+= 2
            }
            return String(decoding: UnsafeBufferPointer(rebasing: text[0..<position]), as: UTF8.self)
        }
    }

    /// Which byte the text's `group`-th pair of digits shows: the first three fields are little-endian.
    @inline(__always)
    private static func guidByte(_ group: Int) -> Int {
        switch group {
        case 0...3: return 3 - group
        case 4, 6: return group + 1
        case 5, 7: return group - 1
        default: return group
        }
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ nibble &- 10
    }

    /// `S-R-A-S1-S2-…` for a binary SID (revision 1, authority big-endian, sub-authorities little-endian).
    static func sidText(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 8, bytes[0] == 1 else { return nil }
        let subCount = Int(bytes[1])
        guard subCount <= 15, bytes.count == 8 + 4 * subCount else { return nil }
        var authority: UInt64 = 0
        for index in 2..<8 { authority = authority << 8 | UInt64(bytes[index]) }
        var text = "S-1-\(authority)"
        for sub in 0..<subCount {
            let base = 8 + 4 * sub
            let value =
                UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8 | UInt32(bytes[base + 2]) << 16
                | UInt32(bytes[base + 3]) << 24
            text += "-\(value)"
        }
        return text
    }

    /// RFC 4648 base64 (whitespace ignored, padding optional); `nil` when the text is not base64.
    static func base64Decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var valid = true
        let output = [UInt8](unsafeUninitializedCapacity: text.count * 3 / 4 + 3) { buffer, written in
            var accumulator: UInt32 = 0
            var bits = 0
            var padding = 0
            var count = 0
            for byte in text {
                let sextet: UInt32
                if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") {
                    sextet = UInt32(byte &- UInt8(ascii: "a")) &+ 26
                } else if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                    sextet = UInt32(byte &- UInt8(ascii: "A"))
                } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                    sextet = UInt32(byte &- UInt8(ascii: "0")) &+ 52
                } else {
                    switch byte {
                    case UInt8(ascii: "+"): sextet = 62
                    case UInt8(ascii: "/"): sextet = 63
                    case UInt8(ascii: "="):
                        padding += 1
                        continue
                    case 0x20, 0x09, 0x0A, 0x0D: continue
                    default:
                        valid = false
                        return
                    }
                }
                if padding > 0 {
                    valid = false
                    return
                }
                accumulator = accumulator << 6 | sextet
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    buffer[count] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                    count += 1
                }
            }
            written = count
            // Leftover bits must be zero fill (at most 4), and padding must match what was missing.
            guard bits < 6, accumulator & ((1 << UInt32(bits)) - 1) == 0, padding <= 2 else {
                valid = false
                return
            }
            if padding > 0 && (bits / 2) != padding { valid = false }
        }
        return valid ? output : nil
    }

    /// Valid UTF-8 whose characters are all printable (tab, CR and LF allowed).
    static func isPrintableUTF8(_ bytes: [UInt8]) -> Bool {
        for byte in bytes where (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F {
            return false
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { return false }
        for scalar in text.unicodeScalars where scalar.properties.generalCategory == .control { return false }
        return true
    }
}
