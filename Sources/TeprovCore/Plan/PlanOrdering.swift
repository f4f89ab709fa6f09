import Foundation

/// Operation order, ids and request estimates (SPEC §6 "Ordering", §7 summary).
enum PlanOrdering {
    /// delete, disable, update, create; within each by the UTF-8 bytes of the lower-cased target userName
    /// (a create's new userName), then source id; ids `op-000001`, ... in that order.
    ///
    /// The sort keys are worked out once per operation (each half of the operations on one core) into a byte
    /// buffer, small keys (phase, the name's first eight bytes, offsets) are sorted, and the operations are then
    /// swapped into place, so no operation is copied and most comparisons are two integer comparisons.
    static func ordered(_ operations: consuming [PlanOperation]) -> [PlanOperation] {
        var operations = operations
        // The keys of each half of the operations, worked out on both cores (each half with its own buffer of
        // lower-cased names and source ids, back to back), then joined.
        let count = operations.count
        let halves = operations.withUnsafeBufferPointer { buffer in
            ParallelWork.map(0..<2) { part in
                OrderKey.keys(of: buffer, part == 0 ? 0..<count / 2 : count / 2..<count)
            }
        }
        var keys = halves[0].keys
        var text = halves[0].text
        let shift = text.count
        text.append(contentsOf: halves[1].text)
        keys.reserveCapacity(count)
        for var key in halves[1].keys {
            key.nameStart += shift
            key.idStart += shift
            key.idEnd += shift
            keys.append(key)
        }
        text.withUnsafeBufferPointer { bytes in
            keys.withUnsafeMutableBufferPointer { keys in
                keys.sort { lhs, rhs in OrderKey.precedes(lhs, rhs, text: bytes) }
            }
        }
        // Position k takes the operation at keys[k].index: follow each cycle of the permutation with swaps.
        // Swapped through a buffer pointer, which moves the two operations; `Array.swapAt` copies them.
        var placed = [Bool](repeating: false, count: operations.count)
        operations.withUnsafeMutableBufferPointer { buffer in
            for start in buffer.indices where !placed[start] {
                var current = start
                while true {
                    placed[current] = true
                    let next = keys[current].index
                    if next == start { break }
                    buffer.swapAt(current, next)
                    current = next
                }
            }
        }
        for position in operations.indices { operations[position].id = opId(position + 1) }
        return operations
    }

    /// An operation's place in the order; its name and source id are ranges of a shared byte buffer.
    private struct OrderKey {
        var phase: Int
        /// The name's first eight bytes, big-endian, zero-padded: comparing two prefixes compares the bytes.
        var prefix: UInt64
        var nameStart: Int
        var idStart: Int
        var idEnd: Int
        var index: Int

        /// The keys of the operations at `range` of `operations` (read in place: `map` and key paths would copy
        /// each whole operation first), their offsets into the returned `text`.
        static func keys(of operations: UnsafeBufferPointer<PlanOperation>, _ range: Range<Int>) -> (
            keys: [OrderKey], text: [UInt8]
        ) {
            var keys: [OrderKey] = []
            keys.reserveCapacity(range.count)
            var text: [UInt8] = []
            text.reserveCapacity(range.count * 64)
            for index in range {
                let nameStart = text.count
                ValueComparison.appendSortKey(operations[index].displayUserName, to: &text)
                let idStart = text.count
                if let id = operations[index].source?.id { text.append(contentsOf: id.utf8) }
                keys.append(
                    OrderKey(
                        phase: operations[index].action.phase, prefix: prefix(text, from: nameStart, to: idStart),
                        nameStart: nameStart, idStart: idStart, idEnd: text.count, index: index))
            }
            return (keys, text)
        }

        static func prefix(_ text: [UInt8], from start: Int, to end: Int) -> UInt64 {
            var value: UInt64 = 0
            for position in 0..<8 {
                value <<= 8
                if start + position < end { value |= UInt64(text[start + position]) }
            }
            return value
        }

        /// Phase, name, source id, then the original position (as a stable sort keeps ties).
        @inline(__always)
        static func precedes(_ lhs: OrderKey, _ rhs: OrderKey, text: UnsafeBufferPointer<UInt8>) -> Bool {
            if lhs.phase != rhs.phase { return lhs.phase < rhs.phase }
            if lhs.prefix != rhs.prefix { return lhs.prefix < rhs.prefix }
            let byName = compareBytes(
                text, lhs.nameStart, lhs.idStart - lhs.nameStart, rhs.nameStart, rhs.idStart - rhs.nameStart)
            if byName != 0 { return byName < 0 }
            let byId = compareBytes(text, lhs.idStart, lhs.idEnd - lhs.idStart, rhs.idStart, rhs.idEnd - rhs.idStart)
            if byId != 0 { return byId < 0 }
            return lhs.index < rhs.index
        }

        /// -1, 0 or 1 as the bytes at `left` sort before, with or after those at `right` (a prefix first).
        @inline(__always)
        private static func compareBytes(
            _ text: UnsafeBufferPointer<UInt8>, _ left: Int, _ leftCount: Int, _ right: Int, _ rightCount: Int
        ) -> Int {
            let common = min(leftCount, rightCount)
            if common > 0, let base = text.baseAddress {
                let result = memcmp(base + left, base + right, common)
                if result != 0 { return result < 0 ? -1 : 1 }
            }
            return leftCount == rightCount ? 0 : (leftCount < rightCount ? -1 : 1)
        }
    }

    static func opId(_ number: Int) -> String {
        let digits = String(number)
        return "op-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Requests apply will send with default preconditions: the request itself, a GET when there is no
    /// `meta.version` to send as `If-Match`, and a read-back after a disable.
    /// Taken from the facts it needs, so that an operation read in place is not copied.
    static func estimatedRequests(_ action: PlanAction, precondition: Bool, version: Bool) -> Int {
        let preconditionGET = precondition && !version ? 1 : 0
        switch action {
        case .create: return 1
        case .update, .delete: return 1 + preconditionGET
        case .disable: return 2 + preconditionGET
        }
    }

    /// ISO 8601 duration, e.g. `PT1H2M3S`, `PT0S`.
    static func isoDuration(seconds: Int) -> String {
        if seconds <= 0 { return "PT0S" }
        let hours = seconds / 3600
        let minutes = (seconds % 3600) / 60
        let rest = seconds % 60
        var text = "PT"
        if hours > 0 { text += "\(hours)H" }
        if minutes > 0 { text += "\(minutes)M" }
        if rest > 0 { text += "\(rest)S" }
        return text
    }
}
