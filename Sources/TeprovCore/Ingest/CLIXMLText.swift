#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// PowerShell's CLIXML string escapes: a character that XML cannot carry (control characters, a
/// lone surrogate, or `_` itself when it would start an escape) is written as `_xHHHH_`, one
/// UTF-16 code unit per escape, so a character outside the BMP is two escapes in a row.
enum CLIXMLText {
    /// The outcome of decoding one string.
    enum Decoded: Equatable {
        /// No escape in the text: use the original bytes.
        case unchanged
        case decoded([UInt8])
        /// A lone surrogate: the value cannot be represented as Unicode text.
        case invalid
    }

    /// Decodes every `_xHHHH_` escape in `bytes` (UTF-8).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Decoded {
        guard let first = firstEscape(in: bytes, from: 0) else { return .unchanged }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<first]))
        var index = first
        while index < bytes.count {
            guard let unit = escapedUnit(in: bytes, at: index) else {
                output.append(bytes[index])
                index += 1
                continue
            }
            index += 7
            switch unit {
            case 0xD800...0xDBFF:
                guard let low = escapedUnit(in: bytes, at: index), (0xDC00...0xDFFF).contains(low) else {
                    return .invalid
                }
                index += 7
                UTF8Encoding.append(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00), to: &output)
            case 0xDC00...0xDFFF:
                return .invalid
            default:
                UTF8Encoding.append(UInt32(unit), to: &output)
            }
        }
        return .decoded(output)
    }

    /// Decodes a name or value into a `String` (a lone surrogate becomes U+FFFD; callers that must
    /// refuse it use `decode(_:)`).
    static func decodedString(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        switch decode(bytes) {
        case .unchanged: return String(decoding: bytes, as: UTF8.self)
        case .decoded(let output): return String(decoding: output, as: UTF8.self)
        case .invalid: return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func firstEscape(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var index = start
        // Most values hold no underscore at all: let memchr find the candidates.
        while index + 6 < bytes.count {
            guard let found = memchr(base + index, Int32(UInt8(ascii: "_")), bytes.count - 6 - index) else {
                return nil
            }
            index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if bytes[index + 1] == UInt8(ascii: "x"), escapedUnit(in: bytes, at: index) != nil { return index }
            index += 1
        }
        return nil
    }

    /// The code unit of an escape starting at `index`, or `nil` when there is none there.
    @inline(__always)
    private static func escapedUnit(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt16? {
        guard index + 6 < bytes.count, bytes[index] == UInt8(ascii: "_"), bytes[index + 1] == UInt8(ascii: "x"),
            bytes[index + 6] == UInt8(ascii: "_")
        else { return nil }
        var unit: UInt16 = 0
        for offset in 2..<6 {
            guard let digit = hexValue(bytes[index + offset]) else { return nil }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    @inline(__always)
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

}
