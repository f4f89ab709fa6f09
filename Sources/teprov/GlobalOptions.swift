import ArgumentParser
import TeprovCore

/// When to draw a progress bar on stderr.
enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// Flags every subcommand accepts (SPEC §1 "global").
struct GlobalOptions: ParsableArguments {
    @Option(help: "Progress bar on stderr: auto (when stderr is a terminal), always or never.")
    var progress: ProgressMode = .auto

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    @Flag(help: "Print more detail on stderr.")
    var verbose = false

    @Flag(help: "No colours in terminal output (NO_COLOR is honoured too).")
    var noColor = false
}
