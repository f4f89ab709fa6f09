/// UTF-8 validation of whole CSV rows, so a bad byte is found (and its line named) even in a
/// column the projection does not keep.
enum CSVUTF8Validation {
    /// The offset of the first byte that does not start or continue a well-formed UTF-8 sequence
    /// (Unicode Table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or `nil`.
    @inline(__always)
    static func firstInvalidOffset(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        UTF8Validation.firstInvalidOffset(in: bytes)
    }
}
