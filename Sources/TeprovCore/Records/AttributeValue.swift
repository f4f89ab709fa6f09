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
        // Only 4- and 5-byte text can be a spelling; no other UTF-8 text is canonically equivalent to
        // these ASCII letters, so comparing bytes is `==`.
        let utf8 = text.utf8
        guard utf8.count == 4 || utf8.count == 5 else { return nil }
        if let parsed = utf8.withContiguousStorageIfAvailable({ parse($0) }) { return parsed }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// `parse(_:)` for text given as UTF-8 bytes (readers decide before making a `String`).
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard let base = bytes.baseAddress else { return nil }
        switch bytes.count {
        case 4:
            let word = UInt32(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt32.self))
            return word == trueLower || word == trueCapitalized || word == trueUpper ? true : nil
        case 5:
            let word = UInt32(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt32.self))
            switch base[4] {
            case UInt8(ascii: "e"): return word == falsLower || word == falsCapitalized ? false : nil
            case UInt8(ascii: "E"): return word == falsUpper ? false : nil
            default: return nil
            }
        default:
            return nil
        }
    }

    // The first four bytes of each spelling, as a little-endian load of them gives.
    private static let trueLower: UInt32 = 0x6575_7274  // "true"
    private static let trueCapitalized: UInt32 = 0x6575_7254  // "True"
    private static let trueUpper: UInt32 = 0x4555_5254  // "TRUE"
    private static let falsLower: UInt32 = 0x736C_6166  // "fals"
    private static let falsCapitalized: UInt32 = 0x736C_6146  // "Fals"
    private static let falsUpper: UInt32 = 0x534C_4146  // "FALS"
}
