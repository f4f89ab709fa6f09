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
    private let buffer: UnsafeMutableRawPointer

    public init(path: String, chunkSize: Int = 1 << 20) throws {
        self.path = path
        self.chunkSize = chunkSize
        descriptor = try InputFileDescriptor.open(path)
        buffer = .allocate(byteCount: chunkSize, alignment: 16)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// Replaces `output` with the next chunk; `false` at end of file.
    public func read(into output: inout [UInt8]) throws -> Bool {
        output.removeAll(keepingCapacity: true)
        guard let chunk = try nextChunk() else { return false }
        output.append(contentsOf: chunk)
        return true
    }

    /// The next chunk, in the reader's own buffer (valid until the next call); `nil` at end of file.
    public func nextChunk() throws -> UnsafeRawBufferPointer? {
        while true {
            let result = Glibc.read(descriptor, buffer, chunkSize)
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw TeprovError(.io, "cannot be read (\(reason)); check the file and the disk", file: path)
            }
            if result == 0 { return nil }
            return UnsafeRawBufferPointer(start: buffer, count: result)
        }
    }
}
