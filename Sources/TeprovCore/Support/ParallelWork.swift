import Dispatch

/// Independent pieces of work run on the cores at once (`plan` runs on two), results kept in order.
enum ParallelWork {
    /// `body(index)` for each index, at the same time on the available cores; the results in index order.
    /// `body` must only read shared state: the calls run concurrently.
    static func map<Result>(_ indices: Range<Int>, _ body: (Int) -> Result) -> [Result] {
        let count = indices.count
        if count <= 1 { return indices.map(body) }
        let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedBox((body, results))
            DispatchQueue.concurrentPerform(iterations: count) { offset in
                let (body, results) = shared.value
                // Each call writes its own element only.
                results[offset] = body(indices.lowerBound + offset)
            }
        }
        return results.map { $0.unsafelyUnwrapped }
    }
}

extension ParallelWork {
    /// `body` over the first and the second half of `0..<count` at the same time; the two results joined in
    /// order (for per-item work whose results are kept per item or filtered in order).
    static func halves<Element>(of count: Int, _ body: (Range<Int>) -> [Element]) -> [Element] {
        let half = count / 2
        var parts = map(0..<2) { part in body(part == 0 ? 0..<half : half..<count) }
        // The first part's storage becomes the result (its elements are not copied); the second's are appended.
        var joined: [Element] = []
        swap(&joined, &parts[0])
        joined.append(contentsOf: parts[1])
        return joined
    }
}

/// Hands a value to concurrent code that the caller knows uses it safely (see `ParallelWork.map`).
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
