import ArgumentParser
import TeprovCore

#if canImport(Glibc)
    import Glibc
#endif

extension PlanRenderer.Format: ExpressibleByArgument {}

/// `teprov show PLAN`: renders a plan for review (SPEC §7 "Review") after checking its digest.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Render a plan for review: text, a Markdown or HTML page, or JSON.",
        discussion: """
            Checks the plan's digest first and refuses (exit 3) a plan that was edited or corrupted. \
            The summary always covers the whole plan; --action and --user narrow the listed entries.
            """
    )

    @Argument(help: "The plan file written by teprov plan.")
    var plan: String

    @Option(help: "Output format: text, markdown, html or json.")
    var format: PlanRenderer.Format = .text

    @Option(
        name: .customLong("action"),
        help: "Only these actions, comma-separated: create,update,disable,delete. May be repeated.")
    var actionLists: [String] = []

    @Option(help: "Only entries about this user (target userName, new userName, source UPN or id; any case).")
    var user: String?

    @Flag(help: "Mask e-mail addresses (a***@contoso.com) so the rendering can be shared.")
    var redact = false

    @Option(help: "Page of a markdown or html rendering, 5,000 operations per page (1-based).")
    var page: Int?

    @OptionGroup var global: GlobalOptions

    /// The `--action` values, parsed; `nil` when none was given.
    func selectedActions() throws -> Set<PlanAction>? {
        guard !actionLists.isEmpty else { return nil }
        var actions = Set<PlanAction>()
        for word in actionLists.flatMap({ $0.split(separator: ",") }) {
            let name = String(word).trimmingSpaces.lowercased()
            guard let action = PlanAction(rawValue: name) else {
                throw ValidationError(
                    "--action \"\(word)\" is not an action; use create, update, disable or delete, comma-separated.")
            }
            actions.insert(action)
        }
        guard !actions.isEmpty else {
            throw ValidationError("--action needs at least one of create, update, disable, delete.")
        }
        return actions
    }

    func validate() throws {
        _ = try selectedActions()
        if let page {
            guard page >= 1 else { throw ValidationError("--page counts from 1; give --page 1 or more.") }
            guard format == .html || format == .markdown else {
                throw ValidationError(
                    "--page applies to --format html or markdown; the \(format.rawValue) format shows every entry.")
            }
        }
        if let user, user.trimmingSpaces.isEmpty {
            throw ValidationError("--user needs a name, e.g. --user alice@contoso.com.")
        }
    }

    func run() async throws {
        MemoryTuning.restartWithHugePages(forInputs: [plan])
        // The whole plan as JSON is the file itself when `teprov plan` wrote it: copy it rather than
        // rebuild and re-serialize hundreds of megabytes (the layout is checked while the digest is).
        let copiesFile = format == .json && actionLists.isEmpty && user == nil && !redact
        let source = copiesFile ? PlanFileCopy(path: plan) : nil
        let loaded: PlanFile.Loaded
        do {
            loaded = try PlanFile.load(path: plan, checkingLayout: copiesFile)
        } catch let error as TeprovError {
            throw error.exit()
        }
        guard loaded.digestVerified else {
            let recorded = loaded.plan.digest.isEmpty ? "none" : loaded.plan.digest
            StandardError.write(
                "teprov: \(plan): the plan's digest does not match its content (recorded \(recorded), computed "
                    + "\(loaded.computedDigest)); it was edited or corrupted — re-run teprov plan")
            throw ExitCode(3)
        }
        if loaded.fileIsDocumentText, let source, source.copyToStandardOutput(ifStill: plan) {
            return
        }
        let options = PlanRenderer.Options(
            format: format, actions: try selectedActions(), user: user?.trimmingSpaces, redact: redact, page: page ?? 1,
            planName: plan, color: format == .text && Self.colorWanted(noColor: global.noColor))
        do {
            StandardOutput.write(try PlanRenderer(options: options).render(loaded.plan, document: loaded.document))
        } catch let error as TeprovError {
            throw error.exit()
        }
    }

    /// Colours only on a terminal, and never with `--no-color` or `NO_COLOR` (https://no-color.org).
    static func colorWanted(noColor: Bool) -> Bool {
        if noColor { return false }
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        return isatty(1) == 1
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
