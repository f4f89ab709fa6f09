/// The encoding of an input file, told by its byte-order mark (SPEC §2: UTF-8 with or without BOM,
/// UTF-16 LE/BE with BOM).
public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 (BOM)"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"

    /// Detects the encoding from the first bytes; returns it with the length of the BOM.
    public static func detect(_ prefix: some Collection<UInt8>) -> (TextEncoding, bomLength: Int) {
        let bytes = Array(prefix.prefix(4))
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return (.utf8BOM, 3) }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE { return (.utf16LE, 2) }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF { return (.utf16BE, 2) }
        return (.utf8, 0)
    }
}
