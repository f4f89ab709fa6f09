import ArgumentParser
import Foundation
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

    @OptionGroup var directory: DirectoryOptions

    @Option(help: "Output format: text or json.")
    var format: ValidateFormat = .text

    @Flag(help: "Include every valid record's attributes in the output (json format).")
    var showRecords = false

    /// For measuring (`bin/bench scope`): build each record's desired user as `plan` does. Same output.
    @Flag(help: .hidden)
    var buildDesiredUsers = false

    @Option(help: "Read only these attributes (comma-separated), as plan does for its config.")
    var attributes: String?

    @OptionGroup var global: GlobalOptions

    var checksScope: Bool {
        directory.config != nil || directory.assignments != nil || directory.appRoles != nil
            || directory.groupMembers != nil || directory.scope != nil
    }

    func validate() throws {
        if users.isEmpty && directory.config == nil {
            throw ValidationError("Give at least one --users FILE, or a --config FILE to check.")
        }
        if !users.isEmpty, directory.scope == .assigned, directory.assignments == nil {
            throw ValidationError("--scope assigned needs --assignments FILE.")
        }
    }

    func run() async throws {
        var counter: ScopeValidation.Counter?
        if checksScope {
            do {
                counter = try ScopeValidation.Counter(
                    configPath: directory.config, scopeOverride: directory.scope, directory: directory.paths,
                    scopesExports: !users.isEmpty)
                counter?.buildsDesiredUsers = buildDesiredUsers
            } catch let error as TeprovError {
                throw error.exit()
            }
        }
        // Keep what the config reads (unless every attribute is to be shown or named explicitly).
        var projection = attributes.map { list in
            AttributeProjection(
                Set(list.split(separator: ",").map { AttributeKey(String($0).trimmingCharacters(in: .whitespaces)) }))
        }
        if projection == nil, !showRecords { projection = counter?.projection }
        let liveFiles = users.count
        let files = ExportValidation.run(
            paths: users + directory.deleted, keepRecords: showRecords, projection: projection
        ) { record, fileIndex in
            counter?.add(record, fromDeletedExport: fileIndex >= liveFiles)
        }
        var failure: TeprovError?
        for file in files.files {
            if let error = file.error {
                StandardError.write("teprov: \(error)")
                if failure == nil { failure = error }
            }
        }
        let scopeResult = failure == nil ? counter?.finish() : nil
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
        finishProcess(failure?.exitCode ?? 0)
    }
}
