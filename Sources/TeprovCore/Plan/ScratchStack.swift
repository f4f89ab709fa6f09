/// A stack of values that are collected and then taken off as one array of exactly their number, moved
/// rather than copied (no retain and release per element, no spare capacity in the result).
///
/// Used while reading nested JSON: an object's members are pushed as they are read (a nested value's own
/// members are taken off before its parent's next member is pushed), then the object is made at its size.
final class ScratchStack<Element> {
    private var storage: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// Number of elements on the stack.
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 1)
        storage = .allocate(capacity: self.capacity)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    func push(_ element: Element) {
        if count == capacity {
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: storage, count: count)
            storage.deallocate()
            storage = grown
            capacity *= 2
        }
        (storage + count).initialize(to: element)
        count &+= 1
    }

    /// Removes the elements from position `start` up (pushed since `count` was `start`) and returns them.
    func take(from start: Int) -> [Element] {
        let taken = count &- start
        guard taken > 0 else { return [] }
        let source = storage + start
        count = start
        return [Element](unsafeUninitializedCapacity: taken) { buffer, initialized in
            if let target = buffer.baseAddress { target.moveInitialize(from: source, count: taken) }
            initialized = taken
        }
    }
}
