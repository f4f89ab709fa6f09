/// The type a target attribute holds, and how an expression's untyped value becomes it
/// (SPEC §4: "Values are typed for their target (`active` is a boolean whatever the expression returns:
/// `"True"`, `"true"`, `true`)").
public enum TargetValueType: Sendable, Hashable {
    /// Text: booleans become `True`/`False`, numbers their digits. Empty text becomes null (nothing to send).
    case string
    /// A boolean: `true`/`false` in any letter case, or a boolean value; anything else is null with a diagnostic.
    case boolean

    /// The value typed for the target, or `nil`; a value that cannot be typed adds a diagnostic.
    public func convert(_ value: consuming AttributeValue?, diagnostics: inout [String]) -> AttributeValue? {
        // The usual case first, handing the value on without copying it: text for a text target.
        if self == .string, case .string(let text)? = value { return text.isEmpty ? nil : value }
        guard var value else { return nil }
        if case .multi(let items) = value {
            switch items.count {
            case 0: return nil
            case 1 where !items[0].isMultiValued: value = items[0]
            default:
                diagnostics.append(
                    "the expression gives \(items.count) values but the target holds one; use Join to combine them")
                return nil
            }
        }
        switch self {
        case .string:
            guard let text = value.scalarText, !text.isEmpty else { return nil }
            if case .string = value { return value }
            return .string(text)
        case .boolean:
            if let flag = ExpressionEvaluator.booleanValue(of: value) { return .bool(flag) }
            diagnostics.append(
                "\"\(value.scalarText ?? "")\" is not True or False, so the boolean target gets no value")
            return nil
        }
    }

    /// The result with its value typed for the target and any conversion problem added to its diagnostics.
    public func convert(_ result: ExpressionResult) -> ExpressionResult {
        var typed = result
        typed.value = convert(result.value, diagnostics: &typed.diagnostics)
        return typed
    }
}
