/// Which targets teprov manages: those whose externalId matches `ownership.externalIdPattern` (SPEC §6).
///
/// The default pattern (a GUID) is checked by hand: a regex per target would cost seconds at a million users.
struct OwnershipRule {
    let pattern: String
    private let regex: TimeLimitedRegex?

    init(pattern: String) {
        self.pattern = pattern
        self.regex = pattern == TeprovConfig.defaultExternalIdPattern ? nil : try? TimeLimitedRegex(pattern: pattern)
    }

    func isManaged(_ externalId: String) -> Bool {
        guard let regex else { return OwnershipRule.isGUID(externalId) }
        return (try? regex.firstMatch(in: externalId)) ?? false
    }

    /// `8-4-4-4-12` hex digits, either case.
    static func isGUID(_ text: String) -> Bool {
        guard text.utf8.count == 36 else { return false }
        // The bytes in place (an array of them was allocated per target).
        var copy = text
        return copy.withUTF8 { bytes in
            for position in 0..<36 {
                let byte = bytes[position]
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    if byte != UInt8(ascii: "-") { return false }
                    continue
                }
                let isHex =
                    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
                if !isHex { return false }
            }
            return true
        }
    }
}
