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
///
/// libxml2 asks for about 4 KB at a time; the file is read in larger blocks and handed out from them,
/// which saves a system call per 4 KB.
///
/// The start of the file can be read twice without reading the file twice (which a pipe would not
/// allow): while recording, the blocks read are kept, and `rewind()` hands them out again.
final class XMLFileInput {
    let descriptor: Int32
    /// `true` once a read returned end of file.
    private(set) var exhausted = false
    /// `errno` of a failed read, if any.
    private(set) var readError: Int32?
    private static let blockSize = 256 * 1024
    private let block: UnsafeMutablePointer<CChar>
    private var blockStart = 0
    private var blockEnd = 0
    /// The blocks read since `startRecording()`, while recording.
    private var recorded: [CChar]?
    /// Bytes to hand out again after `rewind()`, before reading on.
    private var replay: [CChar] = []
    private var replayOffset = 0

    /// Opens `path`.
    /// - Throws: `TeprovError(.io)` when the file cannot be opened or is a directory.
    init(path: String) throws {
        descriptor = try InputFileDescriptor.open(path)
        block = .allocate(capacity: XMLFileInput.blockSize)
    }

    deinit {
        close(descriptor)
        block.deallocate()
    }

    /// The C read callback libxml2 calls; `context` is an unretained pointer to the input.
    static let readCallback: xmlInputReadCallback = { context, buffer, length in
        guard let context, let buffer, length > 0 else { return -1 }
        let input = Unmanaged<XMLFileInput>.fromOpaque(context).takeUnretainedValue()
        return input.read(into: buffer, length: Int(length))
    }

    /// Keeps what is read from now on, so that `rewind()` can hand it out again.
    func startRecording() {
        recorded = []
    }

    /// Stops keeping what is read and forgets what was kept.
    func stopRecording() {
        recorded = nil
    }

    /// Starts handing out the file again from where recording started (the start of the file).
    func rewind() {
        replay = recorded ?? []
        replayOffset = 0
        recorded = nil
        blockStart = 0
        blockEnd = 0
        exhausted = false
    }

    private func read(into buffer: UnsafeMutablePointer<CChar>, length: Int) -> Int32 {
        if replayOffset < replay.count {
            let count = min(length, replay.count - replayOffset)
            replay.withUnsafeBufferPointer { kept in
                guard let base = kept.baseAddress else { return }
                buffer.update(from: base + replayOffset, count: count)
            }
            replayOffset += count
            if replayOffset == replay.count {
                replay = []
                replayOffset = 0
            }
            return Int32(count)
        }
        if blockStart == blockEnd {
            guard let count = readBlock() else { return -1 }
            if count == 0 { return 0 }
        }
        let count = min(length, blockEnd - blockStart)
        buffer.update(from: block + blockStart, count: count)
        blockStart += count
        return Int32(count)
    }

    /// Reads the next block of the file. - Returns: its length (0 at the end), `nil` on an error.
    private func readBlock() -> Int? {
        while true {
            let count = Glibc.read(descriptor, block, XMLFileInput.blockSize)
            if count < 0 && errno == EINTR { continue }
            if count < 0 {
                readError = errno
                return nil
            }
            if count == 0 { exhausted = true }
            blockStart = 0
            blockEnd = count
            recorded?.append(contentsOf: UnsafeBufferPointer(start: block, count: count))
            return count
        }
    }
}
