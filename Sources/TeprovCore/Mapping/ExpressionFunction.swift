/// A function of Entra's attribute-mapping expression language that teprov evaluates (SPEC §4 "Mappings").
///
/// Names are matched case-insensitively (`join`, `JOIN` and `Join` are the same function); the raw value is
/// Entra's spelling, used when an expression is printed back.
public enum ExpressionFunction: String, Sendable, Hashable, CaseIterable {
    case append = "Append"
    case cBool = "CBool"
    case cStr = "CStr"
    case coalesce = "Coalesce"
    case ignoreFlowIfNullOrEmpty = "IgnoreFlowIfNullOrEmpty"
    case iif = "IIF"
    case isNull = "IsNull"
    case isNullOrEmpty = "IsNullOrEmpty"
    case isPresent = "IsPresent"
    case join = "Join"
    case left = "Left"
    case mid = "Mid"
    case normalizeDiacritics = "NormalizeDiacritics"
    case not = "Not"
    case pCase = "PCase"
    case replace = "Replace"
    case singleAppRoleAssignment = "SingleAppRoleAssignment"
    case split = "Split"
    case stripSpaces = "StripSpaces"
    case switchCase = "Switch"
    case toLower = "ToLower"
    case toUpper = "ToUpper"
    case word = "Word"

    /// The function with this name, compared case-insensitively; `nil` when teprov has no such function.
    public static func named(_ name: String) -> ExpressionFunction? {
        byFoldedName[AttributeKey.fold(name)]
    }

    /// `true` for names of Entra functions that teprov deliberately does not evaluate (dates, random values,
    /// target lookups, ...), so the error can say "not supported" rather than "unknown".
    public static func isEntraOnly(_ name: String) -> Bool {
        entraOnlyNames.contains(AttributeKey.fold(name))
    }

    /// Entra's parameter names, in order; a trailing `…` marks a repeating parameter.
    public var parameterNames: [String] {
        switch self {
        case .append: return ["source", "suffix"]
        case .cBool, .cStr, .ignoreFlowIfNullOrEmpty, .isNull, .isNullOrEmpty, .isPresent: return ["expression"]
        case .coalesce: return ["source1", "source2", "…"]
        case .iif: return ["condition", "valueIfTrue", "valueIfFalse"]
        case .join: return ["separator", "source1", "source2", "…"]
        case .left: return ["string", "numChars"]
        case .mid: return ["source", "start", "length"]
        case .normalizeDiacritics, .not, .stripSpaces: return ["source"]
        case .pCase: return ["source", "wordSeparators"]
        case .replace:
            return [
                "source", "oldValue", "regexPattern", "regexGroupName", "replacementValue",
                "replacementAttributeName", "template",
            ]
        case .singleAppRoleAssignment: return ["[appRoleAssignments]"]
        case .split: return ["source", "delimiter"]
        case .switchCase: return ["source", "defaultValue", "key1", "value1", "…"]
        case .toLower, .toUpper: return ["source", "culture"]
        case .word: return ["string", "wordNumber", "delimiters"]
        }
    }

    /// How many arguments the function accepts (an empty argument, as in `Switch([x], , "a", "b")`, counts).
    var argumentCount: (minimum: Int, maximum: Int?) {
        switch self {
        case .append, .left, .split: return (2, 2)
        case .cBool, .cStr, .ignoreFlowIfNullOrEmpty, .isNull, .isNullOrEmpty, .isPresent, .normalizeDiacritics,
            .not, .singleAppRoleAssignment, .stripSpaces:
            return (1, 1)
        case .coalesce: return (1, nil)
        case .iif, .mid, .word: return (3, 3)
        case .join: return (2, nil)
        case .pCase, .toLower, .toUpper: return (1, 2)
        case .replace: return (2, 7)
        case .switchCase: return (4, nil)
        }
    }

    /// Whether the argument at `index` (0-based) may be left empty: optional parameters, and the positional
    /// gaps Entra's own examples use (`Replace([mail], "@contoso.com", , , "", , )`).
    func allowsEmptyArgument(at index: Int) -> Bool {
        switch self {
        case .switchCase: return index == 1
        case .replace: return index >= 1
        case .pCase, .toLower, .toUpper: return index == 1
        default: return false
        }
    }

    /// Argument positions (0-based) that must be whole numbers.
    var integerArgumentIndices: [Int] {
        switch self {
        case .left: return [1]
        case .mid: return [1, 2]
        case .word: return [1]
        default: return []
        }
    }

    /// `Name(p1, p2, …)`, for error messages.
    var signature: String { "\(rawValue)(\(parameterNames.joined(separator: ", ")))" }

    private static let byFoldedName: [String: ExpressionFunction] = {
        var table: [String: ExpressionFunction] = [:]
        for function in ExpressionFunction.allCases { table[function.rawValue.lowercased()] = function }
        return table
    }()

    /// Entra functions (FUNC reference) outside SPEC §4's list.
    private static let entraOnlyNames: Set<String> = [
        "approleassignmentscomplex", "assertiveapproleassignmentscomplex", "bitand", "cdate", "converttobase64",
        "converttoutf8hex", "count", "dateadd", "datediff", "datefromnum", "formatdatetime", "guid", "instr",
        "isstring", "item", "now", "numfromdate", "randomstring", "redact", "removeduplicates", "selectuniquevalue",
    ]
}
