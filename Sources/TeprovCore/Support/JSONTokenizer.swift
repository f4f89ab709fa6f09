/// A strict RFC 8259 pull tokenizer that streams JSON from a file in chunks, or reads it from memory.
///
/// Memory stays constant whatever the input size: one buffer that holds the current chunk and,
/// at most, the one token that spans a chunk boundary. Callers pull tokens with `next()`, compare
/// keys without allocating (`keyEquals(_:)`), skip what they do not need (`skipValue()`) and read
/// small subtrees as `JSONValue` (`readValue()`). Several top-level values may follow one another
/// (JSON Lines, concatenated documents); `next()` returns `.endOfInput` after the last one.
///
/// The bytes of the current key, string or number stay valid until the next call that reads input.
/// Every malformed input is a `TeprovError(.input)` naming the source and the line.
public final class JSONTokenizer {
    /// Default nesting limit: deeper input is refused instead of overflowing the stack of callers.
    public static let defaultMaximumDepth = 512
    /// Default limit on one string's decoded length (16 MiB).
    public static let defaultMaximumStringLength = 16 << 20
    /// Numbers longer than this are refused (no directory value needs more digits).
    static let maximumNumberLength = 1024

    /// The file path (or description of an in-memory source) used in error messages.
    public let sourceName: String
    /// What the input is, in error messages: "file", or "response" for an HTTP body.
    public let inputNoun: String
    public let maximumDepth: Int
    public let maximumStringLength: Int
    /// 1-based line where the current token starts.
    public var line: Int { tokenLine }
    /// Number of objects and arrays currently open.
    public var depth: Int { openContainers }
    /// For the current `.number` token: `true` when it is written without fraction or exponent.
    public var numberIsIntegral: Bool { currentNumberIsIntegral }

    // Stored state is internal so that whole-module optimization sees every access to it.
    var tokenLine = 1
    var openContainers = 0
    var currentNumberIsIntegral = false

    // Input: `storage[position..<end]` is unread; `storage[end]` is always 0, a sentinel that stops
    // every scanning loop (0 is neither whitespace nor allowed unescaped inside strings).
    private let source: UTF8ChunkReader?
    private var chunk: [UInt8] = []
    private var sourceExhausted: Bool
    var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    var position = 0
    var end = 0
    /// Input bytes dropped from the front of `storage` so far: `storage[i]` is byte
    /// `discardedInputBytes + i` of the input (the bytes given, or the reader's UTF-8 output).
    var discardedInputBytes = 0
    /// Line of the byte at `position`.
    var currentLine = 1

    /// Where tokens come from when another thread reads the file (`init(replaying:)`).
    /// Unmanaged so that each token costs no reference counting; `replayOwner` keeps it alive.
    var replay: Unmanaged<JSONTokenPrefetcher>?
    private var replayOwner: JSONTokenPrefetcher?
    /// This tokenizer's own buffer while `storage` points at a prefetcher's batch.
    private var ownedStorage: UnsafeMutablePointer<UInt8>?

    // Structure.
    var containerIsObject: UnsafeMutablePointer<Bool>
    var expectation: Expectation = .topLevelValue
    var topLevelValuesStarted = 0

    // The current string or key: raw bytes in `storage` or, when it had escapes, decoded into `decoded`.
    var stringStart = 0
    var stringLength = 0
    var stringIsDecoded = false
    var decoded: [UInt8] = []
    // The current number's text in `storage`.
    var numberStart = 0
    var numberLength = 0

    /// What the grammar allows at `position`.
    enum Expectation {
        case topLevelValue
        case firstArrayValue
        case firstKey
        case colon
        case commaOrEnd
    }

    /// Tokenizes a file, read in chunks through `reader` (which also transcodes UTF-16).
    public init(
        reader: UTF8ChunkReader, maximumDepth: Int = JSONTokenizer.defaultMaximumDepth,
        maximumStringLength: Int = JSONTokenizer.defaultMaximumStringLength
    ) {
        self.source = reader
        self.sourceName = reader.path
        self.inputNoun = "file"
        self.sourceExhausted = false
        self.maximumDepth = max(maximumDepth, 1)
        self.maximumStringLength = max(maximumStringLength, 0)
        self.capacity = 64 * 1024
        self.storage = .allocate(capacity: capacity + 1)
        self.storage[0] = 0
        self.containerIsObject = .allocate(capacity: self.maximumDepth)
    }

    /// Opens and tokenizes the file at `path`.
    /// - Throws: `TeprovError(.io)` when the file cannot be opened.
    public convenience init(
        path: String, chunkSize: Int = 1 << 20, maximumDepth: Int = JSONTokenizer.defaultMaximumDepth,
        maximumStringLength: Int = JSONTokenizer.defaultMaximumStringLength
    ) throws {
        let reader = try UTF8ChunkReader(path: path, chunkSize: chunkSize)
        self.init(reader: reader, maximumDepth: maximumDepth, maximumStringLength: maximumStringLength)
    }

    /// Tokenizes UTF-8 bytes held in memory (an HTTP body, a test input); a leading UTF-8 BOM is skipped.
    /// - Parameters:
    ///   - sourceName: names the input in error messages, e.g. the request URL.
    ///   - inputNoun: what the input is, in error messages ("the file is truncated"): `"response"` for an
    ///     HTTP body.
    public init(
        bytes: [UInt8], sourceName: String, inputNoun: String = "file",
        maximumDepth: Int = JSONTokenizer.defaultMaximumDepth,
        maximumStringLength: Int = JSONTokenizer.defaultMaximumStringLength
    ) {
        self.source = nil
        self.sourceName = sourceName
        self.inputNoun = inputNoun
        self.sourceExhausted = true
        self.maximumDepth = max(maximumDepth, 1)
        self.maximumStringLength = max(maximumStringLength, 0)
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        let capacity = max(bytes.count, 16)
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + 1)
        bytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { storage.update(from: base, count: buffer.count) }
        }
        self.capacity = capacity
        self.storage = storage
        self.position = hasBOM ? 3 : 0
        self.end = bytes.count
        self.storage[end] = 0
        self.containerIsObject = .allocate(capacity: self.maximumDepth)
    }

    /// Tokens read from a file on another thread (`JSONTokenPrefetcher`), exactly as this tokenizer
    /// would read them: same tokens, values, lines, depths and errors. Everything built on `next()` and
    /// the current token's accessors works; input offsets (`inputOffset(of:)`) do not, as the input
    /// never passes through this tokenizer.
    /// - Parameter prefetcher: its tokenizer's name and limits become this one's.
    convenience init(replaying prefetcher: JSONTokenPrefetcher) {
        let source = prefetcher.tokenizer
        self.init(
            bytes: [], sourceName: source.sourceName, inputNoun: source.inputNoun, maximumDepth: source.maximumDepth,
            maximumStringLength: source.maximumStringLength)
        replayOwner = prefetcher
        replay = Unmanaged.passUnretained(prefetcher)
        ownedStorage = storage
    }

    deinit {
        // When replaying, `storage` points into a prefetcher's batch.
        (ownedStorage ?? storage).deallocate()
        containerIsObject.deallocate()
    }

    /// Makes more input available, discarding the bytes before `keepFrom` (an offset into `storage`).
    /// - Returns: how far the kept bytes moved toward the start (callers subtract it from the offsets
    ///   they hold), or `nil` when the input is exhausted.
    func loadMore(keepingFrom keepFrom: Int) throws -> Int? {
        guard let source, !sourceExhausted else { return nil }
        guard try source.read(into: &chunk) else {
            sourceExhausted = true
            return nil
        }
        let kept = end - keepFrom
        let needed = kept + chunk.count
        discardedInputBytes += keepFrom
        if needed > capacity {
            let newCapacity = max(needed, capacity * 2)
            let newStorage = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + 1)
            newStorage.update(from: storage + keepFrom, count: kept)
            storage.deallocate()
            storage = newStorage
            capacity = newCapacity
        } else if keepFrom > 0 && kept > 0 {
            UnsafeMutableRawPointer(storage).copyMemory(from: storage + keepFrom, byteCount: kept)
        }
        let target = storage + kept
        chunk.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { target.update(from: base, count: buffer.count) }
        }
        end = needed
        storage[end] = 0
        return keepFrom
    }

    /// Offset in the whole input of the byte at `storage[index]` (`inputOffset(of: position)` is how
    /// far reading has got), so callers can find a value's text in a copy of the input they keep.
    @inline(__always)
    func inputOffset(of index: Int) -> Int { discardedInputBytes &+ index }

    /// Makes at least `count` bytes available from offset `offset`, which is updated if the bytes move.
    /// - Returns: `false` when the input ends first.
    func requireBytes(_ count: Int, from offset: inout Int) throws -> Bool {
        while end - offset < count {
            guard let shift = try loadMore(keepingFrom: offset) else { return false }
            offset -= shift
        }
        return true
    }

    /// Skips the spaces that indent a pretty-printed line, 8 at a time while 8 bytes remain.
    @inline(__always)
    private func skipIndentation(from offset: inout Int) {
        let base = storage
        let spaces: UInt64 = 0x2020_2020_2020_2020
        while offset &+ 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
            let different = word ^ spaces
            if different != 0 {
                offset &+= different.trailingZeroBitCount &>> 3
                return
            }
            offset &+= 8
        }
    }

    /// Skips whitespace, counting lines, and returns the next byte without consuming it (`nil` at end of input).
    @inline(__always)
    func peekNonWhitespace() throws -> UInt8? {
        while true {
            let base = storage
            var offset = position
            var newlines = 0
            while true {
                let byte = base[offset]
                if byte > 0x20 { break }
                if byte == 0x0A {
                    newlines &+= 1
                    offset &+= 1
                    skipIndentation(from: &offset)
                } else if byte == 0x20 || byte == 0x09 || byte == 0x0D {
                    offset &+= 1
                } else {
                    break
                }
            }
            currentLine &+= newlines
            position = offset
            if offset < end { return base[offset] }
            guard let shift = try loadMore(keepingFrom: offset) else { return nil }
            position = offset - shift
        }
    }
}
