/// A problem that makes a whole CSV file unreadable (SPEC §2 "Bad input"), with the physical line it
/// is on; `CSVExportReader` turns it into a `TeprovError` naming the file.
struct CSVSyntaxError: Error, Equatable {
    /// `nil` when the problem is the file as a whole (no header row).
    var line: Int?
    /// One sentence: what is wrong and what to do.
    var message: String

    static func unclosedQuote(line: Int) -> CSVSyntaxError {
        CSVSyntaxError(
            line: line,
            message: "the quoted field that starts on line \(line) is never closed; "
                + "close the quote (write a quote inside a value as two quotes) and try again")
    }

    static func nulByte(line: Int) -> CSVSyntaxError {
        CSVSyntaxError(
            line: line,
            message: "contains a NUL byte, so it is UTF-16 without a byte-order mark or a binary file; "
                + "save it as UTF-8 (or UTF-16 with a BOM) and try again")
    }

    static func invalidUTF8(line: Int) -> CSVSyntaxError {
        CSVSyntaxError(
            line: line,
            message: "is not valid UTF-8 on this line; save the file as UTF-8 (or UTF-16 with a BOM) and try again")
    }

    static func fieldTooLong(line: Int) -> CSVSyntaxError {
        CSVSyntaxError(
            line: line,
            message: "has a field longer than 1 MiB starting on this line, so it is not a CSV export "
                + "or has an unbalanced quote; check the quotes or export the users again")
    }

    static func rowTooLong(line: Int) -> CSVSyntaxError {
        CSVSyntaxError(
            line: line,
            message: "has a row longer than 16 MiB; this is not a CSV export of users, export the users again")
    }

    static func tooManyFields(line: Int, limit: Int) -> CSVSyntaxError {
        CSVSyntaxError(
            line: line,
            message: "has a row with more than \(limit) fields; this is not a CSV export of users, "
                + "export the users again")
    }
}
