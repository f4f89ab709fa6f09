/// Operation order, ids and request estimates (SPEC §6 "Ordering", §7 summary).
enum PlanOrdering {
    /// delete, disable, update, create; within each by the UTF-8 bytes of the lower-cased target userName
    /// (a create's new userName), then source id; ids `op-000001`, ... in that order.
    static func ordered(_ operations: [PlanOperation]) -> [PlanOperation] {
        let keyed = operations.map { operation in
            (operation, ValueComparison.sortKey(operation.displayUserName), Array((operation.source?.id ?? "").utf8))
        }
        let sorted = keyed.sorted { lhs, rhs in
            if lhs.0.action.phase != rhs.0.action.phase { return lhs.0.action.phase < rhs.0.action.phase }
            if lhs.1 != rhs.1 { return lhs.1.lexicographicallyPrecedes(rhs.1) }
            return lhs.2.lexicographicallyPrecedes(rhs.2)
        }
        return sorted.enumerated().map { position, entry in
            var operation = entry.0
            operation.id = opId(position + 1)
            return operation
        }
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
