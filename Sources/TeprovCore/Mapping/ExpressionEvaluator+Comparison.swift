/// Comparisons (`=`, `<>`, `>`, `>=`, `<`, `<=`) and how values read as booleans.
extension ExpressionEvaluator {
    /// Compares two values: numerically when both are numbers (or, for the ordering operators, numeric text),
    /// as booleans when one side is a boolean and the other a boolean spelling, else as case-sensitive text
    /// (FUNC: "The syntax is case-sensitive"). A null side makes the comparison null.
    mutating func compare(_ comparison: Expression.Comparison) -> AttributeValue? {
        guard let left = singleValue(comparison.left), let right = singleValue(comparison.right) else { return nil }
        let ordering: Bool
        switch comparison.comparator {
        case .equal, .notEqual: ordering = false
        case .greater, .greaterOrEqual, .less, .lessOrEqual: ordering = true
        }
        if let leftNumber = Self.number(left, textAllowed: ordering || Self.isNumber(right)),
            let rightNumber = Self.number(right, textAllowed: ordering || Self.isNumber(left))
        {
            return .bool(Self.holds(comparison.comparator, leftNumber < rightNumber, leftNumber == rightNumber))
        }
        if !ordering, Self.isBoolean(left) || Self.isBoolean(right),
            let leftFlag = Self.booleanValue(of: left), let rightFlag = Self.booleanValue(of: right)
        {
            return .bool((leftFlag == rightFlag) == (comparison.comparator == .equal))
        }
        let leftText = left.scalarText ?? ""
        let rightText = right.scalarText ?? ""
        return .bool(Self.holds(comparison.comparator, leftText < rightText, leftText == rightText))
    }

    private static func holds(_ comparator: Expression.Comparator, _ less: Bool, _ equal: Bool) -> Bool {
        switch comparator {
        case .equal: return equal
        case .notEqual: return !equal
        case .less: return less
        case .lessOrEqual: return less || equal
        case .greater: return !less && !equal
        case .greaterOrEqual: return !less
        }
    }

    private static func isNumber(_ value: AttributeValue) -> Bool {
        switch value {
        case .int, .double: return true
        default: return false
        }
    }

    private static func isBoolean(_ value: AttributeValue) -> Bool {
        if case .bool = value { return true }
        return false
    }

    private static func number(_ value: AttributeValue, textAllowed: Bool) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        case .string(let text) where textAllowed: return Int64(text).map(Double.init) ?? Double(text)
        default: return nil
        }
    }

    /// `true`/`false` for a boolean or a boolean spelling in any letter case (as .NET's `bool.Parse`), else `nil`.
    static func booleanValue(of value: AttributeValue) -> Bool? {
        switch value {
        case .bool(let flag): return flag
        case .string(let text): return booleanText(text)
        default: return nil
        }
    }

    /// What CBool and IIF's condition make of a value: booleans and boolean spellings as themselves,
    /// numbers (and numeric text) as "not zero"; anything else is `nil`.
    static func truth(of value: AttributeValue) -> Bool? {
        switch value {
        case .bool(let flag): return flag
        case .int(let number): return number != 0
        case .double(let number): return number != 0
        case .string(let text):
            if let flag = booleanText(text) { return flag }
            if let number = Int64(text) { return number != 0 }
            return Double(text).map { $0 != 0 }
        case .multi: return nil
        }
    }

    /// `true`, `True`, `TRUE`, `tRuE`… and the same for false, without allocating.
    static func booleanText(_ text: String) -> Bool? {
        func matches(_ word: StaticString) -> Bool {
            let utf8 = text.utf8
            guard utf8.count == word.utf8CodeUnitCount else { return false }
            var position = word.utf8Start
            for byte in utf8 {
                if byte | 0x20 != position.pointee { return false }
                position += 1
            }
            return true
        }
        if matches("true") { return true }
        if matches("false") { return false }
        return nil
    }

    /// Null, empty text, or a multi-valued value without entries.
    static func isNullOrEmpty(_ value: AttributeValue?) -> Bool {
        switch value {
        case nil: return true
        case .string(let text)?: return text.isEmpty
        case .multi(let items)?: return items.isEmpty
        default: return false
        }
    }

    /// How a diagnostic names the expression a value came from: `[proxyAddresses]`, `Split at character 7`.
    static func subject(_ expression: Expression) -> String {
        switch expression {
        case .attribute(let reference): return "[\(reference.name)]"
        case .call(let call): return "the result of \(call.function.rawValue) at character \(call.position)"
        default: return expression.description
        }
    }
}
