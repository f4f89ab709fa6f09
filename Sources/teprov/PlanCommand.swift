import ArgumentParser
import Foundation
import TeprovCore

/// `teprov plan`: exports + snapshot (+ config) → a plan file and its summary.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Decide what to create, update, disable and delete in ThousandEyes, and write a plan file."
    )

    @Option(name: .customLong("users"), help: "A directory export (CSV, JSON or XML). Repeat for several files.")
    var users: [String] = []

    @Option(help: "Snapshot of the ThousandEyes users (teprov snapshot, or a SCIM ListResponse).")
    var snapshot: String

    @Option(help: "Graph appRoleAssignedTo JSON or CSV principalId,principalType,appRoleId.")
    var assignments: String?

    @Option(help: "Graph servicePrincipal JSON with appRoles.")
    var appRoles: String?

    @Option(help: "Group members: CSV groupId,memberId[,memberType] or Graph JSON.")
    var groupMembers: String?

    @Option(help: "Export of soft-deleted users. Repeat for several files.")
    var deleted: [String] = []

    @Option(help: "Config file (YAML or JSON).")
    var config: String?

    @Option(help: "assigned or all; overrides the config's scope.")
    var scope: TeprovConfig.ScopeMode?

    @Option(help: "Where to write the plan.")
    var out: String = "plan.json"

    @Option(parsing: .upToNextOption, help: "Explain what happens to these users (UPN, id, e-mail or target userName).")
    var explain: [String] = []

    @Flag(help: "Plan even when the exports hold no valid user (this deprovisions every managed user).")
    var allowEmptySource = false

    @Flag(help: "Plan from an incomplete snapshot; disables and deletes are then turned off.")
    var allowIncompleteSnapshot = false

    @Flag(help: "Accept Graph $expand group listings of 20 or more members.")
    var trustExpandedMembers = false

    @Flag(help: "Exit 0 when the plan has no changes, 2 when it has changes, 3 when it is held.")
    var detailedExitcode = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if users.isEmpty { throw ValidationError("Give at least one --users FILE.") }
        if scope == .assigned, assignments == nil { throw ValidationError("--scope assigned needs --assignments FILE.") }
    }

    func run() async throws {
        var options = PlanPipeline.Options(users: users, snapshot: snapshot)
        options.deleted = deleted
        options.directory = DirectoryInputPaths(
            assignments: assignments, appRoles: appRoles, groupMembers: groupMembers,
            trustExpandedMembers: trustExpandedMembers)
        options.configPath = config
        options.scopeOverride = scope
        options.explain = explain
        options.allowEmptySource = allowEmptySource
        options.allowIncompleteSnapshot = allowIncompleteSnapshot
        let outcome: PlanPipeline.Outcome
        do {
            outcome = try PlanPipeline.run(options)
            try PlanFile.write(outcome.plan, to: out)
        } catch let error as TeprovError {
            throw error.exit()
        }
        var text = ""
        for (name, lines) in outcome.explanations {
            text += "explain \(name):\n" + lines.map { "  \($0)\n" }.joined()
        }
        if !global.quiet { text += PlanSummaryText.render(outcome.plan, path: out) }
        StandardOutput.write(text)
        for diagnostic in outcome.plan.diagnostics where diagnostic.severity == .warning && global.verbose {
            StandardError.write("teprov: warning: \(diagnostic.rendered)")
        }
        guard detailedExitcode else { return }
        if outcome.plan.safety.held { throw ExitCode(3) }
        if !outcome.plan.operations.isEmpty { throw ExitCode(2) }
    }
}
