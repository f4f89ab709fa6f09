/// A case-insensitive attribute name: attribute names compare case-insensitively everywhere (SPEC §2).
///
/// `rawValue` is the lower-cased name; `displayName` keeps the spelling to show to people.
public struct AttributeKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The lower-cased name used for comparison and lookup.
    public let rawValue: String

    public init(_ name: String) {
        self.rawValue = AttributeKey.fold(name)
    }

    public static func < (lhs: AttributeKey, rhs: AttributeKey) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }

    /// Lower-cases ASCII without allocating a new string when the name is already lower case.
    static func fold(_ name: String) -> String {
        var needsWork = false
        for byte in name.utf8 where (byte >= 0x41 && byte <= 0x5A) || byte >= 0x80 {
            needsWork = true
            break
        }
        return needsWork ? name.lowercased() : name
    }
}

extension AttributeKey: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(value) }
}

extension String {
    /// The lower-cased form used for case-insensitive comparison and lookup; the string itself (no
    /// allocation) when it holds no upper-case ASCII letter and no non-ASCII character.
    public var foldedForLookup: String { AttributeKey.fold(self) }
}
