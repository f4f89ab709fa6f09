import Foundation

/// How a guest's `userPrincipalName` is seen (SPEC §4; HPW B2B note: "#EXT# and your domain is stripped …
/// only their original alias@theirdomain is used for matching or provisioning").
public enum GuestUserPrincipalName {
    /// `alias_domain#EXT#@tenant…` → `alias@domain`, split at the last `_` before `#EXT#`
    /// (`adele.vance_fabrikam.com#EXT#@contoso.onmicrosoft.com` → `adele.vance@fabrikam.com`,
    /// `a_b_c.com#EXT#@t` → `a_b@c.com`). Any other value, including a guest UPN without `_` before `#EXT#`,
    /// is returned unchanged. `#EXT#` is found in any letter case.
    public static func externalForm(of principalName: String) -> String {
        let split =
            principalName.utf8.withContiguousStorageIfAvailable(splitOffsets)
            ?? Array(principalName.utf8).withUnsafeBufferPointer(splitOffsets)
        guard let (underscore, marker) = split else { return principalName }
        let utf8 = principalName.utf8
        let underscoreIndex = utf8.index(utf8.startIndex, offsetBy: underscore)
        let domainStart = utf8.index(after: underscoreIndex)
        let markerIndex = utf8.index(utf8.startIndex, offsetBy: marker)
        return "\(principalName[..<underscoreIndex])@\(principalName[domainStart..<markerIndex])"
    }

    /// `true` when the value has the `#EXT#` marker of a guest account.
    public static func isGuest(_ principalName: String) -> Bool {
        let found = principalName.utf8.withContiguousStorageIfAvailable { markerOffset(in: $0) != nil }
        return found ?? Array(principalName.utf8).withUnsafeBufferPointer { markerOffset(in: $0) != nil }
    }

    /// Byte offsets of the last `_` before `#EXT#` and of `#EXT#`, when the value is a guest UPN with a
    /// non-empty alias and domain.
    private static func splitOffsets(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int)? {
        guard let marker = markerOffset(in: bytes) else { return nil }
        var underscore = marker - 1
        while underscore > 0, bytes[underscore] != UInt8(ascii: "_") { underscore -= 1 }
        guard underscore > 0, underscore < marker - 1 else { return nil }
        return (underscore, marker)
    }

    /// Where `#EXT#` starts (case-insensitive); a member UPN, without `#`, is one `memchr` over its bytes.
    private static func markerOffset(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var position = 0
        while position + 5 <= count {
            // The next `#` that can start a marker (at most `count - 5`).
            guard let found = memchr(base + position, 0x23, count - 4 - position) else { return nil }
            position = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            if bytes[position + 4] == 0x23, bytes[position + 1] | 0x20 == 0x65, bytes[position + 2] | 0x20 == 0x78,
                bytes[position + 3] | 0x20 == 0x74
            {
                return position
            }
            position += 1
        }
        return nil
    }
}
