/// An error that ends the generator with a message on stderr.
struct GeneratorError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One output file the generator can write.
enum OutputFormat: String, CaseIterable, Sendable {
    case csv, json, dsml, clixml, assignments, groups, snapshot

    /// The file name inside `--out`.
    var fileName: String {
        switch self {
        case .csv: "users.csv"
        case .json: "users.json"
        case .dsml: "users.dsml.xml"
        case .clixml: "users.clixml.xml"
        case .assignments: "assignments.json"
        case .groups: "group-members.csv"
        case .snapshot: "snapshot.json"
        }
    }

    /// Writes this format for `population` into `file`.
    func write(_ population: Population, to file: inout OutputFile) {
        switch self {
        case .csv: UsersCSVWriter.write(population, to: &file)
        case .json: UsersJSONWriter.write(population, to: &file)
        case .dsml: UsersDSMLWriter.write(population, to: &file)
        case .clixml: UsersCLIXMLWriter.write(population, to: &file)
        case .assignments: AssignmentsWriter.write(population, to: &file)
        case .groups: GroupMembersWriter.write(population, to: &file)
        case .snapshot: SnapshotWriter.write(population, to: &file)
        }
    }
}

/// The command line: `--users N --seed S --out DIR [--formats a,b,...] [--jobs N]`.
struct GeneratorOptions: Sendable {
    static let defaultSeed: UInt64 = 20_261_130

    var users: Int = -1
    var seed: UInt64 = GeneratorOptions.defaultSeed
    var outputDirectory = ""
    var formats: [OutputFormat] = OutputFormat.allCases
    var jobs = 2

    static let usage = """
        usage: teprov-bench-gen --users N --out DIR [--seed S] [--formats LIST] [--jobs N]

        Writes deterministic benchmark data for N users into DIR (see docs/BENCHMARKS.md).
          --users N      number of directory users (required)
          --out DIR      output directory, created when missing (required)
          --seed S       PRNG seed (default \(defaultSeed)); same N and seed give identical bytes
          --formats LIST comma-separated subset of: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ","))
                         (default: all)
          --jobs N       files written in parallel (default 2)
        """

    /// Parses `arguments` (without the program name).
    static func parse(_ arguments: [String]) throws -> GeneratorOptions {
        var options = GeneratorOptions()
        var rest = arguments[...]
        func value(for flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw GeneratorError("\(flag) needs a value\n\n\(usage)") }
            return next
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--users":
                let text = try value(for: argument)
                guard let count = Int(text), count >= 0 else {
                    throw GeneratorError("--users must be a count, not \(text)")
                }
                options.users = count
            case "--seed":
                let text = try value(for: argument)
                guard let seed = UInt64(text) else {
                    throw GeneratorError("--seed must be an unsigned integer, not \(text)")
                }
                options.seed = seed
            case "--out":
                options.outputDirectory = try value(for: argument)
            case "--formats":
                let text = try value(for: argument)
                options.formats = try text.split(separator: ",").map { name in
                    guard let format = OutputFormat(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased())
                    else {
                        let known = OutputFormat.allCases.map(\.rawValue).joined(separator: ",")
                        throw GeneratorError("unknown format \(name); choose from \(known)")
                    }
                    return format
                }
            case "--jobs":
                let text = try value(for: argument)
                guard let jobs = Int(text), jobs >= 1 else {
                    throw GeneratorError("--jobs must be 1 or more, not \(text)")
                }
                options.jobs = jobs
            case "--help", "-h":
                throw GeneratorError(usage)
            default:
                throw GeneratorError("unknown argument \(argument)\n\n\(usage)")
            }
        }
        if options.users < 0 { throw GeneratorError("--users N is required\n\n\(usage)") }
        if options.outputDirectory.isEmpty { throw GeneratorError("--out DIR is required\n\n\(usage)") }
        return options
    }
}
