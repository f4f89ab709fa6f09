import Foundation

/// Comparisons and identity checks of SPEC §4 and §6.
///
/// Every function has a fast path for ASCII text (almost every id, userName and address), working on the
/// UTF-8 bytes without allocating, and falls back to the `String` operations it is defined by otherwise.
enum ValueComparison {
    /// `true` when two values are equal for a target attribute: NFC strings (already normalized), compared
    /// lower-cased unless `caseExact`; booleans by value.
    static func equal(_ lhs: AttributeValue?, _ rhs: AttributeValue?, caseExact: Bool) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): return true
        case (nil, _), (_, nil): return false
        case (.some(let a), .some(let b)):
            if case .string(let left) = a, case .string(let right) = b {
                return textEqual(left, right, caseExact: caseExact)
            }
            if let first = a.boolValue, let second = b.boolValue, isBooleanLike(a), isBooleanLike(b) {
                return first == second
            }
            guard let left = a.scalarText, let right = b.scalarText else { return a == b }
            return textEqual(left, right, caseExact: caseExact)
        }
    }

    /// `left == right`, or `left.foldedForLookup == right.foldedForLookup` when not `caseExact`.
    @inline(__always)
    static func textEqual(_ left: String, _ right: String, caseExact: Bool) -> Bool {
        if caseExact { return left == right }
        // The bytes in place (`withUTF8` needs a mutable copy of each string: a retain and a release).
        let asciiAnswer = left.utf8.withContiguousStorageIfAvailable { leftBytes in
            right.utf8.withContiguousStorageIfAvailable { rightBytes in equalIgnoringASCIICase(leftBytes, rightBytes) }
        }
        return asciiAnswer.flatMap { $0 }.flatMap { $0 } ?? (left.foldedForLookup == right.foldedForLookup)
    }

    /// Byte comparison ignoring ASCII case; `nil` when either side holds a non-ASCII byte (and the
    /// answer is not already known to be `false` from the ASCII bytes).
    @inline(__always)
    private static func equalIgnoringASCIICase(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>)
        -> Bool?
    {
        guard lhs.count == rhs.count else {
            // Lower-casing never changes the length of ASCII text.
            return isASCII(lhs) && isASCII(rhs) ? false : nil
        }
        // Identical bytes are equal in any case (the usual answer when nothing changed).
        if lhs.count == 0
            || memcmp(lhs.baseAddress.unsafelyUnwrapped, rhs.baseAddress.unsafelyUnwrapped, lhs.count) == 0
        {
            return true
        }
        for index in 0..<lhs.count {
            let left = lhs[index]
            let right = rhs[index]
            if left | right >= 0x80 { return nil }
            if left != right, asciiLowercase(left) != asciiLowercase(right) {
                return isASCII(lhs) && isASCII(rhs) ? false : nil
            }
        }
        return true
    }

    private static func isBooleanLike(_ value: AttributeValue) -> Bool {
        if case .bool = value { return true }
        return false
    }

    /// Lower-cased key for case-insensitive indexes (`foldedForLookup`): the string itself, sharing its
    /// storage, when it has no upper-case ASCII letter and no non-ASCII character.
    static func folded(_ text: String) -> String {
        var copy = text
        let kind = copy.withUTF8 { bytes -> UInt8 in
            var kind: UInt8 = 0  // 0 lower-case ASCII, 1 has upper-case ASCII, 2 non-ASCII
            for byte in bytes {
                if byte >= 0x80 { return 2 }
                if byte &- 0x41 < 26 { kind = 1 }
            }
            return kind
        }
        switch kind {
        case 0: return text
        case 1: return asciiLowercased(text)
        default: return text.lowercased()
        }
    }

    /// An ASCII string lower-cased (what `lowercased()` gives for ASCII text).
    private static func asciiLowercased(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { buffer in
                for index in 0..<bytes.count { buffer[index] = asciiLowercase(bytes[index]) }
                return bytes.count
            }
        }
    }

    @inline(__always)
    static func asciiLowercase(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    @inline(__always)
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where byte >= 0x80 { return false }
        return true
    }

    /// SPEC §6: one `@`, a non-empty local part without spaces, a domain with a dot.
    static func isValidAddress(_ text: String) -> Bool {
        var copy = text
        if let answer = copy.withUTF8(isValidASCIIAddress) { return answer }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, !local.contains(where: { $0.isWhitespace }) else { return false }
        guard !domain.contains(where: { $0.isWhitespace }), let dot = domain.firstIndex(of: "."),
            dot != domain.startIndex, domain.last != "."
        else { return false }
        return true
    }

    /// `isValidAddress` for ASCII text (whose characters are its bytes, and whose whitespace is
    /// tab, line feed, vertical tab, form feed, carriage return and space); `nil` for other text.
    private static func isValidASCIIAddress(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        var at: Int?
        var firstDotAfterAt: Int?
        var hasWhitespace = false
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if byte >= 0x80 { return nil }
            switch byte {
            case UInt8(ascii: "@"):
                if at != nil { return false }  // two "@"
                at = index
            case UInt8(ascii: "."):
                if at != nil, firstDotAfterAt == nil { firstDotAfterAt = index }
            case 0x09...0x0D, 0x20:
                hasWhitespace = true
            default:
                break
            }
        }
        guard !hasWhitespace, let at, at > 0, let dot = firstDotAfterAt, dot != at + 1,
            bytes[bytes.count - 1] != UInt8(ascii: ".")
        else { return false }
        return true
    }

    /// Appends the UTF-8 bytes of the lower-cased string, the sort key of SPEC §4/§6, to `output`.
    static func appendSortKey(_ text: String, to output: inout [UInt8]) {
        var copy = text
        let ascii = copy.withUTF8 { bytes -> Bool in
            for index in 0..<bytes.count where bytes[index] >= 0x80 { return false }
            for index in 0..<bytes.count { output.append(asciiLowercase(bytes[index])) }
            return true
        }
        if !ascii { output.append(contentsOf: text.lowercased().utf8) }
    }
}
