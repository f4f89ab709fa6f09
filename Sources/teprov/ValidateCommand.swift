import ArgumentParser
import TeprovCore

/// Output format of `validate`.
enum ValidateFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension TeprovConfig.ScopeMode: ExpressibleByArgument {}

/// `teprov validate`: reads exports (and a config, assignments, roles, groups) and reports what was
/// read and every problem, without a snapshot.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Read exports and a config and report what was read and every problem, without a snapshot."
    )

    @Option(name: .customLong("users"), help: "A directory export (CSV, JSON or XML). Repeat for several files.")
    var users: [String] = []

    @Option(help: "Config file (YAML or JSON); checked alone, or with the exports for per-user scope counts.")
    var config: String?

    @Option(help: "Graph appRoleAssignedTo JSON or CSV principalId,principalType,appRoleId.")
    var assignments: String?

    @Option(help: "Graph servicePrincipal JSON with appRoles.")
    var appRoles: String?

    @Option(help: "Group members: CSV groupId,memberId[,memberType] or Graph JSON.")
    var groupMembers: String?

    @Option(help: "Export of soft-deleted users. Repeat for several files.")
    var deleted: [String] = []

    @Option(help: "assigned or all; overrides the config's scope.")
    var scope: TeprovConfig.ScopeMode?

    @Flag(help: "Accept Graph $expand group listings of 20 or more members (Graph truncates them at 20).")
    var trustExpandedMembers = false

    @Option(help: "Output format: text or json.")
    var format: ValidateFormat = .text

    @Flag(help: "Include every valid record's attributes in the output (json format).")
    var showRecords = false

    @OptionGroup var global: GlobalOptions

    var checksScope: Bool {
        config != nil || assignments != nil || appRoles != nil || groupMembers != nil || scope != nil
    }

    func validate() throws {
        if users.isEmpty && config == nil {
            throw ValidationError("Give at least one --users FILE, or a --config FILE to check.")
        }
        if !users.isEmpty, checksScope, scope ?? .assigned == .assigned, assignments == nil {
            // The config's scope is only known after loading it; the core re-checks then.
            if scope == .assigned { throw ValidationError("--scope assigned needs --assignments FILE.") }
        }
    }

    func run() async throws {
        let keep = showRecords || (checksScope && !users.isEmpty)
        let files = ExportValidation.run(paths: users + deleted, keepRecords: keep)
        var scopeResult: ScopeValidation?
        var failure: TeprovError?
        for file in files.files {
            if let error = file.error {
                StandardError.write("teprov: \(error)")
                if failure == nil { failure = error }
            }
        }
        if failure == nil, checksScope {
            let userRecords = users.isEmpty ? nil : files.files.prefix(users.count).flatMap(\.records)
            let deletedRecords = files.files.dropFirst(users.count).flatMap(\.records)
            do {
                scopeResult = try ScopeValidation.run(
                    configPath: config, scopeOverride: scope,
                    directory: DirectoryInputPaths(
                        assignments: assignments, appRoles: appRoles, groupMembers: groupMembers,
                        trustExpandedMembers: trustExpandedMembers),
                    users: userRecords, deleted: deletedRecords)
            } catch let error as TeprovError {
                throw error.exit()
            }
        }
        switch format {
        case .text:
            if !global.quiet {
                var text = users.isEmpty ? "" : files.renderText()
                if let scopeResult { text += scopeResult.renderText() }
                StandardOutput.write(text)
            }
        case .json:
            StandardOutput.write(files.renderJSON(extra: scopeResult?.jsonMembers ?? [], includeRecords: showRecords))
        }
        if let failure { throw ExitCode(failure.exitCode) }
    }
}
