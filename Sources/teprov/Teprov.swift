import ArgumentParser
import TeprovCore

@main
struct Teprov: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "teprov",
        abstract: "Provision ThousandEyes users from directory exports, as a reviewable plan.",
        discussion: """
            Reads directory exports (CSV, JSON, XML), decides with Entra ID's semantics who must be
            created, updated, disabled or deleted in ThousandEyes, and applies that plan over SCIM 2.0.
            """,
        version: TeprovVersion.current,
        subcommands: [
            ValidateCommand.self, PlanCommand.self, ShowCommand.self, ApplyCommand.self, SnapshotCommand.self,
            TestConnectionCommand.self, DiffCommand.self,
        ]
    )
}
