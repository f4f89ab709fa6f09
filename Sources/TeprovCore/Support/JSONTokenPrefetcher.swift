import Foundation

/// Runs a ``JSONTokenizer`` over a file on a background thread, so that on two cores reading,
/// scanning strings, validating UTF-8 and checking the grammar overlap with what the caller does with
/// the tokens (building records).
///
/// Tokens cross over in batches: each token with its line, and the bytes of a key, string (escapes
/// decoded) or number copied into the batch. At most a few batches wait, so memory stays bounded
/// whatever the file size; read batches go back to the background thread to be filled again. The
/// caller reads through an ordinary `JSONTokenizer` made with `init(replaying:)`, which sees exactly
/// the tokens, values, lines, depths and errors (in the same place) that tokenizing on its own thread
/// gives.
///
/// The consumer must call ``finish()`` when it stops (also early, on an error): it stops the
/// background thread and waits for it.
final class JSONTokenPrefetcher: @unchecked Sendable {
    /// One token as the background tokenizer returned it.
    struct Entry {
        var token: JSONTokenizer.Token
        /// For a number: written without fraction or exponent.
        var isIntegral: Bool
        /// Where the key's, string's or number's bytes are in the batch.
        var offset: UInt32
        var length: UInt32
        var line: Int
    }

    /// Tokens handed over together.
    final class Batch {
        /// `batchTokens` entries, `entryCount` of them in use.
        let entries: UnsafeMutablePointer<Entry>
        var entryCount = 0
        var bytes: UnsafeMutablePointer<UInt8>
        var byteCapacity: Int
        var byteCount = 0
        /// What the tokenizer threw after these tokens.
        var error: Error?
        /// No tokens follow this batch.
        var isLast = false

        init() {
            byteCapacity = JSONTokenPrefetcher.batchBytes + 4096
            bytes = .allocate(capacity: byteCapacity)
            entries = .allocate(capacity: JSONTokenPrefetcher.batchTokens)
        }

        deinit {
            bytes.deallocate()
            entries.deallocate()
        }

        var isFull: Bool {
            byteCount >= JSONTokenPrefetcher.batchBytes || entryCount == JSONTokenPrefetcher.batchTokens
        }

        func reset() {
            entryCount = 0
            byteCount = 0
            error = nil
            isLast = false
        }

        /// Appends the token `tokenizer` just returned, copying its bytes.
        func append(_ token: JSONTokenizer.Token, from tokenizer: JSONTokenizer) {
            var entry = Entry(token: token, isIntegral: false, offset: 0, length: 0, line: tokenizer.line)
            switch token {
            case .key, .string:
                tokenizer.withStringBytes { copy($0, into: &entry) }
            case .number:
                tokenizer.withNumberBytes { copy($0, into: &entry) }
                entry.isIntegral = tokenizer.numberIsIntegral
            default:
                break
            }
            (entries + entryCount).initialize(to: entry)
            entryCount &+= 1
        }

        @inline(__always)
        private func copy(_ source: UnsafeBufferPointer<UInt8>, into entry: inout Entry) {
            let count = source.count
            UnsafeMutablePointer.grow(&bytes, count: byteCount, capacity: &byteCapacity, toHold: byteCount + count)
            if let base = source.baseAddress { (bytes + byteCount).update(from: base, count: count) }
            entry.offset = UInt32(truncatingIfNeeded: byteCount)
            entry.length = UInt32(truncatingIfNeeded: count)
            byteCount += count
        }
    }

    /// Bytes of values per batch, and tokens per batch.
    static let batchBytes = 128 * 1024
    static let batchTokens = 16 * 1024
    /// Batches that may wait for the consumer.
    private static let queuedBatches = 4

    /// The tokenizer on the background thread; its settings (source name, limits) are the consumer's.
    let tokenizer: JSONTokenizer
    private let relay = BatchRelay<Batch>(capacity: JSONTokenPrefetcher.queuedBatches)
    // The consumer's own: the batch being read, and its storage as plain pointers so that reading a
    // token touches no reference count (the other thread's too would bounce the cache line).
    private var current: Batch?
    private var entries: UnsafeMutablePointer<Entry>?
    private var entryCount = 0
    private var nextEntry = 0
    private var bytes: UnsafeMutablePointer<UInt8>?

    /// Starts tokenizing on a background thread.
    init(tokenizer: JSONTokenizer) {
        self.tokenizer = tokenizer
        relay.startProducer(name: "teprov JSON tokens") { [self] in produce() }
    }

    deinit {
        finish()
    }

    /// The next token, applied to `consumer` (its line, depth, and the bytes of its value).
    @inline(__always)
    func next(into consumer: JSONTokenizer) throws -> JSONTokenizer.Token {
        if nextEntry < entryCount {
            let entry = entries.unsafelyUnwrapped[nextEntry]
            nextEntry &+= 1
            consumer.apply(entry, bytes: bytes.unsafelyUnwrapped)
            return entry.token
        }
        return try nextFromNextBatch(into: consumer)
    }

    @inline(never)
    private func nextFromNextBatch(into consumer: JSONTokenizer) throws -> JSONTokenizer.Token {
        while true {
            if let current, current.isLast {
                if let error = current.error {
                    current.error = nil
                    throw error
                }
                return .endOfInput  // again, as the tokenizer answers after the end (the line stays)
            }
            let taken = relay.take(returning: current)
            current = taken
            entries = taken.entries
            entryCount = taken.entryCount
            bytes = taken.bytes
            nextEntry = 0
            if nextEntry < entryCount { return try next(into: consumer) }
        }
    }

    /// Stops the background thread (when it has not finished) and waits for it to end.
    func finish() {
        relay.finish()
    }

    // MARK: The background thread

    private func produce() {
        let tokenizer = self.tokenizer
        var batch = Batch()
        do {
            while true {
                let token = try tokenizer.next()
                batch.append(token, from: tokenizer)
                if token == .endOfInput { break }
                if batch.isFull {
                    var next: Batch?
                    guard relay.put(batch, reusable: { next = $0 }) else { return }
                    batch = next ?? Batch()
                    batch.reset()
                }
            }
        } catch {
            batch.error = error
        }
        batch.isLast = true
        relay.put(batch)
    }
}

extension JSONTokenizer {
    /// Makes the state `next()` leaves behind for a token read on another thread.
    @inline(__always)
    func apply(_ entry: JSONTokenPrefetcher.Entry, bytes: UnsafeMutablePointer<UInt8>) {
        tokenLine = entry.line
        currentLine = entry.line
        switch entry.token {
        case .beginObject:
            containerIsObject[openContainers] = true
            openContainers &+= 1
        case .beginArray:
            containerIsObject[openContainers] = false
            openContainers &+= 1
        case .endObject, .endArray:
            openContainers &-= 1
        case .key, .string:
            storage = bytes
            stringStart = Int(entry.offset)
            stringLength = Int(entry.length)
            stringIsDecoded = false
        case .number:
            storage = bytes
            numberStart = Int(entry.offset)
            numberLength = Int(entry.length)
            currentNumberIsIntegral = entry.isIntegral
        case .bool, .null, .endOfInput:
            break
        }
    }
}
