import CLibXML2

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file libxml2 reads, through a descriptor we opened: libxml2 never interprets the path as a
/// URL and never decompresses it, and we know when the input ran out (so an error raised after the
/// last byte, with elements still open, is reported as a truncated file).
final class XMLFileInput {
    let descriptor: Int32
    /// `true` once a read returned end of file.
    private(set) var exhausted = false
    /// `errno` of a failed read, if any.
    private(set) var readError: Int32?

    /// Opens `path`.
    /// - Throws: `TeprovError(.io)` when the file cannot be opened or is a directory.
    init(path: String) throws {
        descriptor = try InputFileDescriptor.open(path)
    }

    deinit { close(descriptor) }

    /// The C read callback libxml2 calls; `context` is an unretained pointer to the input.
    static let readCallback: xmlInputReadCallback = { context, buffer, length in
        guard let context, let buffer, length > 0 else { return -1 }
        let input = Unmanaged<XMLFileInput>.fromOpaque(context).takeUnretainedValue()
        return input.read(into: buffer, length: Int(length))
    }

    private func read(into buffer: UnsafeMutablePointer<CChar>, length: Int) -> Int32 {
        while true {
            let count = Glibc.read(descriptor, buffer, length)
            if count < 0 && errno == EINTR { continue }
            if count < 0 {
                readError = errno
                return -1
            }
            if count == 0 { exhausted = true }
            return Int32(count)
        }
    }
}
