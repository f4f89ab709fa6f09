/// Comparisons and identity checks of SPEC §4 and §6.
enum ValueComparison {
    /// `true` when two values are equal for a target attribute: NFC strings (already normalized), compared
    /// lower-cased unless `caseExact`; booleans by value.
    static func equal(_ lhs: AttributeValue?, _ rhs: AttributeValue?, caseExact: Bool) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): return true
        case (nil, _), (_, nil): return false
        case (.some(let a), .some(let b)):
            if let first = a.boolValue, let second = b.boolValue, isBooleanLike(a), isBooleanLike(b) {
                return first == second
            }
            guard let left = a.scalarText, let right = b.scalarText else { return a == b }
            return caseExact ? left == right : left.foldedForLookup == right.foldedForLookup
        }
    }

    private static func isBooleanLike(_ value: AttributeValue) -> Bool {
        if case .bool = value { return true }
        return false
    }

    /// Lower-cased key for case-insensitive indexes.
    static func folded(_ text: String) -> String { text.foldedForLookup }

    /// SPEC §6: one `@`, a non-empty local part without spaces, a domain with a dot.
    static func isValidAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty, !local.contains(where: { $0.isWhitespace }) else { return false }
        guard !domain.contains(where: { $0.isWhitespace }), let dot = domain.firstIndex(of: "."),
            dot != domain.startIndex, domain.last != "."
        else { return false }
        return true
    }

    /// The UTF-8 bytes of the lower-cased string, the sort key of SPEC §4/§6.
    static func sortKey(_ text: String) -> [UInt8] { Array(text.lowercased().utf8) }
}
