/// RFC 8785 member order: names compared as sequences of UTF-16 code units.
enum JSONKeyOrder {
    /// `true` when `left` sorts before `right`.
    static func precedes(_ left: String, _ right: String) -> Bool {
        var left = left
        var right = right
        return left.withUTF8 { leftBytes in
            right.withUTF8 { rightBytes in precedes(leftBytes, rightBytes) }
        }
    }

    /// The same order on UTF-8 bytes. UTF-8 byte order is code point order, which agrees with UTF-16
    /// order unless a character beyond U+FFFF (a 4-byte sequence, lead byte 0xF0 or more) is involved.
    static func precedes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        let common = min(left.count, right.count)
        var index = 0
        while index < common {
            let a = left[index]
            let b = right[index]
            if a != b {
                // Only characters beyond U+FFFF (4-byte sequences) sort differently in UTF-16, and the first
                // differing byte is either their lead byte or follows a lead byte both names share.
                return a >= 0xF0 || b >= 0xF0 ? utf16Precedes(left, right) : a < b
            }
            index += 1
        }
        return left.count < right.count
    }

    private static func utf16Precedes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        String(decoding: left, as: UTF8.self).utf16.lexicographicallyPrecedes(
            String(decoding: right, as: UTF8.self).utf16)
    }
}
