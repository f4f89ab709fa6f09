extension ScopingClause {
    /// Evaluates the clause on a record (SPEC §4, entra-provisioning-semantics §2).
    ///
    /// - Comparisons are case-sensitive and ordinal over the NFC text (UTF-8 bytes), like .NET's
    ///   ordinal `String.Contains/EndsWith/Equals` on normalized strings.
    /// - A null or empty attribute makes every clause false except `IS NULL` (Entra: "Scoping filters
    ///   will return false if the value is null / empty"); so `NOT EQUALS`, `!&` and `NOT REGEX MATCH`
    ///   are false on null too, and `IS NOT NULL` is false.
    /// - A multi-valued attribute makes every clause false, `IS NULL`/`IS NOT NULL` included (Entra does
    ///   not filter on multi-valued attributes); the note asks for a diagnostic. An empty list is null.
    /// - A boolean attribute is seen as `True`/`False`; `EQUALS`/`NOT EQUALS` with a boolean spelling
    ///   (`true`, `True`, `TRUE`, …) compare booleans, because the export's spelling is lost when the
    ///   reader types the value and the result must not depend on the export format.
    /// - Returns: the result, and a note when the result is not the plain comparison.
    public func evaluate(_ record: SourceRecord) -> (result: Bool, note: ScopingClauseOutcome.Note?) {
        guard let attributeValue = record[attribute], !Self.isEmpty(attributeValue) else {
            return (op == .isNull, op == .isNull ? nil : .nullAttribute)
        }
        if attributeValue.isMultiValued { return (false, .multiValued) }
        switch op {
        case .isNull: return (false, nil)
        case .isNotNull: return (true, nil)
        case .isTrue, .isFalse:
            guard let flag = attributeValue.boolValue else { return (false, .notBoolean) }
            return (flag == (op == .isTrue), nil)
        case .greaterThan, .greaterThanOrEquals:
            guard let number = Self.integer(attributeValue), let integerValue else { return (false, .notInteger) }
            return (op == .greaterThan ? number > integerValue : number >= integerValue, nil)
        case .equals, .notEquals:
            let equal = isEqual(to: attributeValue)
            return (op == .equals ? equal : !equal, nil)
        case .includes, .containedIn, .notContainedIn, .endsWith, .regexMatch, .notRegexMatch:
            return evaluateText(attributeValue.scalarText ?? "")
        }
    }

    private func evaluateText(_ text: String) -> (result: Bool, note: ScopingClauseOutcome.Note?) {
        let value = self.value ?? ""
        switch op {
        case .includes: return (text.utf8.contains(value.utf8), nil)
        case .containedIn: return (value.utf8.contains(text.utf8), nil)
        case .notContainedIn: return (!value.utf8.contains(text.utf8), nil)
        case .endsWith: return (text.utf8.reversed().starts(with: value.utf8.reversed()), nil)
        case .regexMatch, .notRegexMatch:
            guard let regex else { return (false, nil) }
            do {
                let matched = try regex.firstMatch(in: text)
                return (op == .regexMatch ? matched : !matched, nil)
            } catch {
                return (false, .regexTimeout(error))
            }
        default: return (false, nil)
        }
    }

    private func isEqual(to attributeValue: AttributeValue) -> Bool {
        if let booleanValue, let flag = attributeValue.boolValue { return flag == booleanValue }
        guard let text = attributeValue.scalarText, let value else { return false }
        return text.utf8.elementsEqual(value.utf8)
    }

    /// Absent values are not stored, but an empty list or string can still reach here from a fix-up.
    static func isEmpty(_ value: AttributeValue) -> Bool {
        switch value {
        case .string(let text): return text.isEmpty
        case .multi(let values): return values.isEmpty
        default: return false
        }
    }

    /// The attribute as an integer: an integer value, or text / an integral number that reads as one.
    static func integer(_ value: AttributeValue) -> Int64? {
        switch value {
        case .int(let number): return number
        case .string(let text): return Int64(text)
        case .double(let number):
            guard number.isFinite, number == number.rounded(), abs(number) < 9e18 else { return nil }
            return Int64(number)
        case .bool, .multi: return nil
        }
    }

    /// The record's value as `--explain` shows it; `nil` when absent.
    static func renderActual(_ value: AttributeValue?) -> String? {
        guard let value else { return nil }
        if let text = value.scalarText { return text }
        guard case .multi(let values) = value else { return nil }
        let parts = values.map { ($0.scalarText ?? renderActual($0) ?? "").debugDescription }
        return "[" + parts.joined(separator: ", ") + "]"
    }
}
