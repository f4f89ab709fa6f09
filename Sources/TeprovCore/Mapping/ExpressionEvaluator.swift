extension Expression {
    /// Evaluates the expression for one user.
    ///
    /// Never fails: problems (a multi-valued attribute where one value is needed, a bad `Mid` start, a regex that
    /// timed out, ...) give a null value and a sentence in `diagnostics`.
    public func evaluate(in context: ExpressionContext) -> ExpressionResult {
        // The evaluator borrows the context's storage for the duration of the call instead of copying the context.
        context.record.fields.withUnsafeBufferPointer { fields in
            context.appRoleValues.withUnsafeBufferPointer { roles in
                if case .attribute(let reference) = self {
                    // Direct mappings (most of them) need no evaluator state.
                    return ExpressionResult(
                        value: ExpressionEvaluator.attributeValue(
                            reference, fields: fields, isSoftDeleted: context.isSoftDeleted, appRoleValues: roles))
                }
                var evaluator = ExpressionEvaluator(
                    fields: fields, isSoftDeleted: context.isSoftDeleted, appRoleValues: roles)
                let value = evaluator.value(of: self)
                return ExpressionResult(
                    value: evaluator.ignoreFlow ? nil : value, diagnostics: evaluator.diagnostics,
                    ignoreFlow: evaluator.ignoreFlow)
            }
        }
    }
}

/// Evaluates one expression for one user with Entra's semantics (FUNC; SPEC §4 "Mappings").
///
/// Null handling, per function: text functions (Append, CStr, Mid, NormalizeDiacritics, PCase, Replace, Split,
/// StripSpaces, ToLower, ToUpper) give null for a null source; Left and Word give `""` (documented); Join skips
/// null and empty values and gives null when nothing is left; Coalesce gives its first non-null argument;
/// Switch matches a null source against the key `""`; Not gives True for anything but True (documented:
/// "Otherwise, returns True"); a comparison with a null side is null; IIF gives null when an attribute in its
/// condition is null or empty (documented: "the condition check fails").
struct ExpressionEvaluator {
    /// The context's storage, borrowed for one `Expression.evaluate(in:)` call (the evaluator never outlives it).
    let fields: UnsafeBufferPointer<SourceRecord.Field>
    let isSoftDeleted: Bool
    let appRoleValues: UnsafeBufferPointer<String>
    var diagnostics: [String] = []
    var ignoreFlow = false
    /// How many IIF conditions are being evaluated; while above 0, null attributes are noted.
    private var conditionDepth = 0
    /// The first attribute found null or empty inside the IIF condition being evaluated.
    private var nullAttributeInCondition: String?

    init(
        fields: UnsafeBufferPointer<SourceRecord.Field>, isSoftDeleted: Bool, appRoleValues: UnsafeBufferPointer<String>
    ) {
        self.fields = fields
        self.isSoftDeleted = isSoftDeleted
        self.appRoleValues = appRoleValues
    }

    mutating func value(of expression: Expression) -> AttributeValue? {
        switch expression {
        case .attribute(let reference): return attributeValue(reference)
        case .text(let text): return .string(text)
        case .number(let number): return .int(number)
        case .call(let call): return evaluate(call)
        case .comparison(let comparison): return compare(comparison)
        }
    }

    /// The value of an argument as it is (possibly multi-valued); an empty argument is null.
    mutating func evaluated(_ argument: Expression?) -> AttributeValue? {
        guard let argument else { return nil }
        return value(of: argument)
    }

    private mutating func attributeValue(_ reference: Expression.AttributeReference) -> AttributeValue? {
        let value = Self.attributeValue(
            reference, fields: fields, isSoftDeleted: isSoftDeleted, appRoleValues: appRoleValues)
        if conditionDepth > 0, nullAttributeInCondition == nil, Self.isNullOrEmpty(value) {
            nullAttributeInCondition = reference.name
        }
        return value
    }

    /// What an attribute reference reads: a record attribute (a guest UPN in its `alias@domain` form), or a
    /// computed value of the context.
    static func attributeValue(
        _ reference: Expression.AttributeReference, fields: UnsafeBufferPointer<SourceRecord.Field>,
        isSoftDeleted: Bool, appRoleValues: UnsafeBufferPointer<String>
    ) -> AttributeValue? {
        switch reference.kind {
        case .record(let key):
            return recordValue(key, in: fields)
        case .userPrincipalName:
            let stored = recordValue(Expression.AttributeReference.userPrincipalNameKey, in: fields)
            if case .string(let principalName)? = stored {
                return .string(GuestUserPrincipalName.externalForm(of: principalName))
            }
            return stored
        case .originalUserPrincipalName:
            return recordValue(Expression.AttributeReference.userPrincipalNameKey, in: fields)
        case .isSoftDeleted:
            return .bool(isSoftDeleted)
        case .appRoleAssignments:
            return appRoleValues.isEmpty ? nil : .multi(appRoleValues.map { .string($0) })
        }
    }

    /// The value of a record attribute. Compares lengths before text, since most keys differ in length.
    @inline(__always)
    static func recordValue(
        _ key: AttributeKey, in fields: UnsafeBufferPointer<SourceRecord.Field>
    ) -> AttributeValue? {
        let wanted = key.rawValue
        let length = wanted.utf8.count
        for index in fields.indices {
            let candidate = fields[index].key.rawValue
            if candidate.utf8.count == length, candidate == wanted { return fields[index].value }
        }
        return nil
    }

    private mutating func evaluate(_ call: Expression.FunctionCall) -> AttributeValue? {
        switch call.function {
        case .append: return append(call)
        case .cBool: return cBool(call)
        case .cStr: return text(call.argument(0)).map { .string($0) }
        case .coalesce: return coalesce(call)
        case .ignoreFlowIfNullOrEmpty: return ignoreFlowIfNullOrEmpty(call)
        case .iif: return iif(call)
        case .isNull: return .bool(evaluated(call.argument(0)) == nil)
        case .isNullOrEmpty: return .bool(Self.isNullOrEmpty(evaluated(call.argument(0))))
        case .isPresent: return .bool(!Self.isNullOrEmpty(evaluated(call.argument(0))))
        case .join: return join(call)
        case .left: return left(call)
        case .mid: return mid(call)
        case .normalizeDiacritics: return text(call.argument(0)).map { .string(ExpressionDiacritics.normalize($0)) }
        case .not: return not(call)
        case .pCase: return properCase(call)
        case .replace: return replace(call)
        case .singleAppRoleAssignment: return singleAppRoleAssignment(call)
        case .split: return split(call)
        case .stripSpaces: return stripSpaces(call)
        case .switchCase: return switchValue(call)
        case .toLower: return text(call.argument(0)).map { .string(ExpressionCaseMapping.lowercased($0)) }
        case .toUpper: return text(call.argument(0)).map { .string(ExpressionCaseMapping.uppercased($0)) }
        case .word: return word(call)
        }
    }

    // MARK: Values where one is needed

    /// The value of an argument where a single value is needed: a multi-valued value with several entries
    /// becomes null with a diagnostic; one entry stands for itself; none is null.
    mutating func singleValue(_ argument: Expression?) -> AttributeValue? {
        guard let argument, let result = value(of: argument) else { return nil }
        guard case .multi(let items) = result else { return result }
        switch items.count {
        case 0: return nil
        case 1: return items[0].isMultiValued ? nil : items[0]
        default:
            diagnostics.append(
                "\(Self.subject(argument)) has several values; Join or a single-valued attribute is needed")
            return nil
        }
    }

    /// The text of an argument where one value is needed (booleans as `True`/`False`).
    mutating func text(_ argument: Expression?) -> String? {
        singleValue(argument)?.scalarText
    }

    /// A whole-number argument, or `nil` with a diagnostic naming the function and parameter.
    mutating func integer(_ call: Expression.FunctionCall, _ index: Int) -> Int64? {
        let value = singleValue(call.argument(index))
        switch value {
        case .int(let number)?: return number
        case .double(let number)? where number == number.rounded() && abs(number) < 1e18: return Int64(number)
        case .string(let text)?:
            if let number = Int64(text) { return number }
        default: break
        }
        let shown = value?.scalarText.map { "\"\($0)\"" } ?? "null"
        diagnostics.append(
            "\(call.function.parameterNames[index]) of \(call.function.rawValue) at character \(call.position) "
                + "must be a whole number, not \(shown)")
        return nil
    }

    // MARK: Logic

    private mutating func coalesce(_ call: Expression.FunctionCall) -> AttributeValue? {
        for argument in call.arguments {
            if let argument, let result = value(of: argument) { return result }
        }
        return nil
    }

    private mutating func ignoreFlowIfNullOrEmpty(_ call: Expression.FunctionCall) -> AttributeValue? {
        let result = evaluated(call.argument(0))
        if Self.isNullOrEmpty(result) {
            ignoreFlow = true
            return nil
        }
        return result
    }

    private mutating func iif(_ call: Expression.FunctionCall) -> AttributeValue? {
        let outerNull = nullAttributeInCondition
        nullAttributeInCondition = nil
        conditionDepth += 1
        let condition = singleValue(call.argument(0))
        conditionDepth -= 1
        let nullAttribute = nullAttributeInCondition
        nullAttributeInCondition = outerNull ?? nullAttribute
        if let nullAttribute {
            diagnostics.append(
                "IIF at character \(call.position) gives no value because [\(nullAttribute)] in its condition is null "
                    + "or empty (Entra cannot check such a condition); use Switch([\(nullAttribute)], …, \"\", …) "
                    + "to test for empty values")
            return nil
        }
        guard let condition, let truth = Self.truth(of: condition) else {
            let shown = condition?.scalarText.map { "\"\($0)\"" } ?? "null"
            diagnostics.append(
                "the condition of IIF at character \(call.position) is \(shown), not True or False, so IIF gives no value"
            )
            return nil
        }
        return evaluated(call.argument(truth ? 1 : 2))
    }

    private mutating func cBool(_ call: Expression.FunctionCall) -> AttributeValue? {
        guard let value = singleValue(call.argument(0)) else { return nil }
        guard let truth = Self.truth(of: value) else {
            diagnostics.append(
                "CBool at character \(call.position) cannot turn \"\(value.scalarText ?? "")\" into True or False")
            return nil
        }
        return .bool(truth)
    }

    private mutating func not(_ call: Expression.FunctionCall) -> AttributeValue? {
        guard let value = singleValue(call.argument(0)) else { return .bool(true) }
        if let flag = Self.booleanValue(of: value) { return .bool(!flag) }
        diagnostics.append(
            "Not at character \(call.position) expects True or False, not \"\(value.scalarText ?? "")\"; "
                + "like Entra it treats that as False and gives True")
        return .bool(true)
    }

    private mutating func switchValue(_ call: Expression.FunctionCall) -> AttributeValue? {
        let source = text(call.argument(0)) ?? ""
        var index = 2
        while index + 1 < call.arguments.count {
            if (text(call.argument(index)) ?? "") == source {
                return evaluated(call.argument(index + 1))
            }
            index += 2
        }
        return evaluated(call.argument(1))
    }

    private mutating func singleAppRoleAssignment(_ call: Expression.FunctionCall) -> AttributeValue? {
        let roles = appRoleValues
        guard let first = roles.first else { return nil }
        if roles.count > 1 {
            diagnostics.append(
                "the user has \(roles.count) app roles; SingleAppRoleAssignment at character \(call.position) gives "
                    + "the first, \"\(first)\" (Entra does not say which one it picks)")
        }
        return .string(first)
    }

    private mutating func join(_ call: Expression.FunctionCall) -> AttributeValue? {
        let separator = text(call.argument(0)) ?? ""
        var joined = ""
        var count = 0
        var index = 1
        while index < call.arguments.count {
            if let argument = call.arguments[index], let item = value(of: argument) {
                Self.appendJoined(item, separator: separator, to: &joined, count: &count)
            }
            index += 1
        }
        return count == 0 ? nil : .string(joined)
    }

    private static func appendJoined(
        _ value: AttributeValue, separator: String, to joined: inout String, count: inout Int
    ) {
        let text: String
        switch value {
        case .string(let string): text = string
        case .multi(let items):
            for item in items { appendJoined(item, separator: separator, to: &joined, count: &count) }
            return
        default:
            guard let scalar = value.scalarText else { return }
            text = scalar
        }
        if text.isEmpty { return }
        if count > 0 { joined.append(separator) }
        joined.append(text)
        count += 1
    }
}
