/// A parsed attribute-mapping expression in Entra's expression language (SPEC §4 "Mappings").
///
/// Build one with `ExpressionParser.parse(_:)` once per mapping, then call `evaluate(in:)` per user.
/// Attribute keys are resolved at parse time; positions (1-based characters of the source text) are kept for
/// diagnostics but are not part of equality, so `parse(expression.description) == expression`.
public indirect enum Expression: Sendable, Hashable, CustomStringConvertible {
    /// `[attributeName]`.
    case attribute(AttributeReference)
    /// `"text"`, with `\"` and `\\` already unescaped.
    case text(String)
    /// A whole number such as the `3` of `Left([givenName], 3)`.
    case number(Int64)
    /// `Name(arguments…)`.
    case call(FunctionCall)
    /// `left = right` and the other comparisons IIF's condition (and CBool) accept.
    case comparison(Comparison)

    /// An attribute reference, resolved to what it reads.
    public struct AttributeReference: Sendable, Hashable {
        /// The name as written between the brackets, for messages and printing.
        public let name: String
        /// What the reference reads.
        public let kind: Kind

        /// The source of an attribute's value.
        public enum Kind: Sendable, Hashable {
            /// A record attribute, looked up by key.
            case record(AttributeKey)
            /// `[userPrincipalName]`: the record's UPN, with a guest's `alias_domain#EXT#@tenant` shown as `alias@domain`.
            case userPrincipalName
            /// `[originalUserPrincipalName]`: the record's UPN exactly as stored.
            case originalUserPrincipalName
            /// `[IsSoftDeleted]`: the computed "not in scope" flag of the context.
            case isSoftDeleted
            /// `[appRoleAssignments]`: the user's entitling app-role values from the context.
            case appRoleAssignments
        }

        /// Resolves a name as written (case-insensitively) to what it reads.
        public init(name: String) {
            self.name = name
            let key = AttributeKey(name)
            switch key.rawValue {
            case "userprincipalname": kind = .userPrincipalName
            case "originaluserprincipalname": kind = .originalUserPrincipalName
            case "issoftdeleted": kind = .isSoftDeleted
            case "approleassignments": kind = .appRoleAssignments
            default: kind = .record(key)
            }
        }

        /// The record attribute this reference reads, if any (computed attributes read none).
        public var recordKey: AttributeKey? {
            switch kind {
            case .record(let key): return key
            case .userPrincipalName, .originalUserPrincipalName: return AttributeReference.userPrincipalNameKey
            case .isSoftDeleted, .appRoleAssignments: return nil
            }
        }

        static let userPrincipalNameKey: AttributeKey = "userPrincipalName"

        public static func == (lhs: AttributeReference, rhs: AttributeReference) -> Bool { lhs.kind == rhs.kind }
        public func hash(into hasher: inout Hasher) { hasher.combine(kind) }
    }

    /// A function call; `nil` arguments are the empty positions of `Switch([x], , "a", "b")`.
    public struct FunctionCall: Sendable, Hashable {
        public let function: ExpressionFunction
        public let arguments: [Expression?]
        /// 1-based character position of the function name.
        public let position: Int
        /// What `Replace` does with its arguments, decided (and its pattern compiled) at parse time.
        let replaceForm: ReplaceForm?

        init(function: ExpressionFunction, arguments: [Expression?], position: Int, replaceForm: ReplaceForm? = nil) {
            self.function = function
            self.arguments = arguments
            self.position = position
            self.replaceForm = replaceForm
        }

        /// The argument at `index`, or `nil` when it is empty or absent.
        func argument(_ index: Int) -> Expression? {
            index < arguments.count ? arguments[index] : nil
        }

        public static func == (lhs: FunctionCall, rhs: FunctionCall) -> Bool {
            lhs.function == rhs.function && lhs.arguments == rhs.arguments
        }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(function)
            hasher.combine(arguments)
        }
    }

    /// `left operator right`.
    public struct Comparison: Sendable, Hashable {
        public let left: Expression
        public let comparator: Comparator
        public let right: Expression
        /// 1-based character position of the operator.
        public let position: Int

        public static func == (lhs: Comparison, rhs: Comparison) -> Bool {
            lhs.left == rhs.left && lhs.comparator == rhs.comparator && lhs.right == rhs.right
        }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(left)
            hasher.combine(comparator)
            hasher.combine(right)
        }
    }

    /// The comparison operators FUNC lists for IIF.
    public enum Comparator: String, Sendable, Hashable, CaseIterable {
        case equal = "="
        case notEqual = "<>"
        case greater = ">"
        case greaterOrEqual = ">="
        case less = "<"
        case lessOrEqual = "<="
    }

    /// The record attributes the expression reads (so readers can keep only those).
    ///
    /// `[IsSoftDeleted]` and `[appRoleAssignments]` come from the context and read none;
    /// `[originalUserPrincipalName]` reads `userPrincipalName`.
    public var referencedAttributes: Set<AttributeKey> {
        var keys: Set<AttributeKey> = []
        collectAttributes(into: &keys)
        return keys
    }

    private func collectAttributes(into keys: inout Set<AttributeKey>) {
        switch self {
        case .attribute(let reference):
            if let key = reference.recordKey { keys.insert(key) }
        case .text, .number:
            break
        case .call(let call):
            for argument in call.arguments { argument?.collectAttributes(into: &keys) }
        case .comparison(let comparison):
            comparison.left.collectAttributes(into: &keys)
            comparison.right.collectAttributes(into: &keys)
        }
    }

    /// The expression in canonical form: Entra's spelling of function names, `", "` between arguments.
    public var description: String {
        switch self {
        case .attribute(let reference):
            return "[\(reference.name)]"
        case .text(let text):
            var escaped = "\""
            for character in text {
                if character == "\"" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            return escaped + "\""
        case .number(let number):
            return String(number)
        case .call(let call):
            let arguments = call.arguments.map { $0?.description ?? "" }
            return "\(call.function.rawValue)(\(arguments.joined(separator: ", ")))"
        case .comparison(let comparison):
            return "\(comparison.left) \(comparison.comparator.rawValue) \(comparison.right)"
        }
    }
}
