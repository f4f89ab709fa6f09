/// Checks that make a call well-formed before any user is evaluated: argument counts, empty positions,
/// whole-number literals, the argument of `SingleAppRoleAssignment`, and which of its documented forms a
/// `Replace` call is (with its regular expression compiled once, here).
extension ExpressionParserState {
    func validatedCall(
        _ function: ExpressionFunction, _ arguments: [Expression?], _ positions: [Int], position: Int
    ) throws(ExpressionSyntaxError) -> Expression.FunctionCall {
        let name = function.rawValue
        let (minimum, maximum) = function.argumentCount
        let count = arguments.count
        if count < minimum || (maximum.map { count > $0 } ?? false) {
            let expected: String
            if let maximum, maximum == minimum {
                expected = "takes \(minimum) argument\(minimum == 1 ? "" : "s")"
            } else if let maximum {
                expected = "takes \(minimum) to \(maximum) arguments"
            } else {
                expected = "takes at least \(minimum) arguments"
            }
            throw ExpressionSyntaxError(
                position: position,
                message: "\(name) at character \(position) \(expected) (\(function.signature)), not \(count)")
        }
        if function == .switchCase, !count.isMultiple(of: 2) {
            throw ExpressionSyntaxError(
                position: position,
                message: "Switch at character \(position) takes an even number of arguments (\(function.signature)), "
                    + "not \(count); every key needs a value")
        }
        for (index, argument) in arguments.enumerated()
        where argument == nil && !function.allowsEmptyArgument(at: index) {
            throw ExpressionSyntaxError(
                position: positions[index],
                message:
                    "argument \(index + 1) (\(function.parameterNames[min(index, function.parameterNames.count - 1)])) "
                    + "of \(name) is empty at character \(positions[index])")
        }
        for index in function.integerArgumentIndices where index < count {
            if case .text(let text)? = arguments[index], Int64(text) == nil {
                throw ExpressionSyntaxError(
                    position: positions[index],
                    message: "argument \(index + 1) (\(function.parameterNames[index])) of \(name) at character "
                        + "\(positions[index]) must be a whole number, not \"\(text)\"")
            }
        }
        if function == .singleAppRoleAssignment {
            guard case .attribute(let reference)? = arguments[0], reference.kind == .appRoleAssignments else {
                throw ExpressionSyntaxError(
                    position: positions[0],
                    message: "SingleAppRoleAssignment takes [appRoleAssignments] as its argument at character "
                        + "\(positions[0])")
            }
        }
        var replaceForm: ReplaceForm?
        if function == .replace {
            replaceForm = try validatedReplaceForm(arguments, positions, position: position)
        }
        return Expression.FunctionCall(
            function: function, arguments: arguments, position: position, replaceForm: replaceForm)
    }

    /// Decides which documented form a `Replace` call is (FUNC "Replace"), from the positions that are filled.
    private func validatedReplaceForm(
        _ arguments: [Expression?], _ positions: [Int], position: Int
    ) throws(ExpressionSyntaxError) -> ReplaceForm {
        func present(_ index: Int) -> Bool { index < arguments.count && arguments[index] != nil }
        func failure(_ text: String) -> ExpressionSyntaxError {
            ExpressionSyntaxError(position: position, message: "Replace at character \(position) \(text)")
        }
        let oldValue = present(1)
        let pattern = present(2)
        let groupName = present(3)
        let replacementValue = present(4)
        let replacementAttribute = present(5)
        let template = present(6)
        if oldValue && pattern { throw failure("has both oldValue and regexPattern; give one of them") }
        if oldValue {
            if groupName || replacementAttribute {
                throw failure("uses regexGroupName or replacementAttributeName, which need regexPattern, not oldValue")
            }
            if template && replacementValue {
                throw failure("has both replacementValue and template; give one of them")
            }
            if template { return ReplaceForm(mode: .template) }
            if replacementValue { return ReplaceForm(mode: .literal) }
            throw failure("needs replacementValue (argument 5) or template (argument 7) after oldValue")
        }
        guard pattern else {
            throw failure("needs oldValue (argument 2) or regexPattern (argument 3)")
        }
        if template { throw failure("uses template, which works only with oldValue") }
        guard case .text(let patternText)? = arguments[2] else {
            throw ExpressionSyntaxError(
                position: positions[2],
                message: "the regexPattern of Replace at character \(positions[2]) must be text in double quotes")
        }
        let regex: TimeLimitedRegex
        do {
            regex = try TimeLimitedRegex(pattern: patternText)
        } catch {
            throw ExpressionSyntaxError(
                position: positions[2],
                message: "the regexPattern of Replace at character \(positions[2]) is not valid ICU syntax "
                    + "(\(error.reason))")
        }
        let groupNames = ReplaceForm.namedGroups(in: patternText)
        guard groupName else {
            if replacementAttribute { throw failure("uses replacementAttributeName, which needs regexGroupName") }
            guard replacementValue else { throw failure("needs replacementValue (argument 5) with regexPattern") }
            return ReplaceForm(mode: .regex, regex: regex, groupNames: groupNames)
        }
        guard case .text(let group)? = arguments[3] else {
            throw ExpressionSyntaxError(
                position: positions[3],
                message: "the regexGroupName of Replace at character \(positions[3]) must be text in double quotes")
        }
        guard groupNames.contains(group) else {
            throw ExpressionSyntaxError(
                position: positions[3],
                message: "the regexGroupName \"\(group)\" of Replace at character \(positions[3]) is not a named "
                    + "group (?<\(group)>…) of the pattern")
        }
        if replacementAttribute && replacementValue {
            throw failure("has both replacementValue and replacementAttributeName; give one of them")
        }
        if replacementAttribute {
            return ReplaceForm(mode: .regexGroupFromAttribute, regex: regex, groupName: group, groupNames: groupNames)
        }
        guard replacementValue else {
            throw failure(
                "needs replacementValue (argument 5) or replacementAttributeName (argument 6) with "
                    + "regexGroupName")
        }
        return ReplaceForm(mode: .regexGroup, regex: regex, groupName: group, groupNames: groupNames)
    }
}
