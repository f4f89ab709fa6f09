/// Shares one `String` storage between equal values of a low-cardinality attribute (department,
/// title, locale, ...), so a million users do not hold a million copies of "Engineering".
///
/// Strings of 15 UTF-8 bytes or fewer are stored inline by Swift and pass straight through. An
/// attribute whose values turn out to be mostly distinct (names) stops being interned once the table
/// reaches `limit`, so the table never costs more than it saves.
struct StringInterner {
    private var table: [String: String] = [:]
    private var enabled = true
    let limit: Int

    init(limit: Int = 20_000) {
        self.limit = limit
    }

    /// `text`, or an equal string already seen.
    mutating func intern(_ text: String) -> String {
        guard enabled, text.utf8.count > 15 else { return text }
        if let existing = table[text] { return existing }
        guard table.count < limit else {
            enabled = false
            table = [:]
            return text
        }
        table[text] = text
        return text
    }
}
