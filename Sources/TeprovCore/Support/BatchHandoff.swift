import Foundation

/// Batches handed from one producer thread to one consumer, in order, with at most `capacity` batches
/// waiting (the producer blocks beyond that), so memory stays bounded whatever the input size.
final class BatchHandoff<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: [[Element]] = []
    private var head = 0
    private var ended = false
    private let capacity: Int

    init(capacity: Int = 8) {
        self.capacity = max(1, capacity)
    }

    /// Hands `batch` over; waits while `capacity` batches are already waiting.
    func put(_ batch: [Element]) {
        condition.lock()
        while waiting.count - head >= capacity { condition.wait() }
        waiting.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// No more batches will come.
    func end() {
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch in order; `nil` once the producer ended and every batch was taken.
    func take() -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while head == waiting.count, !ended { condition.wait() }
        guard head < waiting.count else { return nil }
        let batch = waiting[head]
        waiting[head] = []
        head += 1
        if head > 64, head * 2 > waiting.count {
            waiting.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return batch
    }
}
