/// One value of a directory attribute, typed as the export gave it.
///
/// Absence (JSON `null`, an empty CSV cell, `<Nil/>`) is not a case: an absent attribute is simply
/// not stored in the record. Strings are always NFC-normalized, trimmed and non-empty.
public enum AttributeValue: Sendable, Hashable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    /// A multi-valued attribute (JSON array, repeated DSML `value`, CLIXML `LST`).
    case multi([AttributeValue])

    /// The value as one string, the way Entra's expressions see a scalar (`True`/`False` for booleans);
    /// `nil` for a multi-valued attribute.
    public var scalarText: String? {
        switch self {
        case .string(let text): return text
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .double(let number): return number.formattedForExport
        case .multi: return nil
        }
    }

    /// The value as a boolean when it is one, in any of the recognised spellings
    /// (`true/false`, `True/False`, `TRUE/FALSE`, JSON booleans).
    public var boolValue: Bool? {
        switch self {
        case .bool(let flag): return flag
        case .string(let text): return BooleanText.parse(text)
        default: return nil
        }
    }

    /// `true` when the attribute holds more than one value position (a JSON array, repeated values).
    public var isMultiValued: Bool {
        if case .multi = self { return true }
        return false
    }
}

extension Double {
    /// Shortest round-tripping text, with integral values written without a fraction (`3`, not `3.0`).
    var formattedForExport: String {
        if self.isFinite, self == self.rounded(), abs(self) < 1e15 {
            return String(Int64(self))
        }
        return String(self)
    }
}

/// The boolean spellings SPEC §2 recognises.
public enum BooleanText {
    /// Parses `true/false`, `True/False`, `TRUE/FALSE`; anything else is `nil`.
    public static func parse(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }
}
