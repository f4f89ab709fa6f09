import ArgumentParser
import TeprovCore

/// Output format of `validate`.
enum ValidateFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `teprov validate`: reads exports and reports what was read and every problem, without a snapshot.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Read exports and report what was read and every problem, without a snapshot."
    )

    @Option(name: .customLong("users"), help: "A directory export (CSV, JSON or XML). Repeat for several files.")
    var users: [String] = []

    @Option(help: "Output format: text or json.")
    var format: ValidateFormat = .text

    @Flag(help: "Include every valid record's attributes in the output (json format).")
    var showRecords = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if users.isEmpty {
            throw ValidationError("Give at least one --users FILE.")
        }
    }

    func run() async throws {
        let result = ExportValidation.run(paths: users, keepRecords: showRecords)
        switch format {
        case .text: if !global.quiet { StandardOutput.write(result.renderText()) }
        case .json: StandardOutput.write(result.renderJSON())
        }
        var firstError: TeprovError?
        for file in result.files {
            guard let error = file.error else { continue }
            StandardError.write("teprov: \(error)")
            if firstError == nil { firstError = error }
        }
        if let firstError { throw ExitCode(firstError.exitCode) }
    }
}
