/// Storage shared by the users of one read, in rows: the values of the requested paths, the
/// e-mail entries and (when kept) where each user's JSON text lies in the input. One flat array per
/// kind instead of three heap objects per user keeps a million-user snapshot small and quick to build.
///
/// Immutable once built; a `TargetUser` edited after reading keeps its changes beside it.
final class SnapshotStore: Sendable {
    let layout: SnapshotAttributeLayout
    /// `values[row * slotCount + slot]`.
    private let values: [AttributeValue?]
    private let emails: [TargetEmail]
    /// End (exclusive) in `emails` of each row's entries; a row starts where the previous one ends.
    private let emailEnds: [Int32]
    /// The whole input (UTF-8) when raw text is kept, shared rather than copied user by user.
    private let rawText: [UInt8]
    /// Start and end (exclusive) in `rawText` of each row's text; empty when raw text was not kept.
    private let rawRanges: [Range<Int>]

    /// A store without rows (placeholder while reading).
    convenience init(layout: SnapshotAttributeLayout) {
        self.init(Builder(layout: layout))
    }

    init(_ builder: Builder) {
        layout = builder.layout
        values = builder.values
        emails = builder.emails
        emailEnds = builder.emailEnds
        rawText = builder.rawText
        rawRanges = builder.rawRanges
    }

    /// The value of `slot` in `row`.
    @inline(__always)
    func value(row: Int, slot: Int) -> AttributeValue? {
        values[row &* layout.storedPaths.count &+ slot]
    }

    /// The e-mail entries of `row`.
    @inline(__always)
    func emails(row: Int) -> ArraySlice<TargetEmail> {
        let start = row == 0 ? 0 : Int(emailEnds[row &- 1])
        return emails[start..<Int(emailEnds[row])]
    }

    /// The raw text of `row`, or `nil` when it was not kept.
    func rawText(row: Int) -> [UInt8]? {
        guard row < rawRanges.count else { return nil }
        return Array(rawText[rawRanges[row]])
    }

    /// The whole input that `rawTextRanges` point into (empty when raw text was not kept); shared,
    /// not copied, so `apply --offline` can keep a million users' text without a copy per user.
    var rawInput: [UInt8] { rawText }

    /// Where each row's raw text lies in `rawInput`, by row (empty when raw text was not kept).
    var rawTextRanges: [Range<Int>] { rawRanges }

    /// Collects rows while a snapshot is read.
    struct Builder {
        let layout: SnapshotAttributeLayout
        fileprivate(set) var values: [AttributeValue?] = []
        fileprivate(set) var emails: [TargetEmail] = []
        fileprivate(set) var emailEnds: [Int32] = []
        fileprivate(set) var rawText: [UInt8]
        fileprivate(set) var rawRanges: [Range<Int>] = []

        /// - Parameter rawText: the whole input, when users' raw text is kept (offsets given to
        ///   `append` point into it).
        init(layout: SnapshotAttributeLayout, rawText: [UInt8]? = nil) {
            self.layout = layout
            self.rawText = rawText ?? []
        }

        /// Number of rows appended so far.
        var rows: Int { emailEnds.count }

        /// Makes room for `rows` more rows (when the file announces its size).
        mutating func reserve(rows: Int) {
            values.reserveCapacity(values.count + rows * layout.storedPaths.count)
            emails.reserveCapacity(emails.count + rows)
            emailEnds.reserveCapacity(emailEnds.count + rows)
        }

        /// Appends a row; returns its index.
        /// - Parameter rawRange: where the user's text lies in the input, when raw text is kept.
        mutating func append(
            values rowValues: ContiguousArray<AttributeValue?>, emails rowEmails: [TargetEmail], rawRange: Range<Int>?
        ) throws -> Int {
            let row = rows
            // Element by element: the generic append(contentsOf:) costs more than the copy for 1–3 elements.
            for value in rowValues { values.append(value) }
            for email in rowEmails { emails.append(email) }
            guard let end = Int32(exactly: emails.count) else {
                throw TeprovError(
                    .input, "holds more than 2^31 e-mail addresses, far beyond any ThousandEyes organisation")
            }
            emailEnds.append(end)
            if let rawRange { rawRanges.append(rawRange) }
            return row
        }
    }
}
