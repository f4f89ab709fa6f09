/// Where a piece of a user's text is: a range inside the user's JSON text, a string decoded into the
/// snapshot's side table (it had escapes), or nothing.
struct DiffTextRef: Sendable, Equatable {
    /// `>= 0`: offset from the user's `{`; `< 0`: `-(location + 1)` indexes `DiffSnapshot.decodedTexts`.
    var location: Int32
    /// Length in bytes; `-1` when the user has no such value.
    var length: Int32

    static let absent = DiffTextRef(location: 0, length: -1)

    var isAbsent: Bool { length < 0 }
    var isDecoded: Bool { location < 0 }
}

/// One user of a snapshot being compared, kept small because a snapshot holds a million of them:
/// where its JSON text lies in the file's text, its line, and where its `id` and `userName` are.
/// Nothing else is read until the user turns out to differ from its counterpart.
struct DiffUserRecord: Sendable {
    /// Offset of the user's `{` in `DiffSnapshot.text`.
    var start: Int
    /// Offset just past the user's `}`.
    var end: Int
    /// 1-based line of the `{`.
    var line: Int32
    /// The SCIM `id` (a ThousandEyes v7 user's `uid`).
    var id: DiffTextRef
    /// `userName` (a ThousandEyes v7 user's `email`), or absent.
    var userName: DiffTextRef
}
