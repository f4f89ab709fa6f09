/// A SCIM filter (RFC 7644 §3.4.2.2) evaluated against a resource held as a `JSONValue`:
/// `userName eq "a"`, `emails[type eq "work" and value co "@x"]`, `not (active eq false) or title pr`.
///
/// Attribute names ignore case; string comparisons ignore case unless the schema marks the
/// attribute case-exact (`id`, `externalId`), as RFC 7643 §2.2 asks and scim2-server does.
indirect enum SCIMFilterExpression: Sendable {
    enum Operator: String, Sendable, CaseIterable {
        case eq, ne, co, sw, ew, gt, lt, ge, le
    }

    case and(SCIMFilterExpression, SCIMFilterExpression)
    case or(SCIMFilterExpression, SCIMFilterExpression)
    case not(SCIMFilterExpression)
    /// `attribute pr`: the attribute has a non-empty value.
    case present([String])
    /// `attribute op value`.
    case compare([String], Operator, JSONValue)
    /// `attribute[filter]`: some entry of the (multi-valued) attribute matches the inner filter,
    /// whose names are relative to the entry.
    case valuePath([String], SCIMFilterExpression)

    /// Parses filter text.
    /// - Throws: `OfflineSCIMError` with `scimType` `invalidFilter`.
    static func parse(_ text: String) throws(OfflineSCIMError) -> SCIMFilterExpression {
        var parser = SCIMFilterParser(text)
        return try parser.parseWholeFilter()
    }

    /// `true` when `node` (a resource, or an entry for an inner filter) matches.
    /// - Parameter context: the member names leading to `node` from the resource (for the schema).
    func matches(_ node: JSONValue, context: [String] = []) -> Bool {
        switch self {
        case .and(let left, let right):
            return left.matches(node, context: context) && right.matches(node, context: context)
        case .or(let left, let right):
            return left.matches(node, context: context) || right.matches(node, context: context)
        case .not(let inner): return !inner.matches(node, context: context)
        case .present(let names):
            return Self.values(at: names[...], in: node).contains { value in
                switch value {
                case .null: return false
                case .string(let text): return !text.isEmpty
                case .array(let entries): return !entries.isEmpty
                case .object(let members): return !members.isEmpty
                default: return true
                }
            }
        case .compare(let names, let op, let operand):
            let caseExact = SCIMUserSchema.attribute(at: context + names)?.caseExact ?? false
            let found = Self.values(at: names[...], in: node)
            let equal = found.contains { Self.compare($0, .eq, operand, caseExact: caseExact) }
            switch op {
            case .eq: return operand == .null ? found.isEmpty || equal : equal
            case .ne: return operand == .null ? !found.isEmpty : !equal
            default: return found.contains { Self.compare($0, op, operand, caseExact: caseExact) }
            }
        case .valuePath(let names, let inner):
            var entries: [JSONValue] = []
            for value in Self.values(at: names[...], in: node, flatteningLast: false) {
                if case .array(let elements) = value {
                    entries.append(contentsOf: elements)
                } else {
                    entries.append(value)
                }
            }
            return entries.contains { inner.matches($0, context: context + names) }
        }
    }

    /// The values found at `names` below `node`, looking through arrays on the way (a name of a
    /// multi-valued attribute reaches every entry). A multi-valued complex attribute compared as a
    /// whole stands for its entries' `value`s (`emails co "@x"`).
    static func values(at names: ArraySlice<String>, in node: JSONValue, flatteningLast: Bool = true) -> [JSONValue] {
        guard let name = names.first else { return [node] }
        var found: [JSONValue] = []
        switch node {
        case .array(let elements):
            for element in elements { found += values(at: names, in: element, flatteningLast: flatteningLast) }
        case .object:
            guard let member = SCIMMembers.value(name, in: node) else { return [] }
            if names.count == 1 {
                guard flatteningLast, case .array(let elements) = member else { return [member] }
                for element in elements {
                    if case .object = element {
                        if let value = SCIMMembers.value("value", in: element) { found.append(value) }
                    } else {
                        found.append(element)
                    }
                }
            } else {
                found = values(at: names.dropFirst(), in: member, flatteningLast: flatteningLast)
            }
        default:
            break
        }
        return found
    }

    private static func compare(_ value: JSONValue, _ op: Operator, _ operand: JSONValue, caseExact: Bool) -> Bool {
        switch (value, operand) {
        case (.string(let left), .string(let right)):
            let (a, b) = caseExact ? (left, right) : (left.lowercased(), right.lowercased())
            switch op {
            case .eq: return a == b
            case .ne: return a != b
            case .co: return a.contains(b)
            case .sw: return a.hasPrefix(b)
            case .ew: return a.hasSuffix(b)
            case .gt: return a > b
            case .lt: return a < b
            case .ge: return a >= b
            case .le: return a <= b
            }
        case (.bool(let left), .bool(let right)):
            switch op {
            case .eq: return left == right
            case .ne: return left != right
            default: return false
            }
        default:
            guard let left = number(value), let right = number(operand) else { return op == .ne }
            switch op {
            case .eq: return left == right
            case .ne: return left != right
            case .gt: return left > right
            case .lt: return left < right
            case .ge: return left >= right
            case .le: return left <= right
            case .co, .sw, .ew: return false
            }
        }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }

    /// For `attribute eq "value"` on a single attribute: the attribute's names and the value, so
    /// an index can answer instead of a scan.
    var equalityLookup: (names: [String], value: JSONValue)? {
        guard case .compare(let names, .eq, let value) = self else { return nil }
        return (names, value)
    }
}
