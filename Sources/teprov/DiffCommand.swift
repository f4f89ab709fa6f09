import ArgumentParser
import TeprovCore

extension DiffRenderer.Format: ExpressibleByArgument {}

extension DiffKey: ExpressibleByArgument {
    /// `id` or `userName`, in any letter case.
    public init?(argument: String) {
        guard let key = DiffKey.allCases.first(where: { $0.rawValue.lowercased() == argument.lowercased() }) else {
            return nil
        }
        self = key
    }
}

/// `teprov diff OLD NEW`: compares two snapshots user by user, attribute by attribute (SPEC §9).
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two snapshots, user by user, attribute by attribute.",
        discussion: """
            Reads any snapshot plan reads (teprov snapshot, SCIM ListResponse, ListResponse pages, an \
            array of users) and ThousandEyes v7 GET /users exports. Lists added (+), removed (-) and \
            changed (~) users sorted by userName, with "attribute: old → new" for every differing \
            path (name.formatted, emails[type eq "work"].value), then a summary. meta.* is ignored. \
            Exit status: 0 no differences, 1 differences, 4 unreadable input.
            """
    )

    @Argument(help: "The older snapshot file.")
    var old: String

    @Argument(help: "The newer snapshot file.")
    var new: String

    @Option(help: "Output format: text, markdown or json.")
    var format: DiffRenderer.Format = .text

    @Option(help: "Pair users by id (default) or userName (compared ignoring case).")
    var key: DiffKey = .id

    @Option(
        name: .customLong("ignore"),
        help: ArgumentHelp(
            "Leave out an attribute and everything below it (name, emails, title, ...). May be repeated.",
            valueName: "attr"))
    var ignored: [String] = []

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        MemoryTuning.restartWithHugePages(forInputs: [old, new])
        let result: SnapshotDiffResult
        do {
            result = try await SnapshotDiff.compare(
                oldPath: old, newPath: new, options: SnapshotDiff.Options(key: key, ignore: ignored))
        } catch let error as TeprovError {
            throw error.exit()
        }
        if !global.quiet {
            for note in result.notes { StandardError.write("teprov: warning: \(note)") }
            let renderer = DiffRenderer(
                options: DiffRenderer.Options(
                    format: format, oldName: old, newName: new,
                    color: format == .text && ShowCommand.colorWanted(noColor: global.noColor)))
            StandardOutput.write(renderer.render(result))
        }
        finishProcess(result.hasDifferences ? 1 : 0)
    }
}
