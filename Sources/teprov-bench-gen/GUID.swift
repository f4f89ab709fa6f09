/// A 128-bit identifier, held in its text order (the first 8 hex digits are the top of `high`).
struct GUID: Equatable, Sendable {
    var high: UInt64
    var low: UInt64

    /// A random version-4 GUID from the generator.
    static func random(using generator: inout SplitMix64) -> GUID {
        let high = (generator.next() & ~0xF000) | 0x4000  // version 4
        let low = (generator.next() & ~(0xC << 60)) | (0x8 << 60)  // RFC 4122 variant
        return GUID(high: high, low: low)
    }

    /// The all-zero GUID (Entra's Default Access role id).
    static let zero = GUID(high: 0, low: 0)

    /// The 16 bytes as Active Directory stores `objectGUID`: the first three groups little-endian,
    /// so that Microsoft's GUID text of these bytes is this GUID.
    var microsoftByteOrder: [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 16)
        let data1 = UInt32(truncatingIfNeeded: high >> 32)
        let data2 = UInt16(truncatingIfNeeded: high >> 16)
        let data3 = UInt16(truncatingIfNeeded: high)
        for index in 0..<4 { bytes[index] = UInt8(truncatingIfNeeded: data1 >> (8 * UInt32(index))) }
        for index in 0..<2 { bytes[4 + index] = UInt8(truncatingIfNeeded: data2 >> (8 * UInt16(index))) }
        for index in 0..<2 { bytes[6 + index] = UInt8(truncatingIfNeeded: data3 >> (8 * UInt16(index))) }
        for index in 0..<8 { bytes[8 + index] = UInt8(truncatingIfNeeded: low >> (8 * UInt64(7 - index))) }
        return bytes
    }
}

/// Base64 (RFC 4648) and base64url without padding, for `objectGUID` values and Graph's opaque ids.
enum Base64 {
    private static let standard: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSafe: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Standard base64 with `=` padding.
    static func encode(_ bytes: [UInt8]) -> [UInt8] { encode(bytes, alphabet: standard, pad: true) }

    /// base64url without padding.
    static func encodeURLSafe(_ bytes: [UInt8]) -> [UInt8] { encode(bytes, alphabet: urlSafe, pad: false) }

    private static func encode(_ bytes: [UInt8], alphabet: [UInt8], pad: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int((chunk >> UInt32(shift)) & 63)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            var chunk = UInt32(bytes[index]) << 16
            if rest == 2 { chunk |= UInt32(bytes[index + 1]) << 8 }
            out.append(alphabet[Int((chunk >> 18) & 63)])
            out.append(alphabet[Int((chunk >> 12) & 63)])
            if rest == 2 { out.append(alphabet[Int((chunk >> 6) & 63)]) }
            if pad { out.append(contentsOf: Array(repeating: UInt8(ascii: "="), count: 3 - rest)) }
        }
        return out
    }
}
