/// Renders a `SnapshotDiffResult` (SPEC §9): text for a terminal, Markdown for a ticket or a wiki
/// page, JSON for scripts. Values are shown as JSON (strings quoted), so `"" → null` is visible.
public struct DiffRenderer: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, markdown
    }

    public struct Options: Sendable {
        public var format: Format
        /// The snapshots as named on the command line (Markdown names them in its title).
        public var oldName: String
        public var newName: String
        /// ANSI colours on the markers of the text format (`+` green, `-` red, `~` yellow).
        public var color: Bool

        public init(format: Format = .text, oldName: String = "OLD", newName: String = "NEW", color: Bool = false) {
            self.format = format
            self.oldName = oldName
            self.newName = newName
            self.color = color
        }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// The rendering, ending with a newline.
    public func render(_ result: SnapshotDiffResult) -> String {
        switch options.format {
        case .text: return renderText(result)
        case .markdown: return renderMarkdown(result)
        case .json: return renderJSON(result)
        }
    }

    /// `1 added, 2 removed, 3 changed, 10 unchanged`, or `no differences: 10 users unchanged`.
    public static func summary(_ result: SnapshotDiffResult) -> String {
        guard result.hasDifferences else {
            return "no differences: \(result.unchanged) \(result.unchanged == 1 ? "user" : "users") unchanged"
        }
        return
            "\(result.added.count) added, \(result.removed.count) removed, \(result.changed.count) changed, \(result.unchanged) unchanged"
    }

    /// A value as JSON text; an absent value is `null`.
    static func shown(_ value: JSONValue?) -> String {
        (value ?? .null).serialized(style: .compact)
    }
}
