import Foundation

/// Where a `CSVReadSession` gets its rows: the tokenizer itself, or a ``CSVRowPrefetcher`` running it
/// on another thread.
protocol CSVRowSource: AnyObject {
    /// The next row, valid until the next call; `nil` at the end of the file.
    func nextRow() throws -> CSVRow?
    /// Names the (0-based) columns whose values the consumer reads as text, so that a source running
    /// on another thread can work them out ahead; a hint only.
    func prepare(columns: [Int])
}

extension CSVTokenizer: CSVRowSource {
    func prepare(columns: [Int]) {}
}

/// Runs a ``CSVTokenizer`` (reading, transcoding, splitting rows, validating UTF-8) on a background
/// thread while the calling thread turns the rows into records: on two cores the two halves of the
/// work overlap. Rows cross over in batches of copied bytes; at most a few batches wait, so memory
/// stays bounded whatever the file size. Read batches go back to the background thread to be filled
/// again: their storage is already grown and mapped. Rows, and an error the tokenizer throws, come out
/// in file order, exactly as from the tokenizer.
///
/// The consumer may name the columns it reads (``prepare(columns:)``): their values are then also
/// trimmed and classified ahead, and short ones made, on the background thread.
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
        /// One per span once the consumer named the columns to work out (``prepare(columns:)``).
        var prepared: UnsafeMutablePointer<CSVPreparedField>
        /// One per span: the text of a `.shortASCII` value (inline strings only, no heap object).
        var preparedTexts: UnsafeMutablePointer<String>
        /// The columns this batch's values are worked out for; empty when none are.
        var preparedColumns: [Bool] = []
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
            prepared = .allocate(capacity: spanCapacity)
            prepared.initialize(repeating: .unprepared, count: spanCapacity)
            preparedTexts = .allocate(capacity: spanCapacity)
            preparedTexts.initialize(repeating: "", count: spanCapacity)
            rows.reserveCapacity(1024)
        }

        deinit {
            bytes.deallocate()
            spans.deallocate()
            prepared.deinitialize(count: spanCapacity)
            prepared.deallocate()
            preparedTexts.deinitialize(count: spanCapacity)
            preparedTexts.deallocate()
        }

        /// Copies `row` (its bytes from its first field's start to its last field's end).
        func append(_ row: CSVRow) {
            let first = row.fieldCount > 0 ? row.spans[0].start : 0
            let last = row.fieldCount > 0 ? row.spans[row.fieldCount - 1].end : 0
            let length = last - first
            UnsafeMutablePointer.grow(&bytes, count: byteCount, capacity: &byteCapacity, toHold: byteCount + length)
            if spanCount + row.fieldCount > spanCapacity {
                // The per-span storage is kept initialized over its whole capacity.
                let oldCapacity = spanCapacity
                UnsafeMutablePointer.grow(
                    &spans, count: spanCount, capacity: &spanCapacity, toHold: spanCount + row.fieldCount)
                var preparedCapacity = oldCapacity
                UnsafeMutablePointer.grow(
                    &prepared, count: oldCapacity, capacity: &preparedCapacity, toHold: spanCapacity)
                (prepared + oldCapacity).initialize(repeating: .unprepared, count: spanCapacity - oldCapacity)
                var textCapacity = oldCapacity
                UnsafeMutablePointer.grow(
                    &preparedTexts, count: oldCapacity, capacity: &textCapacity, toHold: spanCapacity)
                (preparedTexts + oldCapacity).initialize(repeating: "", count: spanCapacity - oldCapacity)
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
            if !preparedColumns.isEmpty {
                let columns = min(row.fieldCount, preparedColumns.count)
                for index in 0..<columns {
                    let slot = spanCount &+ index
                    prepared[slot] =
                        preparedColumns[index]
                        ? CSVPreparedField.prepare(
                            &spans[slot], in: bytes, rowIsASCII: row.isASCII, text: preparedTexts + slot) : .unprepared
                }
                for index in columns..<max(columns, row.fieldCount) { prepared[spanCount &+ index] = .unprepared }
            }
            byteCount += length
            spanCount += row.fieldCount
        }

        var isFull: Bool { byteCount >= CSVRowPrefetcher.batchBytes || rows.count >= 8192 }

        /// Empties the batch for reuse, keeping its storage.
        /// - Parameter columns: the columns to work values out for from now on (empty: none).
        func reset(preparing columns: [Bool]) {
            preparedColumns = columns
            byteCount = 0
            spanCount = 0
            rows.removeAll(keepingCapacity: true)
            error = nil
            isLast = false
        }
    }

    /// Bytes of rows per batch.
    static let batchBytes = 256 * 1024
    /// Batches that may wait for the consumer.
    private static let queuedBatches = 4

    private let tokenizer: CSVTokenizer
    private let relay = BatchRelay<Batch>(capacity: CSVRowPrefetcher.queuedBatches)
    /// The columns the consumer wants worked out ahead (``prepare(columns:)``); empty for none.
    private var requestedColumns: [Bool] = []
    private let requestedColumnsLock = NSLock()
    // The consumer's own:
    private var current: Batch?
    private var nextRowIndex = 0
    /// Rows handed out with values worked out ahead (tests check that path is taken).
    private(set) var preparedRows = 0

    /// Starts tokenizing on a background thread.
    init(tokenizer: CSVTokenizer) {
        self.tokenizer = tokenizer
        relay.startProducer(name: "teprov CSV rows") { [self] in produce() }
    }

    deinit {
        finish()
    }

    func nextRow() throws -> CSVRow? {
        while true {
            if let current, nextRowIndex < current.rows.count {
                let row = current.rows[nextRowIndex]
                nextRowIndex += 1
                if !current.preparedColumns.isEmpty { preparedRows &+= 1 }
                return CSVRow(
                    bytes: current.bytes, spans: current.spans + row.firstSpan, fieldCount: row.fieldCount,
                    line: row.line, isASCII: row.isASCII,
                    prepared: current.preparedColumns.isEmpty ? nil : UnsafePointer(current.prepared + row.firstSpan),
                    preparedTexts: UnsafePointer(current.preparedTexts + row.firstSpan))
            }
            if let current, current.isLast {
                if let error = current.error {
                    current.error = nil
                    throw error
                }
                return nil
            }
            current = relay.take(returning: current)
            nextRowIndex = 0
        }
    }

    /// Asks the background thread to work out the values of these columns ahead (``CSVPreparedField``)
    /// in the batches it starts from now on; rows already split come without.
    func prepare(columns: [Int]) {
        var mask: [Bool] = []
        for column in columns where column >= 0 {
            if column >= mask.count { mask.append(contentsOf: repeatElement(false, count: column + 1 - mask.count)) }
            mask[column] = true
        }
        requestedColumnsLock.withLock { requestedColumns = mask }
    }

    /// Stops the background thread (when it has not finished) and waits for it to end.
    func finish() {
        relay.finish()
    }

    // MARK: The background thread

    private func produce() {
        var batch = Batch()
        do {
            while let row = try tokenizer.nextRow() {
                batch.append(row)
                if batch.isFull {
                    var next: Batch?
                    guard relay.put(batch, reusable: { next = $0 }) else { return }
                    batch = next ?? Batch()
                    batch.reset(preparing: requestedColumnsLock.withLock { requestedColumns })
                }
            }
        } catch {
            batch.error = error
        }
        batch.isLast = true
        relay.put(batch)
    }
}
