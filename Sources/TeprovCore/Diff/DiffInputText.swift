#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The whole text of a snapshot file as UTF-8, exactly as `UTF8ChunkReader` hands it to the JSON
/// tokenizer (byte-order mark dropped, UTF-16 transcoded), so the tokenizer's input offsets index it.
///
/// A regular UTF-8 file is mapped from the page cache (`mmap`, populated at once) rather than read
/// into fresh memory: copying and zero-filling two 500 MB snapshots cost a third of a second per file
/// on the benchmark machine, mapping them about nothing. Like other tools that map their input, a
/// file truncated by another program while `diff` runs ends the process (SIGBUS); files replaced by
/// rename, as `teprov snapshot` writes them, are not affected. Immutable once loaded.
final class DiffInputText: @unchecked Sendable {
    /// The text.
    let bytes: UnsafeBufferPointer<UInt8>
    /// `true` when the file is a regular file, which the tokenizer can read a second time (a pipe
    /// such as `<(command)` cannot).
    let isRegularFile: Bool
    /// What to release: a mapping, or memory this object allocated.
    private let mapping: UnsafeMutableRawBufferPointer?
    private let allocation: UnsafeMutableBufferPointer<UInt8>?

    var count: Int { bytes.count }

    private init(mapping: UnsafeMutableRawBufferPointer, skipping prefix: Int) {
        self.mapping = mapping
        self.allocation = nil
        self.isRegularFile = true
        let base = mapping.baseAddress.map { $0.assumingMemoryBound(to: UInt8.self) + prefix }
        bytes = UnsafeBufferPointer(start: base, count: mapping.count - prefix)
    }

    private init(copying text: some Collection<UInt8>, isRegularFile: Bool) {
        let allocation = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(text.count, 1))
        _ = allocation.initialize(from: text)
        self.allocation = allocation
        self.mapping = nil
        self.isRegularFile = isRegularFile
        bytes = UnsafeBufferPointer(start: allocation.baseAddress, count: text.count)
    }

    deinit {
        if let mapping, let base = mapping.baseAddress { munmap(base, mapping.count) }
        allocation?.deallocate()
    }

    /// Loads the file at `path`.
    /// - Throws: `TeprovError(.io)` when the file cannot be opened or read; `TeprovError(.input)` for
    ///   invalid UTF-16, or UTF-16 that is not in a regular file.
    static func load(path: String) throws -> DiffInputText {
        let descriptor = try InputFileDescriptor.open(path)
        defer { close(descriptor) }
        var info = stat()
        let isRegularFile = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        let size = isRegularFile ? Int(info.st_size) : 0
        if size > 0, let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0),
            mapped != UnsafeMutableRawPointer(bitPattern: -1)
        {
            let mapping = UnsafeMutableRawBufferPointer(start: mapped, count: size)
            switch TextEncoding.detect(UnsafeRawBufferPointer(mapping).prefix(4)) {
            case (.utf8, let bomLength), (.utf8BOM, let bomLength):
                return DiffInputText(mapping: mapping, skipping: bomLength)
            case (.utf16LE, _), (.utf16BE, _):
                munmap(mapped, size)
                return DiffInputText(copying: try UTF8ChunkReader(path: path).readAll(), isRegularFile: true)
            }
        }
        let raw = try readAll(descriptor, path: path)
        switch TextEncoding.detect(raw.prefix(4)) {
        case (.utf8, _):
            return DiffInputText(copying: raw, isRegularFile: isRegularFile)
        case (.utf8BOM, let bomLength):
            return DiffInputText(copying: raw.dropFirst(bomLength), isRegularFile: isRegularFile)
        case (.utf16LE, _), (.utf16BE, _):
            guard isRegularFile else {
                throw TeprovError(
                    .input, "is UTF-16 and not a regular file, so it cannot be transcoded; save it to a file first",
                    file: path)
            }
            return DiffInputText(copying: try UTF8ChunkReader(path: path).readAll(), isRegularFile: true)
        }
    }

    /// Every byte left in the descriptor (a pipe, or a file that could not be mapped).
    private static func readAll(_ descriptor: Int32, path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let result = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw TeprovError(.io, "cannot be read (\(reason)); check the file and the disk", file: path)
            }
            if result == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<result])
        }
    }
}
