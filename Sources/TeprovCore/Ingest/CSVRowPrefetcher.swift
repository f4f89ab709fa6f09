import Foundation

/// Where a `CSVReadSession` gets its rows: the tokenizer itself, or a ``CSVRowPrefetcher`` running it
/// on another thread.
protocol CSVRowSource: AnyObject {
    /// The next row, valid until the next call; `nil` at the end of the file.
    func nextRow() throws -> CSVRow?
}

extension CSVTokenizer: CSVRowSource {}

/// Runs a ``CSVTokenizer`` (reading, transcoding, splitting rows, validating UTF-8) on a background
/// thread while the calling thread turns the rows into records: on two cores the two halves of the
/// work overlap. Rows cross over in batches of copied bytes; at most a few batches wait, so memory
/// stays bounded whatever the file size. Rows, and an error the tokenizer throws, come out in file
/// order, exactly as from the tokenizer.
///
/// The consumer must call ``finish()`` when it stops (also early, on an error): it stops the
/// background thread and waits for it.
final class CSVRowPrefetcher: CSVRowSource, @unchecked Sendable {
    /// Rows copied out of the tokenizer's buffer.
    private final class Batch {
        var bytes: UnsafeMutablePointer<UInt8>
        var byteCapacity: Int
        var byteCount = 0
        var spans: UnsafeMutablePointer<CSVTokenizer.FieldSpan>
        var spanCapacity: Int
        var spanCount = 0
        var rows: [(firstSpan: Int, fieldCount: Int, line: Int, isASCII: Bool)] = []
        /// What the tokenizer threw after these rows.
        var error: Error?
        /// No rows follow this batch.
        var isLast = false

        init() {
            byteCapacity = CSVRowPrefetcher.batchBytes + 4096
            bytes = .allocate(capacity: byteCapacity)
            spanCapacity = 4096
            spans = .allocate(capacity: spanCapacity)
            rows.reserveCapacity(1024)
        }

        deinit {
            bytes.deallocate()
            spans.deallocate()
        }

        /// Copies `row` (its bytes from its first field's start to its last field's end).
        func append(_ row: CSVRow) {
            let first = row.fieldCount > 0 ? row.spans[0].start : 0
            let last = row.fieldCount > 0 ? row.spans[row.fieldCount - 1].end : 0
            let length = last - first
            if byteCount + length > byteCapacity {
                let capacity = max(byteCount + length, byteCapacity * 2)
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
                grown.update(from: bytes, count: byteCount)
                bytes.deallocate()
                bytes = grown
                byteCapacity = capacity
            }
            if spanCount + row.fieldCount > spanCapacity {
                let capacity = max(spanCount + row.fieldCount, spanCapacity * 2)
                let grown = UnsafeMutablePointer<CSVTokenizer.FieldSpan>.allocate(capacity: capacity)
                grown.moveInitialize(from: spans, count: spanCount)
                spans.deallocate()
                spans = grown
                spanCapacity = capacity
            }
            (bytes + byteCount).update(from: row.bytes + first, count: length)
            let shift = byteCount - first
            for index in 0..<row.fieldCount {
                var span = row.spans[index]
                span.start += shift
                span.end += shift
                (spans + spanCount + index).initialize(to: span)
            }
            rows.append((spanCount, row.fieldCount, row.line, row.isASCII))
            byteCount += length
            spanCount += row.fieldCount
        }

        var isFull: Bool { byteCount >= CSVRowPrefetcher.batchBytes || rows.count >= 8192 }
    }

    /// Bytes of rows per batch.
    static let batchBytes = 256 * 1024
    /// Batches that may wait for the consumer.
    private static let queuedBatches = 4

    private let tokenizer: CSVTokenizer
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var queue: [Batch] = []
    private var stopping = false
    private var producerDone = false
    // The consumer's own:
    private var current: Batch?
    private var nextRowIndex = 0

    /// Starts tokenizing on a background thread.
    init(tokenizer: CSVTokenizer) {
        self.tokenizer = tokenizer
        let thread = Thread { [self] in produce() }
        thread.name = "teprov CSV rows"
        thread.start()
    }

    deinit {
        finish()
    }

    func nextRow() throws -> CSVRow? {
        while true {
            if let current, nextRowIndex < current.rows.count {
                let row = current.rows[nextRowIndex]
                nextRowIndex += 1
                return CSVRow(
                    bytes: current.bytes, spans: current.spans + row.firstSpan, fieldCount: row.fieldCount,
                    line: row.line, isASCII: row.isASCII)
            }
            if let current, current.isLast {
                if let error = current.error {
                    current.error = nil
                    throw error
                }
                return nil
            }
            condition.lock()
            while queue.isEmpty { condition.wait() }
            current = queue.removeFirst()
            condition.signal()
            condition.unlock()
            nextRowIndex = 0
        }
    }

    /// Stops the background thread (when it has not finished) and waits for it to end.
    func finish() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !producerDone { condition.wait() }
        queue.removeAll()
        condition.unlock()
    }

    // MARK: The background thread

    private func produce() {
        var batch = Batch()
        do {
            while let row = try tokenizer.nextRow() {
                batch.append(row)
                if batch.isFull {
                    guard publish(batch) else { return done() }
                    batch = Batch()
                }
            }
        } catch {
            batch.error = error
        }
        batch.isLast = true
        _ = publish(batch)
        done()
    }

    /// Hands a batch to the consumer, waiting while enough are queued. - Returns: `false` when stopping.
    private func publish(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= CSVRowPrefetcher.queuedBatches && !stopping { condition.wait() }
        if stopping { return false }
        queue.append(batch)
        condition.broadcast()
        return true
    }

    private func done() {
        condition.lock()
        producerDone = true
        condition.broadcast()
        condition.unlock()
    }
}
