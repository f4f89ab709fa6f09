/// Renders a plan for review (`teprov show`, SPEC §7 "Review"): Terraform-like text, a Markdown or HTML
/// review page, or the plan document as JSON. Returns the text; printing is the CLI's job.
public struct PlanRenderer: Sendable {
    /// What `show` produces.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case text, markdown, html, json
    }

    /// What to render and how.
    public struct Options: Sendable, Hashable {
        public var format: Format
        /// Only operations with these actions (`--action`); `nil` shows every action. Skipped entries are
        /// not operations, so an action filter hides them.
        public var actions: Set<PlanAction>?
        /// Only entries about this user (`--user`): compared case-insensitively with the target userName, a
        /// create's new userName, the source userPrincipalName and the source id.
        public var user: String?
        /// Masks e-mail addresses in every value (`--redact`): `alice@contoso.com` becomes `a***@contoso.com`.
        public var redact: Bool
        /// 1-based page of a Markdown or HTML page, `operationsPerPage` entries per page (`--page`).
        public var page: Int
        /// How the plan is named in the commands the rendering suggests (the path given to `show`).
        public var planName: String
        /// ANSI colours in the text format.
        public var color: Bool

        public init(
            format: Format = .text, actions: Set<PlanAction>? = nil, user: String? = nil, redact: Bool = false,
            page: Int = 1, planName: String = "PLAN", color: Bool = false
        ) {
            self.format = format
            self.actions = actions
            self.user = user
            self.redact = redact
            self.page = page
            self.planName = planName
            self.color = color
        }

        /// Whether `--action` or `--user` narrows what is shown.
        public var isFiltered: Bool { actions != nil || user != nil }
    }

    /// Operations (and skipped entries, and diagnostics) per Markdown or HTML page.
    public static let operationsPerPage = 5_000

    public var options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Renders `plan`.
    /// - Parameter document: the plan file's JSON as read (`PlanFile.Loaded.document`), which the JSON
    ///   format prints as is; `nil` uses `plan.jsonValue()`.
    /// - Throws: `TeprovError(.usage)` when `options.page` is beyond the last page.
    public func render(_ plan: Plan, document: JSONValue? = nil) throws -> String {
        let selection = PlanSelection(plan: plan, options: options)
        if options.redact {
            // The plan's path appears in suggested commands; it too may hold an address.
            var masked = self
            masked.options.planName = EmailRedaction.mask(options.planName)
            return try masked.render(selection, document: document)
        }
        return try render(selection, document: document)
    }

    private func render(_ selection: PlanSelection, document: JSONValue?) throws -> String {
        switch options.format {
        case .json:
            return renderJSON(document ?? selection.plan.jsonValue(), selection: selection)
        case .text:
            return renderText(selection.redacted(options.redact))
        case .markdown, .html:
            let page = try PlanPage(selection: selection.redacted(options.redact), number: options.page)
            return options.format == .html ? renderHTML(page) : renderMarkdown(page)
        }
    }
}
