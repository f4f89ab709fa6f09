#if canImport(Glibc)
    import Glibc
#endif

/// Writing whole buffers to a file descriptor: short writes continue, `EINTR` retries.
public enum DescriptorWrite {
    /// Writes every byte of `buffer` to `descriptor`.
    /// - Returns: the `errno` of the write that failed, or `nil` when every byte was written.
    @discardableResult
    public static func all(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard let base = buffer.baseAddress else { return nil }
        var offset = 0
        while offset < buffer.count {
            let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }

    /// Writes every byte of `bytes` to `descriptor`; the `errno` of a failed write, else `nil`.
    @discardableResult
    public static func all(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        bytes.withUnsafeBytes { all($0, to: descriptor) }
    }
}
