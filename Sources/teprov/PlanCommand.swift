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

    @OptionGroup var directory: DirectoryOptions

    @Option(help: "Where to write the plan.")
    var out: String = "plan.json"

    @Option(parsing: .upToNextOption, help: "Explain what happens to these users (UPN, id, e-mail or target userName).")
    var explain: [String] = []

    @Flag(help: "Plan even when the exports hold no valid user (this deprovisions every managed user).")
    var allowEmptySource = false

    @Flag(help: "Plan from an incomplete snapshot; disables and deletes are then turned off.")
    var allowIncompleteSnapshot = false

    @Flag(help: "Exit 0 when the plan has no changes, 2 when it has changes, 3 when it is held.")
    var detailedExitcode = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if users.isEmpty { throw ValidationError("Give at least one --users FILE.") }
        if directory.scope == .assigned, directory.assignments == nil {
            throw ValidationError("--scope assigned needs --assignments FILE.")
        }
    }

    func run() async throws {
        MemoryTuning.restartWithHugePages(
            forInputs: [snapshot, directory.assignments, directory.groupMembers]
                + (users + directory.deleted).map { Optional($0) })
        MemoryTuning.returnLargeBlocksToTheSystem()
        var options = PlanPipeline.Options(users: users, snapshot: snapshot)
        options.deleted = directory.deleted
        options.directory = directory.paths
        options.configPath = directory.config
        options.scopeOverride = directory.scope
        options.explain = explain
        options.allowEmptySource = allowEmptySource
        options.allowIncompleteSnapshot = allowIncompleteSnapshot
        // The digest is computed while the file is written: one serialization of the plan, not two.
        options.seal = false
        // The process exits once the plan is written: what reconciling used is never freed.
        options.freesReconciledState = false
        var outcome: PlanPipeline.Outcome
        do {
            outcome = try PlanPipeline.run(options)
            outcome.plan = try PlanFile.writeSealing(outcome.plan, to: out)
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
        guard detailedExitcode else { finishProcess(0) }
        if outcome.plan.safety.held { finishProcess(3) }
        finishProcess(outcome.plan.operations.isEmpty ? 0 : 2)
    }
}
