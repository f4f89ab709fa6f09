#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Reads a file's bytes exactly as stored, in chunks (for hashing inputs).
public final class RawFileReader {
    public let path: String
    private let descriptor: Int32
    private let chunkSize: Int
    private var buffer: [UInt8]

    public init(path: String, chunkSize: Int = 1 << 20) throws {
        self.path = path
        self.chunkSize = chunkSize
        self.buffer = [UInt8](repeating: 0, count: chunkSize)
        descriptor = try InputFileDescriptor.open(path)
    }

    deinit { close(descriptor) }

    /// Replaces `output` with the next chunk; `false` at end of file.
    public func read(into output: inout [UInt8]) throws -> Bool {
        output.removeAll(keepingCapacity: true)
        while true {
            let size = chunkSize
            let fd = descriptor
            let result = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, size) }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw TeprovError(.io, "cannot be read (\(reason)); check the file and the disk", file: path)
            }
            if result == 0 { return false }
            output.append(contentsOf: buffer[0..<result])
            return true
        }
    }
}
