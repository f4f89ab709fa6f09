/// The attribute paths `diff` leaves out (SPEC §9): `meta` by default, and every `--ignore ATTR`.
///
/// An entry ignores the path it names and everything below it: `name` ignores `name.formatted`,
/// `emails` every e-mail entry, `emails[type eq "work"]` only the work entry. Attribute names match
/// ignoring case, as SCIM does; filter values (inside quotes) match exactly.
struct DiffIgnoreList: Sendable {
    /// The entries as `DiffIgnoreList.matchKey` forms.
    let entries: [String]

    /// - Parameters:
    ///   - attributes: `--ignore` values.
    ///   - ignoresMeta: leave out `meta.*` (server bookkeeping: created, lastModified, version, location).
    init(_ attributes: [String], ignoresMeta: Bool = true) {
        var entries = attributes.map { Self.matchKey(Self.trimmed($0)) }.filter { !$0.isEmpty }
        if ignoresMeta { entries.append("meta") }
        self.entries = entries
    }

    /// `true` when the path whose match key is `key` is ignored.
    func ignores(_ key: String) -> Bool {
        for entry in entries where key.hasPrefix(entry) {
            let rest = key.utf8.dropFirst(entry.utf8.count)
            guard let next = rest.first else { return true }
            if next == UInt8(ascii: ".") || next == UInt8(ascii: "[") || next == UInt8(ascii: ":") { return true }
        }
        return false
    }

    /// The form paths are compared in: ASCII letters lower-cased outside double quotes (attribute
    /// names are case-insensitive), quoted filter values kept exactly.
    static func matchKey(_ path: String) -> String {
        var bytes = Array(path.utf8)
        var quoted = false
        var escaped = false
        for index in bytes.indices {
            let byte = bytes[index]
            if quoted {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    quoted = false
                }
            } else if byte == UInt8(ascii: "\"") {
                quoted = true
            } else {
                bytes[index] = JSONTokenizer.asciiLowercase(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(text[first...last])
    }
}
