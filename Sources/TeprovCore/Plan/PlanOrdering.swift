import Foundation

/// Operation order, ids and request estimates (SPEC §6 "Ordering", §7 summary).
enum PlanOrdering {
    /// delete, disable, update, create; within each by the UTF-8 bytes of the lower-cased target userName
    /// (a create's new userName), then source id; ids `op-000001`, ... in that order.
    ///
    /// The sort keys are worked out once per operation, the operations sorted by index (in the order a stable
    /// sort of the operations gives) and then swapped into place, so no operation is copied.
    static func ordered(_ operations: consuming [PlanOperation]) -> [PlanOperation] {
        var operations = operations
        // Read in place through a buffer pointer: `map` (and key paths) would copy each whole operation first.
        var phases: [Int] = []
        var names: [[UInt8]] = []
        var ids: [[UInt8]] = []
        phases.reserveCapacity(operations.count)
        names.reserveCapacity(operations.count)
        ids.reserveCapacity(operations.count)
        operations.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                phases.append(buffer[index].action.phase)
                names.append(ValueComparison.sortKey(buffer[index].displayUserName))
                ids.append(Array((buffer[index].source?.id ?? "").utf8))
            }
        }
        let order = operations.indices.sorted { lhs, rhs in
            if phases[lhs] != phases[rhs] { return phases[lhs] < phases[rhs] }
            let byName = compareBytes(names[lhs], names[rhs])
            if byName != 0 { return byName < 0 }
            return compareBytes(ids[lhs], ids[rhs]) < 0
        }
        // Position k takes the operation at order[k]: follow each cycle of the permutation with swaps.
        // Swapped through a buffer pointer, which moves the two operations; `Array.swapAt` copies them.
        var placed = [Bool](repeating: false, count: operations.count)
        operations.withUnsafeMutableBufferPointer { buffer in
            for start in buffer.indices where !placed[start] {
                var current = start
                while true {
                    placed[current] = true
                    let next = order[current]
                    if next == start { break }
                    buffer.swapAt(current, next)
                    current = next
                }
            }
        }
        for position in operations.indices { operations[position].id = opId(position + 1) }
        return operations
    }

    /// -1, 0 or 1 as `lhs` sorts before, with or after `rhs` (bytes compared as unsigned, a prefix first).
    @inline(__always)
    static func compareBytes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        let common = min(lhs.count, rhs.count)
        let result = lhs.withUnsafeBufferPointer { left in
            rhs.withUnsafeBufferPointer { right -> Int32 in
                guard common > 0, let leftBase = left.baseAddress, let rightBase = right.baseAddress else { return 0 }
                return memcmp(leftBase, rightBase, common)
            }
        }
        if result != 0 { return result < 0 ? -1 : 1 }
        return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
    }

    static func opId(_ number: Int) -> String {
        let digits = String(number)
        return "op-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Requests apply will send with default preconditions: the request itself, a GET when there is no
    /// `meta.version` to send as `If-Match`, and a read-back after a disable.
    static func estimatedRequests(_ operation: PlanOperation) -> Int {
        let preconditionGET = operation.precondition != nil && operation.precondition?.version == nil ? 1 : 0
        switch operation.action {
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
