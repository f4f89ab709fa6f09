/// How one mapping is evaluated per record: the shapes of the default table (`[attribute]`,
/// `[userPrincipalName]`, `Not([IsSoftDeleted])`, `Join("sep", [a], [b])`) directly, anything else with
/// the general `ExpressionEvaluator`. Each direct form gives exactly what the evaluator gives.
enum MappingProgram: Sendable {
    /// `[attribute]` of the record.
    case field(AttributeKey)
    /// `[userPrincipalName]`: a guest's UPN in its `alias@domain` form.
    case principalName
    /// `Not([IsSoftDeleted])`.
    case notSoftDeleted
    /// `Join("separator", [a], [b], ...)` over record attributes; `expression` is used when a value is not
    /// text (the evaluator then decides how it joins).
    case join(separator: String, keys: [AttributeKey], expression: Expression)
    case general(Expression)

    init(_ expression: Expression) {
        switch expression {
        case .attribute(let reference):
            switch reference.kind {
            case .record(let key): self = .field(key)
            case .userPrincipalName: self = .principalName
            default: self = .general(expression)
            }
        case .call(let call) where call.function == .not && call.arguments.count == 1:
            if case .attribute(let reference)? = call.arguments[0], reference.kind == .isSoftDeleted {
                self = .notSoftDeleted
            } else {
                self = .general(expression)
            }
        case .call(let call) where call.function == .join && !call.arguments.isEmpty:
            guard case .text(let separator)? = call.arguments[0] else {
                self = .general(expression)
                return
            }
            var keys: [AttributeKey] = []
            for argument in call.arguments.dropFirst() {
                guard case .attribute(let reference)? = argument, case .record(let key) = reference.kind else {
                    self = .general(expression)
                    return
                }
                keys.append(key)
            }
            self = .join(separator: separator, keys: keys, expression: expression)
        default:
            self = .general(expression)
        }
    }

    /// The untyped value for one record; `messages` and `ignoreFlow` as `Expression.evaluate(in:)` reports them.
    @inline(__always)
    func evaluate(
        fields: UnsafeBufferPointer<SourceRecord.Field>, isSoftDeleted: Bool,
        appRoleValues: UnsafeBufferPointer<String>,
        messages: inout [String], ignoreFlow: inout Bool
    ) -> AttributeValue? {
        switch self {
        case .field(let key):
            return ExpressionEvaluator.recordValue(key, in: fields)
        case .principalName:
            let stored = ExpressionEvaluator.recordValue(Expression.AttributeReference.userPrincipalNameKey, in: fields)
            if case .string(let principalName)? = stored {
                return .string(GuestUserPrincipalName.externalForm(of: principalName))
            }
            return stored
        case .notSoftDeleted:
            return .bool(!isSoftDeleted)
        case .join(let separator, let keys, let expression):
            if let joined = Self.joinTexts(separator, keys, fields) { return joined }
            return Self.general(
                expression, fields: fields, isSoftDeleted: isSoftDeleted, appRoleValues: appRoleValues,
                messages: &messages, ignoreFlow: &ignoreFlow)
        case .general(let expression):
            return Self.general(
                expression, fields: fields, isSoftDeleted: isSoftDeleted, appRoleValues: appRoleValues,
                messages: &messages, ignoreFlow: &ignoreFlow)
        }
    }

    /// `false` when evaluating for `type` surely gives no diagnostic: `Not([IsSoftDeleted])` (a boolean), a text
    /// target fed one attribute that is not multi-valued (text, booleans and numbers all convert), a `Join` of
    /// text values. Otherwise the caller evaluates to find out.
    @inline(__always)
    func mayDiagnose(_ fields: UnsafeBufferPointer<SourceRecord.Field>, into type: TargetValueType) -> Bool {
        switch self {
        case .notSoftDeleted:
            return false
        case .field(let key):
            return type != .string || ExpressionEvaluator.recordValue(key, in: fields)?.isMultiValued == true
        case .principalName:
            return type != .string
                || ExpressionEvaluator.recordValue(Expression.AttributeReference.userPrincipalNameKey, in: fields)?
                    .isMultiValued == true
        case .join(_, let keys, _):
            for key in keys {
                switch ExpressionEvaluator.recordValue(key, in: fields) {
                case nil, .string?: continue
                default: return true
                }
            }
            return false
        case .general:
            return true
        }
    }

    /// Join of text values (the evaluator's `appendJoined` for strings: empty ones skipped; null when none is
    /// left); `nil` (not the value null) when some value is not text.
    @inline(__always)
    private static func joinTexts(
        _ separator: String, _ keys: [AttributeKey], _ fields: UnsafeBufferPointer<SourceRecord.Field>
    ) -> AttributeValue?? {
        var joined = ""
        var count = 0
        for key in keys {
            switch ExpressionEvaluator.recordValue(key, in: fields) {
            case nil:
                continue
            case .string(let text)?:
                if text.isEmpty { continue }
                if count > 0 { joined.append(separator) }
                joined.append(text)
                count += 1
            default:
                return nil
            }
        }
        return .some(count == 0 ? nil : .string(joined))
    }

    private static func general(
        _ expression: Expression, fields: UnsafeBufferPointer<SourceRecord.Field>, isSoftDeleted: Bool,
        appRoleValues: UnsafeBufferPointer<String>, messages: inout [String], ignoreFlow: inout Bool
    ) -> AttributeValue? {
        if case .attribute(let reference) = expression {
            return ExpressionEvaluator.attributeValue(
                reference, fields: fields, isSoftDeleted: isSoftDeleted, appRoleValues: appRoleValues)
        }
        var evaluator = ExpressionEvaluator(fields: fields, isSoftDeleted: isSoftDeleted, appRoleValues: appRoleValues)
        let value = evaluator.value(of: expression)
        messages = evaluator.diagnostics
        ignoreFlow = evaluator.ignoreFlow
        return evaluator.ignoreFlow ? nil : value
    }
}
