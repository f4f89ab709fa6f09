import Foundation

/// Hands reusable batches (objects) from one producer thread to one consumer, in order: at most
/// `capacity` wait (the producer blocks beyond that), so memory stays bounded whatever the input size.
/// The consumer gives each batch back once read, for the producer to fill again (its storage is then
/// already grown and mapped), and may stop the producer early (``finish()``).
final class BatchRelay<Batch: AnyObject>: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    // Guarded by `condition`:
    private var queue: [Batch] = []
    private var spare: [Batch] = []
    private var stopping = false
    private var producerDone = false

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Runs `body` on a new thread as the producer; the relay knows it has ended when `body` returns.
    func startProducer(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            body()
            condition.lock()
            producerDone = true
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        thread.start()
    }

    /// Producer: hands `batch` over, waiting while `capacity` batches are queued.
    /// - Returns: `false` when the consumer has stopped (the producer should return).
    /// - Parameter reusable: receives a batch the consumer has read (`nil` when none is free yet), for
    ///   the producer to fill next; not called when stopping.
    @discardableResult
    func put(_ batch: Batch, reusable: (Batch?) -> Void = { _ in }) -> Bool {
        condition.lock()
        while queue.count >= capacity && !stopping { condition.wait() }
        if stopping {
            condition.unlock()
            return false
        }
        queue.append(batch)
        condition.broadcast()
        let free = spare.popLast()
        condition.unlock()
        reusable(free)
        return true
    }

    /// Consumer: the next batch in order, waiting for it; `previous` (the batch just read) goes back to
    /// the producer. The producer must end with a batch that says it is the last.
    func take(returning previous: Batch?) -> Batch {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty { condition.wait() }
        if let previous { spare.append(previous) }
        let batch = queue.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Consumer: stops the producer (when it has not ended) and waits for it to end.
    func finish() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !producerDone { condition.wait() }
        queue.removeAll()
        spare.removeAll()
        condition.unlock()
    }
}

extension UnsafeMutablePointer {
    /// Makes `storage` (of `capacity` elements, the first `count` initialized) hold at least `needed`
    /// elements: new storage of at least twice the capacity, the elements moved over.
    static func grow(
        _ storage: inout UnsafeMutablePointer<Pointee>, count: Int, capacity: inout Int, toHold needed: Int
    ) {
        guard needed > capacity else { return }
        let newCapacity = Swift.max(needed, capacity * 2)
        let grown = UnsafeMutablePointer<Pointee>.allocate(capacity: newCapacity)
        grown.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = grown
        capacity = newCapacity
    }
}
